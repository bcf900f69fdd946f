"""What the API reads and writes, as marshmallow schemas: they validate input (unknown fields refused)
and are the OpenAPI document's components."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from core.audit import as_utc
from core.integers import MAX_ID  # row ids are INTEGER: 2**31 - 1 on PostgreSQL
from projects.models import PROJECT_STATES



class UtcDateTime(fields.DateTime):
    """Every stored moment is UTC; SQLite gives it back without its zone, RFC 3339 wants one."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(as_utc(value) if value is not None else None, attr, obj, **kwargs)


PUBLISHED_STATES = [state for state in PROJECT_STATES if state != "draft"]
MAX_LIMIT = 100


class PageArgs(Schema):
    cursor = fields.Str(validate=validate.Length(max=500),
                        metadata={"description": "From the `Link: rel=\"next\"` header of the previous page."})
    limit = fields.Int(load_default=20, validate=validate.Range(min=1, max=MAX_LIMIT))


class ProjectFilters(PageArgs):
    """Every filter of /projects/."""

    q = fields.Str(validate=validate.Length(max=100), metadata={"description": "Words of the title or summary."})
    skill = fields.Str(validate=validate.Length(max=60), metadata={"description": "A skill's slug."})
    sdg = fields.Int(validate=validate.Range(min=1, max=17), metadata={"description": "A UN SDG number."})
    status = fields.Str(validate=validate.OneOf(PUBLISHED_STATES))
    chapter = fields.Str(validate=validate.Length(max=80), metadata={"description": "A chapter's slug."})
    country = fields.Str(validate=validate.Regexp(r"^[A-Z]{2}$"), metadata={"description": "ISO 3166-1 alpha-2."})
    competency = fields.Str(validate=validate.Length(max=60),
                            metadata={"description": "A business competency's code (see /framework)."})


class ChapterFilters(PageArgs):
    q = fields.Str(validate=validate.Length(max=100))
    city = fields.Str(validate=validate.Length(max=120))
    country = fields.Str(validate=validate.Regexp(r"^[A-Z]{2}$"))


class ChapterRef(Schema):
    slug = fields.Str()
    name = fields.Str()
    city = fields.Str()
    country = fields.Str()


class Chapter(ChapterRef):
    description = fields.Str()
    status = fields.Str()
    member_count = fields.Int()
    created_at = UtcDateTime()


class ProjectSummary(Schema):
    id = fields.Int()
    title = fields.Str()
    summary = fields.Str()
    status = fields.Str()
    chapter = fields.Nested(ChapterRef)
    team_size = fields.Int()
    team_min = fields.Int()
    team_max = fields.Int()
    skills = fields.Function(lambda project: [skill.name for skill in project.skills],
                             metadata={"type": "array", "items": {"type": "string"}})
    sdgs = fields.List(fields.Int())
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    created_at = UtcDateTime()


class MilestonePublic(Schema):
    id = fields.Int()
    position = fields.Int()
    title = fields.Str()
    due_date = fields.Date()
    status = fields.Str()


class KnownMilestones(fields.Nested):
    """The milestones the view loaded for the project (Project.remember_milestones)."""

    def get_value(self, obj, attr, accessor=None, default=None):
        return obj.known_milestones() or []


class Project(ProjectSummary):
    problem = fields.Str()
    learning_outcomes = fields.Str()
    competencies = fields.List(fields.Str(), attribute="competency_codes")
    milestones = KnownMilestones(MilestonePublic, many=True)


class Sponsor(Schema):
    slug = fields.Str()
    name = fields.Str()
    website = fields.Str(allow_none=True)
    description = fields.Str()


class CredentialRef(Schema):
    uuid = fields.Str()
    role = fields.Str()
    issued_at = UtcDateTime()
    revoked = fields.Function(lambda credential: credential.revoked_at is not None,
                              metadata={"type": "boolean"})
    project = fields.Function(lambda credential: {"id": credential.project.id, "title": credential.project.title},
                              metadata={"type": "object"})
    url = fields.Str(metadata={"description": "The signed credential (Open Badges 3.0, JSON-LD)."})


class Member(Schema):
    handle = fields.Str()
    name = fields.Str()
    city = fields.Str()
    country = fields.Str()
    bio = fields.Str()
    skills = fields.Function(lambda user: [skill.name for skill in user.skills],
                             metadata={"type": "array", "items": {"type": "string"}})
    credentials = fields.List(fields.Nested(CredentialRef))


class Me(Schema):
    handle = fields.Str()
    name = fields.Str()
    email = fields.Str()
    city = fields.Str()
    country = fields.Str()
    bio = fields.Str()
    locale = fields.Str(allow_none=True)
    profile_hidden = fields.Bool()
    skills = fields.Function(lambda user: [skill.name for skill in user.skills],
                             metadata={"type": "array", "items": {"type": "string"}})
    email_verified = fields.Bool(attribute="is_verified")


class ProfileUpdate(Schema):
    """The fields of /me/edit; those left out keep their value."""

    name = fields.Str(validate=validate.Length(min=1, max=120))
    city = fields.Str(validate=validate.Length(min=1, max=120))
    country = fields.Str(validate=validate.Regexp(r"^[A-Z]{2}$"))
    bio = fields.Str(validate=validate.Length(max=2000))
    locale = fields.Str(validate=validate.OneOf(["en", "fr"]))
    profile_hidden = fields.Bool()
    skills = fields.List(fields.Str(validate=validate.Length(min=1, max=60)), validate=validate.Length(max=30))


class ApplicationOut(Schema):
    id = fields.Int()
    project = fields.Function(lambda application: {"id": application.project.id,
                                                   "title": application.project.title},
                              metadata={"type": "object"})
    status = fields.Str()
    motivation = fields.Str()
    portfolio_url = fields.Str(allow_none=True)
    decision_message = fields.Str(allow_none=True)
    created_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)


class Applicant(Schema):
    handle = fields.Str()
    name = fields.Str()


class ProjectApplication(ApplicationOut):
    applicant = fields.Nested(Applicant, attribute="user")


class ApplicationIn(Schema):
    project_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    motivation = fields.Str(required=True, validate=validate.Length(min=20, max=3000))
    portfolio_url = fields.Url(require_tld=True, schemes={"http", "https"}, validate=validate.Length(max=500))


class Decision(Schema):
    decision = fields.Str(required=True, validate=validate.OneOf(["accept", "decline"]))
    message = fields.Str(validate=validate.Length(max=2000))


class NotificationOut(Schema):
    id = fields.Int()
    kind = fields.Str()
    message = fields.Str()
    url = fields.Str()
    created_at = UtcDateTime()
    read = fields.Function(lambda note: note.read_at is not None, metadata={"type": "boolean"})


class NotificationFilters(PageArgs):
    unread = fields.Bool(load_default=False)


class MarkRead(Schema):
    ids = fields.List(fields.Int(validate=validate.Range(min=1, max=MAX_ID)), validate=validate.Length(max=100),
                      metadata={"description": "Leave out to mark every notification read."})


class Marked(Schema):
    marked = fields.Int()


class Competency(Schema):
    code = fields.Str()
    label = fields.Str()
    group = fields.Str()


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    class Meta:
        unknown = EXCLUDE

    type = fields.Str()
    title = fields.Str()
    status = fields.Int()
    detail = fields.Str()
    errors = fields.Dict()


class MilestoneRef(Schema):
    id = fields.Int()
    title = fields.Str()
    status = fields.Str()


class SubmissionIn(Schema):
    """A deliverable handed in through the API: a note and a link (files are uploaded on the milestone's page)."""

    note = fields.Str(required=True, validate=validate.Length(min=1, max=5000))
    link = fields.Url(required=True, require_tld=True, schemes={"http", "https"}, validate=validate.Length(max=500))


class SubmissionOut(Schema):
    id = fields.Int()
    milestone = fields.Nested(MilestoneRef)
    note = fields.Str()
    link = fields.Str(allow_none=True)
    created_at = UtcDateTime()


class ReviewIn(Schema):
    decision = fields.Str(required=True, validate=validate.OneOf(["accept", "request_changes"]))
    comment = fields.Str(validate=validate.Length(max=5000),
                         metadata={"description": "Required when you request changes: say what needs to change."})
    reviewing_for = fields.Int(allow_none=True, validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "The sponsor organisation's id you review for; null to review as the chapter's lead. "
                       "Leave out when you have only one capacity."})

    @validates_schema
    def comment_with_changes(self, data, **kwargs):
        """As on the milestone's page: a request for changes says what needs to change."""
        if data.get("decision") == "request_changes" and not (data.get("comment") or "").strip():
            raise ValidationError(str(_l("Say what needs to change.")), "comment")


class ReviewOut(Schema):
    id = fields.Int()
    milestone = fields.Nested(MilestoneRef)
    decision = fields.Str()
    comment = fields.Str()
    reviewing_for = fields.Int(attribute="sponsor_organisation_id", allow_none=True)
    created_at = UtcDateTime()


class SponsorshipAnswer(Schema):
    answer = fields.Str(required=True, validate=validate.OneOf(["confirm", "decline", "withdraw"]), metadata={
        "description": "confirm or decline: the side that did not start it; withdraw: the side that did."})


class SponsorshipOut(Schema):
    id = fields.Int()
    project = fields.Function(lambda s: {"id": s.project.id, "title": s.project.title}, metadata={"type": "object"})
    organisation = fields.Function(lambda s: {"slug": s.organisation.slug, "name": s.organisation.name},
                                   metadata={"type": "object"})
    kind = fields.Str()
    amount_minor = fields.Int(allow_none=True)
    currency = fields.Str(allow_none=True)
    in_kind_type = fields.Str(allow_none=True)
    description = fields.Str()
    status = fields.Str()
    initiated_by = fields.Str()
    created_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)
