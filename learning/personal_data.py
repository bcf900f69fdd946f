"""What learning holds about a member, for their data export: their learning goals with what was attested of
them, the attestations and endorsements they wrote, the time they logged and their reflections.

When they delete their account their goals (and what was attested of them), hours and reflections go: they
are about the person, and a reflection is their own writing, public or not. Attestations and endorsements
they wrote of others stay, signed by the pseudonymised account."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from core.extensions import db
from core.personal_data import Erasure, eraser, part
from learning.models import GoalAttestation, LearningGoal, ProjectEndorsement, Reflection, TimeEntry
from projects.models import Milestone, Project, Submission, TeamMember


@part("learning", _l("goals.json: your learning goals on each team, with the level attested and its sentence; "
                     "attestations_written.json: the goals you attested as a mentor or lead; "
                     "endorsements_written.json: the endorsements you wrote for a sponsor; "
                     "time_entries.json: the time you logged on project milestones, with your notes; "
                     "reflections.json: your reflections on the deliverables you submitted, and whether each "
                     "is public."))
def learning(user) -> dict:
    return {**goals_and_attestations(user), **evidence(user)}


def goals_and_attestations(user) -> dict:
    goals = db.session.execute(
        select(Project.title.label("project"), LearningGoal.project_id, LearningGoal.code, LearningGoal.created_at,
               GoalAttestation.level, GoalAttestation.note, GoalAttestation.created_at.label("attested_at"))
        .join(TeamMember, TeamMember.id == LearningGoal.team_member_id)
        .join(Project, Project.id == LearningGoal.project_id)
        .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
        .where(TeamMember.user_id == user.id).order_by(LearningGoal.created_at, LearningGoal.id))
    written = db.session.execute(
        select(Project.title.label("project"), LearningGoal.code, GoalAttestation.level, GoalAttestation.note,
               GoalAttestation.created_at)
        .join(LearningGoal, LearningGoal.id == GoalAttestation.goal_id)
        .join(Project, Project.id == LearningGoal.project_id)
        .where(GoalAttestation.attested_by_id == user.id).order_by(GoalAttestation.created_at))
    endorsements = db.session.execute(
        select(Project.title.label("project"), ProjectEndorsement.text, ProjectEndorsement.created_at)
        .join(Project, Project.id == ProjectEndorsement.project_id)
        .where(ProjectEndorsement.author_id == user.id).order_by(ProjectEndorsement.created_at))
    return {"goals.json": [row._asdict() for row in goals],
            "attestations_written.json": [row._asdict() for row in written],
            "endorsements_written.json": [row._asdict() for row in endorsements]}


def evidence(user) -> dict:
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
def erase_learning(erasure: Erasure) -> None:
    places = select(TeamMember.id).where(TeamMember.user_id == erasure.user_id)
    goals = select(LearningGoal.id).where(LearningGoal.team_member_id.in_(places))
    db.session.execute(delete(GoalAttestation).where(GoalAttestation.goal_id.in_(goals)))
    db.session.execute(delete(LearningGoal).where(LearningGoal.team_member_id.in_(places)))
    db.session.execute(delete(Reflection).where(Reflection.author_id == erasure.user_id))
    db.session.execute(delete(TimeEntry).where(TimeEntry.user_id == erasure.user_id))
