"""What learning holds about a member, for their data export: their learning goals with what was attested of
them, the attestations they wrote and the endorsements they wrote for a sponsor."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.personal_data import part
from learning.models import GoalAttestation, LearningGoal, ProjectEndorsement
from projects.models import Project, TeamMember


@part("learning", _l("goals.json: your learning goals on each team, with the level attested and its sentence; "
                     "attestations_written.json: the goals you attested as a mentor or lead; "
                     "endorsements_written.json: the endorsements you wrote for a sponsor."))
def learning(user) -> dict:
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
