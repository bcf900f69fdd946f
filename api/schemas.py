"""What the API reads and writes, as marshmallow schemas: they validate input (unknown fields refused)
and are the OpenAPI document's components."""
from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from core.audit import as_utc
from core.integers import MAX_ID  # row ids are INTEGER: 2**31 - 1 on PostgreSQL
from projects.models import PROJECT_STATES


class Text(fields.String):
    """A string without control or bidirectional formatting characters (line breaks and tabs are fine), like
    the pages' forms (core.forms.NoControlCharacters); PostgreSQL refuses NUL in text at all."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\r\t" for c in text):
            raise ValidationError(str(_l("Remove the invisible control characters.")))
        return text


class UtcDateTime(fields.DateTime):
    """Every stored moment is UTC; SQLite gives it back without its zone, RFC 3339 wants one."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(as_utc(value) if value is not None else None, attr, obj, **kwargs)


PUBLISHED_STATES = [state for state in PROJECT_STATES if state != "draft"]
MAX_LIMIT = 100


class PageArgs(Schema):
    cursor = Text(validate=validate.Length(max=500),
                        metadata={"description": "From the `Link: rel=\"next\"` header of the previous page."})
    limit = fields.Int(load_default=20, validate=validate.Range(min=1, max=MAX_LIMIT))


class ProjectFilters(PageArgs):
    """Every filter of /projects/."""

    q = Text(validate=validate.Length(max=100), metadata={"description": "Words of the title or summary."})
    skill = Text(validate=validate.Length(max=60), metadata={"description": "A skill's slug."})
    sdg = fields.Int(validate=validate.Range(min=1, max=17), metadata={"description": "A UN SDG number."})
    status = Text(validate=validate.OneOf(PUBLISHED_STATES))
    chapter = Text(validate=validate.Length(max=80), metadata={"description": "A chapter's slug."})
    country = Text(validate=validate.Regexp(r"^[A-Z]{2}$"), metadata={"description": "ISO 3166-1 alpha-2."})
    competency = Text(validate=validate.Length(max=60),
                            metadata={"description": "A business competency's code (see /framework)."})


class ChapterFilters(PageArgs):
    q = Text(validate=validate.Length(max=100))
    city = Text(validate=validate.Length(max=120))
    country = Text(validate=validate.Regexp(r"^[A-Z]{2}$"))


class ChapterRef(Schema):
    slug = Text()
    name = Text()
    city = Text()
    country = Text()


class Chapter(ChapterRef):
    description = Text()
    status = Text()
    member_count = fields.Int()
    created_at = UtcDateTime()


class ProjectSummary(Schema):
    id = fields.Int()
    title = Text()
    summary = Text()
    status = Text()
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
    title = Text()
    due_date = fields.Date()
    status = Text()


class KnownMilestones(fields.Nested):
    """The milestones the view loaded for the project (Project.remember_milestones)."""

    def get_value(self, obj, attr, accessor=None, default=None):
        return obj.known_milestones() or []


class Project(ProjectSummary):
    problem = Text()
    learning_outcomes = Text()
    competencies = fields.List(Text(), attribute="competency_codes")
    milestones = KnownMilestones(MilestonePublic, many=True)


class Sponsor(Schema):
    slug = Text()
    name = Text()
    website = Text(allow_none=True)
    description = Text()


class CredentialRef(Schema):
    uuid = Text()
    role = Text()
    issued_at = UtcDateTime()
    revoked = fields.Function(lambda credential: credential.revoked_at is not None,
                              metadata={"type": "boolean"})
    project = fields.Function(lambda credential: {"id": credential.project.id, "title": credential.project.title},
                              metadata={"type": "object"})
    url = Text(metadata={"description": "The signed credential (Open Badges 3.0, JSON-LD)."})


class Member(Schema):
    handle = Text()
    name = Text()
    city = Text()
    country = Text()
    bio = Text()
    skills = fields.Function(lambda user: [skill.name for skill in user.skills],
                             metadata={"type": "array", "items": {"type": "string"}})
    credentials = fields.List(fields.Nested(CredentialRef))


class Me(Schema):
    handle = Text()
    name = Text()
    email = Text()
    city = Text()
    country = Text()
    bio = Text()
    locale = Text(allow_none=True)
    profile_hidden = fields.Bool()
    skills = fields.Function(lambda user: [skill.name for skill in user.skills],
                             metadata={"type": "array", "items": {"type": "string"}})
    email_verified = fields.Bool(attribute="is_verified")


class ProfileUpdate(Schema):
    """The fields of /me/edit; those left out keep their value."""

    name = Text(validate=validate.Length(min=1, max=120))
    city = Text(validate=validate.Length(min=1, max=120))
    country = Text(validate=validate.Regexp(r"^[A-Z]{2}$"))
    bio = Text(validate=validate.Length(max=2000))
    locale = Text(validate=validate.OneOf(["en", "fr"]))
    profile_hidden = fields.Bool()
    skills = fields.List(Text(validate=validate.Length(min=1, max=60)), validate=validate.Length(max=30))


class ApplicationOut(Schema):
    id = fields.Int()
    project = fields.Function(lambda application: {"id": application.project.id,
                                                   "title": application.project.title},
                              metadata={"type": "object"})
    status = Text()
    motivation = Text()
    portfolio_url = Text(allow_none=True)
    decision_message = Text(allow_none=True)
    created_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)


class Applicant(Schema):
    handle = Text()
    name = Text()


class ProjectApplication(ApplicationOut):
    applicant = fields.Nested(Applicant, attribute="user")


class ApplicationIn(Schema):
    project_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    motivation = Text(required=True, validate=validate.Length(min=20, max=3000))
    portfolio_url = fields.Url(require_tld=True, schemes={"http", "https"}, validate=validate.Length(max=500))


class Decision(Schema):
    decision = Text(required=True, validate=validate.OneOf(["accept", "decline"]))
    message = Text(validate=validate.Length(max=2000))


class NotificationOut(Schema):
    id = fields.Int()
    kind = Text()
    message = Text()
    url = Text()
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
    code = Text()
    label = Text()
    group = Text()


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    class Meta:
        unknown = EXCLUDE

    type = Text()
    title = Text()
    status = fields.Int()
    detail = Text()
    errors = fields.Dict()


class MilestoneRef(Schema):
    id = fields.Int()
    title = Text()
    status = Text()


class SubmissionIn(Schema):
    """A deliverable handed in through the API: a note and a link (files are uploaded on the milestone's page)."""

    note = Text(required=True, validate=validate.Length(min=1, max=5000))
    link = fields.Url(required=True, require_tld=True, schemes={"http", "https"}, validate=validate.Length(max=500))


class SubmissionOut(Schema):
    id = fields.Int()
    milestone = fields.Nested(MilestoneRef)
    note = Text()
    link = Text(allow_none=True)
    created_at = UtcDateTime()


class ReviewIn(Schema):
    decision = Text(required=True, validate=validate.OneOf(["accept", "request_changes"]))
    comment = Text(validate=validate.Length(max=5000),
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
    decision = Text()
    comment = Text()
    reviewing_for = fields.Int(attribute="sponsor_organisation_id", allow_none=True)
    created_at = UtcDateTime()


class SponsorshipAnswer(Schema):
    answer = Text(required=True, validate=validate.OneOf(["confirm", "decline", "withdraw"]), metadata={
        "description": "confirm or decline: the side that did not start it; withdraw: the side that did."})


class SponsorshipOut(Schema):
    id = fields.Int()
    project = fields.Function(lambda s: {"id": s.project.id, "title": s.project.title}, metadata={"type": "object"})
    organisation = fields.Function(lambda s: {"slug": s.organisation.slug, "name": s.organisation.name},
                                   metadata={"type": "object"})
    kind = Text()
    amount_minor = fields.Int(allow_none=True)
    currency = Text(allow_none=True)
    in_kind_type = Text(allow_none=True)
    description = Text()
    status = Text()
    initiated_by = Text()
    created_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)
