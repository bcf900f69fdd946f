"""Milestone services: plan, submit deliverables, review them; every submission and review is kept."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from core import audit, uploads
from core.announce import announce
from core.audit import utcnow
from core.authz import can, require
from core.errors import DomainError, FieldError
from core.extensions import db
from core.urls import path_for
from projects import activity, sponsor_links
from projects.lifecycle import MILESTONE, REVIEWING_FOR, withdrawal_of
from projects.models import Milestone, Project, Review, Submission
from projects.services import lead_users, team_users


def milestone_url(milestone: Milestone) -> str:
    return path_for("projects.milestone", project_id=milestone.project_id, milestone_id=milestone.id)


def _check_due_date(project: Project, due_date: date) -> None:
    problem = project.due_date_problem(due_date)
    if problem:
        raise FieldError.on("due_date", problem)


def add_milestone(project: Project, actor, *, title: str, description: str, due_date: date) -> Milestone:
    """A lead plans a milestone due within the project's dates."""
    require(actor, "milestone.manage", project)
    _check_due_date(project, due_date)
    last = db.session.scalar(select(func.max(Milestone.position)).where(Milestone.project_id == project.id))
    milestone = Milestone(project_id=project.id, position=(last or 0) + 1, title=title,
                          description=description, due_date=due_date)
    db.session.add(milestone)
    db.session.flush()
    audit.record(actor, "milestone", milestone.id, "create", None, "planned")
    db.session.commit()
    return milestone


def _editable(milestone: Milestone, actor) -> None:
    if not can(actor, "milestone.edit", milestone):
        require(actor, "milestone.manage", milestone.project)  # 403 to those who never could
        raise DomainError(_("A milestone cannot be changed once work on it has been submitted."))


def update_milestone(milestone: Milestone, actor, *, title: str, description: str, due_date: date) -> None:
    _editable(milestone, actor)
    _check_due_date(milestone.project, due_date)
    milestone.title, milestone.description, milestone.due_date = title, description, due_date
    audit.record(actor, "milestone", milestone.id, "edit")
    db.session.commit()


def check_deletable(milestone: Milestone, actor) -> None:
    """Refuse (403, or a sentence) before showing the confirmation of a deletion that would be refused."""
    _editable(milestone, actor)


def delete_milestone(milestone: Milestone, actor) -> None:
    _editable(milestone, actor)
    audit.record(actor, "milestone", milestone.id, "delete", milestone.status, None)
    db.session.delete(milestone)
    db.session.commit()


def move_milestone(milestone: Milestone, actor, direction: str) -> None:
    """Swap a milestone with its neighbour above or below."""
    require(actor, "milestone.manage", milestone.project)
    ordered = list(db.session.scalars(select(Milestone).where(Milestone.project_id == milestone.project_id)
                                      .order_by(Milestone.position, Milestone.id)))
    index = ordered.index(milestone)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            item.position = position
        db.session.commit()


def submit_deliverable(milestone: Milestone, actor, *, note: str, link: str | None,
                       upload: FileStorage | None) -> Submission:
    """A team member hands in a note plus a link and/or one checked file; the leads are told."""
    has_file = upload is not None and bool(upload.filename)
    if not link and not has_file:
        raise uploads.UploadRejected(_("Add a link, a file, or both."))
    checked = uploads.check(upload) if has_file else None
    MILESTONE.apply(milestone, "submit", actor)
    submission = Submission(milestone_id=milestone.id, author_id=actor.id, note=note, link=link or None)
    if checked:
        submission.file_key = uploads.store(checked)
        submission.file_name, submission.file_size = checked.name, len(checked.data)
        submission.file_type = checked.extension
    milestone.submitted_at = utcnow()
    db.session.add(submission)
    project = milestone.project
    activity.record(project, actor, "submitted", milestone=milestone.title)
    activity.notify(lead_users(project), "milestone_submitted", url=milestone_url(milestone), actor=actor,
                    milestone=milestone.title, project=project.title)
    try:
        db.session.commit()
    except Exception:
        if submission.file_key:
            uploads.discard(submission.file_key)
        raise
    return submission


def withdraw_submission(milestone: Milestone, actor) -> Submission:
    """The author takes back the submission waiting for review: the milestone returns to the state it was in
    before (planned, or changes requested), the submission stays in the history marked withdrawn."""
    require(actor, "milestone.withdraw", milestone)
    submission = milestone.waiting_submission()
    MILESTONE.apply(milestone, withdrawal_of(milestone), actor)
    submission.withdrawn_at = utcnow()
    milestone.submitted_at = None
    milestone.forget_waiting_submission()
    activity.record(milestone.project, actor, "withdrew", milestone=milestone.title)
    db.session.commit()
    return submission


@dataclass(frozen=True)
class ReviewCapacity:
    """Whom a review is made for: the chapter (organisation_id None) or one sponsor organisation."""

    milestone: Milestone
    organisation_id: int | None


CHOOSE = object()  # no choice sent: the only capacity the reviewer has, if they have one


def review_capacities(milestone: Milestone, actor) -> list[tuple[int | None, str]]:
    """The capacities `actor` may review `milestone` in, as (organisation id or None, label)."""
    options = [(None, _("As the chapter's lead"))] if can(actor, "milestone.review_for",
                                                          ReviewCapacity(milestone, None)) else []
    names = sponsor_links.organisation_names(milestone.project.sponsor_organisations_of(actor))
    return options + [(org_id, _("For %(organisation)s", organisation=name)) for org_id, name in sorted(names.items())
                      if can(actor, "milestone.review_for", ReviewCapacity(milestone, org_id))]


def _capacity(milestone: Milestone, actor, organisation_id) -> int | None:
    if organisation_id is CHOOSE:
        options = review_capacities(milestone, actor)
        if len(options) != 1:
            raise DomainError(_("Choose whom you review for."))
        organisation_id = options[0][0]
    require(actor, "milestone.review_for", ReviewCapacity(milestone, organisation_id))
    return organisation_id


def review_milestone(milestone: Milestone, actor, decision: str, comment: str | None,
                     organisation_id: int | None | object = CHOOSE) -> Review:
    """Accept the latest submission, or request changes with a comment; the team is told. The review is made
    as the chapter's lead (organisation_id None) or for one confirming sponsor the reviewer belongs to; without a
    choice, the reviewer's only capacity."""
    if decision not in ("accept", "request_changes"):
        raise DomainError(_("Choose accept or request changes."))
    require(actor, "milestone.review", milestone)
    organisation_id = _capacity(milestone, actor, organisation_id)
    setattr(milestone, REVIEWING_FOR, organisation_id)
    try:
        MILESTONE.apply(milestone, decision, actor, comment)
    finally:
        delattr(milestone, REVIEWING_FOR)
    latest = db.session.scalar(select(Submission.id).where(Submission.milestone_id == milestone.id,
                                                           Submission.withdrawn_at.is_(None))
                               .order_by(Submission.created_at.desc(), Submission.id.desc()).limit(1))
    project = milestone.project
    review = Review(milestone_id=milestone.id, submission_id=latest, reviewer_id=actor.id,
                    sponsor_organisation_id=organisation_id, decision=milestone.status, comment=(comment or "").strip())
    if decision == "accept":
        milestone.accepted_at, milestone.accepted_by_id = utcnow(), actor.id
    db.session.add(review)
    activity.record(project, actor, milestone.status, milestone=milestone.title)
    activity.notify(team_users(project), "milestone_reviewed", url=milestone_url(milestone), actor=actor,
                    milestone=milestone.title, project=project.title, decision=milestone.status)
    announce("milestone.reviewed", milestone)
    db.session.commit()
    return review
