"""Learning evidence services: members log time on milestones and reflect on the deliverables they submit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select, true

from accounts.models import User
from core import audit
from core.audit import utcnow
from core.authz import require
from core.errors import FieldError
from core.extensions import db
from learning.models import (MAX_DAY_MINUTES, MAX_MILESTONE_MINUTES, NOTE_MAX, REFLECTION_FIELDS, REFLECTION_MAX,
                             REFLECTION_MIN, Reflection, TimeEntry)


@dataclass(frozen=True)
class TimeOf:
    """Whose hours on a project: one member's (user_id), or the whole team's (user_id None)."""

    project: object
    user_id: int | None


def minutes_of(hours) -> int:
    """Decimal hours as whole minutes, or a FieldError on `hours`."""
    try:
        value = Decimal(str(hours)) if hours is not None and str(hours).strip() else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise FieldError.on("hours", _("Enter the hours as a number, for example 1.5."))
    if value <= 0:
        raise FieldError.on("hours", _("Enter a number of hours above zero."))
    if value > 24:
        raise FieldError.on("hours", _("A day has at most 24 hours."))
    minutes = int((value * 60).to_integral_value())
    if minutes < 1:
        raise FieldError.on("hours", _("Enter at least one minute (0.02 hours)."))
    return minutes


def project_start(project) -> date:
    """The first day time may be logged on: the project's start date, else the day it was created."""
    return project.start_date or project.created_at.date()


def _checked(project, milestone_id: int, actor, day: date | None, hours, note: str | None,
             entry: TimeEntry | None = None) -> tuple[date, int, str]:
    note = " ".join((note or "").split())
    if not note:
        raise FieldError.on("note", _("Say in a few words what you worked on."))
    if len(note) > NOTE_MAX:
        raise FieldError.on("note", _("Use at most %(count)d characters.", count=NOTE_MAX))
    if day is None:
        raise FieldError.on("day", _("Enter the day you worked."))
    if day > date.today():
        raise FieldError.on("day", _("The day cannot be in the future."))
    if day < project_start(project):
        raise FieldError.on("day", _("The day cannot be before the project started (%(date)s).",
                                     date=project_start(project).isoformat()))
    minutes = minutes_of(hours)
    # Serialise a member's own entries (PostgreSQL) so that two tabs cannot both pass the bounds below.
    db.session.execute(select(User.id).where(User.id == actor.id).with_for_update())
    others = TimeEntry.id != entry.id if entry is not None else true()
    that_day = db.session.scalar(select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        TimeEntry.user_id == actor.id, TimeEntry.day == day, others))
    if that_day + minutes > MAX_DAY_MINUTES:
        raise FieldError.on("hours", _("You would log more than 24 hours on %(date)s (%(logged)s h logged already).",
                                       date=day.isoformat(), logged=_hours(that_day)))
    on_milestone = db.session.scalar(select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        TimeEntry.user_id == actor.id, TimeEntry.milestone_id == milestone_id, others))
    if on_milestone + minutes > MAX_MILESTONE_MINUTES:
        raise FieldError.on("hours", _("More than %(count)d hours on one milestone is not plausible; check the "
                                       "hours you entered.", count=MAX_MILESTONE_MINUTES // 60))
    return day, minutes, note


def _hours(minutes: int) -> str:
    return f"{Decimal(minutes) / 60:.2f}"


def log_time(milestone, actor, *, day: date | None, hours, note: str | None) -> TimeEntry:
    """A team member logs time spent on a milestone of their open project."""
    project = milestone.project
    require(actor, "learning.log_time", project)
    day, minutes, note = _checked(project, milestone.id, actor, day, hours, note)
    entry = TimeEntry(user_id=actor.id, project_id=project.id, milestone_id=milestone.id, day=day,
                      minutes=minutes, note=note)
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "time_entry", entry.id, "create")
    db.session.commit()
    return entry


def update_time(entry: TimeEntry, actor, *, day: date | None, hours, note: str | None) -> None:
    """A member corrects one of their own entries until the project is delivered."""
    require(actor, "learning.edit_time", entry)
    entry.day, entry.minutes, entry.note = _checked(entry.project, entry.milestone_id, actor, day, hours, note,
                                                    entry)
    audit.record(actor, "time_entry", entry.id, "edit")
    db.session.commit()


def delete_time(entry: TimeEntry, actor) -> None:
    require(actor, "learning.edit_time", entry)
    audit.record(actor, "time_entry", entry.id, "delete")
    db.session.delete(entry)
    db.session.commit()


def _texts(did: str | None, learned: str | None, differently: str | None) -> dict[str, str]:
    texts = {"did": (did or "").strip(), "learned": (learned or "").strip(),
             "differently": (differently or "").strip()}
    errors = {}
    for name in REFLECTION_FIELDS:
        if len(texts[name]) < REFLECTION_MIN:
            errors[name] = _("Write at least %(count)d characters.", count=REFLECTION_MIN)
        elif len(texts[name]) > REFLECTION_MAX:
            errors[name] = _("Use at most %(count)d characters.", count=REFLECTION_MAX)
    if errors:
        raise FieldError(errors)
    return texts


def reflect(submission, actor, *, did: str | None, learned: str | None, differently: str | None,
            reflection: Reflection | None = None) -> Reflection:
    """The author of a submission writes their reflection on it, or edits the one they wrote, until the
    project is delivered. `submission.milestone.project` is loaded by the caller."""
    require(actor, "learning.reflect", submission)
    texts = _texts(did, learned, differently)
    if reflection is None:
        reflection = Reflection(submission_id=submission.id, project_id=submission.milestone.project.id,
                                author_id=actor.id, **texts)
        db.session.add(reflection)
        db.session.flush()
        audit.record(actor, "reflection", reflection.id, "create")
    else:
        for name, text in texts.items():
            setattr(reflection, name, text)
        reflection.updated_at = utcnow()
        audit.record(actor, "reflection", reflection.id, "edit")
    db.session.commit()
    return reflection


def set_public(reflection: Reflection, actor, public: bool) -> None:
    """The author makes a reflection public (evidence anyone may read) or private again."""
    require(actor, "learning.publish_reflection", reflection)
    if reflection.public != public:
        reflection.public = public
        audit.record(actor, "reflection", reflection.id, "publish" if public else "unpublish")
        db.session.commit()
