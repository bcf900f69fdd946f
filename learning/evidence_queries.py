"""Reads for learning evidence: hours per member, a member's entries, reflections on a milestone's submissions."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from accounts.models import User
from core.extensions import db
from learning.models import Reflection, TimeEntry, hours_of
from projects.models import Milestone, Submission


@dataclass(frozen=True)
class MemberHours:
    user_id: int
    name: str
    handle: str
    minutes: int

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)


def member_totals(project, milestone=None) -> list[MemberHours]:
    """Each member's logged total on the project (or on one milestone), most hours first: one statement."""
    query = (select(TimeEntry.user_id, User.name, User.handle, func.sum(TimeEntry.minutes).label("minutes"))
             .join(User, User.id == TimeEntry.user_id).where(TimeEntry.project_id == project.id)
             .group_by(TimeEntry.user_id, User.name, User.handle)
             .order_by(func.sum(TimeEntry.minutes).desc(), TimeEntry.user_id))
    if milestone is not None:
        query = query.where(TimeEntry.milestone_id == milestone.id)
    return [MemberHours(*row) for row in db.session.execute(query)]


def entries_of(project, user_id: int, milestone=None, limit: int = 200) -> list[TimeEntry]:
    """A member's entries on the project (or one milestone), latest day first, with their milestone's title."""
    query = (select(TimeEntry, Milestone.title).join(Milestone, Milestone.id == TimeEntry.milestone_id)
             .where(TimeEntry.project_id == project.id, TimeEntry.user_id == user_id)
             .order_by(TimeEntry.day.desc(), TimeEntry.id.desc()).limit(limit))
    if milestone is not None:
        query = query.where(TimeEntry.milestone_id == milestone.id)
    entries = []
    for entry, title in db.session.execute(query):
        set_committed_value(entry, "project", project)
        entry.milestone_title = title
        entries.append(entry)
    return entries


def entry_by_id(project, entry_id: int) -> TimeEntry | None:
    entry = db.session.scalar(select(TimeEntry).where(TimeEntry.id == entry_id, TimeEntry.project_id == project.id))
    if entry is not None:
        set_committed_value(entry, "project", project)
    return entry


def with_milestone(submission: Submission, milestone: Milestone) -> Submission:
    """Attach the milestone (whose project is set) that the reflection rules read, without a query."""
    set_committed_value(submission, "milestone", milestone)
    return submission


def own_submissions(milestone: Milestone, user) -> list[tuple[Submission, Reflection | None]]:
    """The member's submissions on the milestone, latest first, each with their reflection on it (or None)."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = db.session.execute(
        select(Submission, Reflection).outerjoin(Reflection, Reflection.submission_id == Submission.id)
        .where(Submission.milestone_id == milestone.id, Submission.author_id == user.id)
        .order_by(Submission.created_at.desc(), Submission.id.desc()))
    pairs = []
    for submission, reflection in rows:
        with_milestone(submission, milestone)
        if reflection is not None:
            set_committed_value(reflection, "project", milestone.project)
        pairs.append((submission, reflection))
    return pairs


def reflections_on(milestone: Milestone, limit: int = 100) -> list[Reflection]:
    """The reflections written on the milestone's submissions, newest first, with their authors: one statement."""
    rows = db.session.execute(
        select(Reflection, User).join(Submission, Submission.id == Reflection.submission_id)
        .join(User, User.id == Reflection.author_id).where(Submission.milestone_id == milestone.id)
        .order_by(Reflection.created_at.desc(), Reflection.id.desc()).limit(limit))
    reflections = []
    for reflection, author in rows:
        set_committed_value(reflection, "author", author)
        set_committed_value(reflection, "project", milestone.project)
        reflections.append(reflection)
    return reflections


def reflection_by_id(project, reflection_id: int) -> Reflection | None:
    row = db.session.execute(
        select(Reflection, User, Milestone, Submission).join(User, User.id == Reflection.author_id)
        .join(Submission, Submission.id == Reflection.submission_id)
        .join(Milestone, Milestone.id == Submission.milestone_id)
        .where(Reflection.id == reflection_id, Reflection.project_id == project.id)).first()
    if row is None:
        return None
    reflection, author, milestone, submission = row
    set_committed_value(milestone, "project", project)
    set_committed_value(reflection, "author", author)
    set_committed_value(reflection, "project", project)
    set_committed_value(reflection, "submission", with_milestone(submission, milestone))
    reflection.milestone = milestone  # plain attribute for the page (the milestone's title and link)
    return reflection
