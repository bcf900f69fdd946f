"""What learning holds about a member, for their data export: the time they logged and their reflections.
When they delete their account both go: a reflection is their own writing, public or not."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from core.extensions import db
from core.personal_data import Erasure, eraser, part
from learning.models import Reflection, TimeEntry
from projects.models import Milestone, Project, Submission


@part("learning", _l("time_entries.json: the time you logged on project milestones, with your notes; "
                     "reflections.json: your reflections on the deliverables you submitted, and whether each "
                     "is public."))
def learning(user) -> dict:
    entries = db.session.execute(
        select(Project.title.label("project"), Milestone.title.label("milestone"), TimeEntry.day,
               TimeEntry.minutes, TimeEntry.note, TimeEntry.created_at)
        .join(Project, Project.id == TimeEntry.project_id).join(Milestone, Milestone.id == TimeEntry.milestone_id)
        .where(TimeEntry.user_id == user.id).order_by(TimeEntry.day, TimeEntry.id))
    reflections = db.session.execute(
        select(Project.title.label("project"), Milestone.title.label("milestone"),
               Submission.created_at.label("submitted_at"), Reflection.did.label("what_i_did"),
               Reflection.learned.label("what_i_learned"), Reflection.differently.label("what_i_would_do_differently"),
               Reflection.public, Reflection.created_at, Reflection.updated_at)
        .join(Project, Project.id == Reflection.project_id)
        .join(Submission, Submission.id == Reflection.submission_id)
        .join(Milestone, Milestone.id == Submission.milestone_id)
        .where(Reflection.author_id == user.id).order_by(Reflection.created_at, Reflection.id))
    return {"time_entries.json": [{**row._asdict(), "hours": round(row.minutes / 60, 2)} for row in entries],
            "reflections.json": [row._asdict() for row in reflections]}


@eraser("learning")
def erase_evidence(erasure: Erasure) -> None:
    db.session.execute(delete(Reflection).where(Reflection.author_id == erasure.user_id))
    db.session.execute(delete(TimeEntry).where(TimeEntry.user_id == erasure.user_id))
