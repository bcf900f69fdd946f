"""Reads for the learner's view: a member's learning record across projects (goals, attested levels, hours per
project), their evidence, and recruiting projects for their next step. One statement each, bounded."""
from __future__ import annotations

from sqlalchemy import and_, func, literal, select, union_all

from chapters.models import Chapter
from core.extensions import db
from credentials.models import Credential
from learning import framework
from learning.models import GoalAttestation, LearningGoal, Reflection, TimeEntry
from learning.profile import Evidence, GoalRecord, NextStep
from projects.models import Application, Milestone, Project, ProjectCompetency, Review, Submission, TeamMember

MAX_GOALS = 300  # a member's goals read for the profile (three per place: a hundred projects)
MAX_EVIDENCE = 100
MAX_NEXT_STEPS = 5


def goal_records(user) -> list[GoalRecord]:
    """Every goal of the member's places (not those they were removed from), with its project, its attested
    level, the member's hours on that project and whether their credential for it was revoked: one statement.
    Who may see which record is rule learning.view_record's answer."""
    hours = (select(func.coalesce(func.sum(TimeEntry.minutes), 0))
             .where(TimeEntry.project_id == LearningGoal.project_id, TimeEntry.user_id == user.id)
             .correlate(LearningGoal).scalar_subquery())
    revoked = (select(Credential.id).where(Credential.project_id == LearningGoal.project_id,
                                           Credential.recipient_id == user.id, Credential.revoked_at.is_not(None))
               .correlate(LearningGoal).exists())
    query = (select(LearningGoal.code, LearningGoal.project_id, Project.title, Project.status,
                    TeamMember.left_at.is_(None).label("current"), GoalAttestation.level,
                    hours.label("minutes"), revoked.label("revoked"))
             .select_from(LearningGoal)
             .join(TeamMember, TeamMember.id == LearningGoal.team_member_id)
             .join(Project, Project.id == LearningGoal.project_id)
             .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
             .where(TeamMember.user_id == user.id, TeamMember.removal_reason.is_(None))
             .order_by(Project.id.desc(), LearningGoal.id).limit(MAX_GOALS))
    return [GoalRecord(user_id=user.id, code=row.code, project_id=row.project_id, project_title=row.title,
                       project_status=row.status, current=bool(row.current), level=row.level,
                       minutes=int(row.minutes or 0), revoked=bool(row.revoked))
            for row in db.session.execute(query)]


def evidence_of(user, project_ids) -> list[Evidence]:
    """The member's public reflections and their deliverables that a review accepted, on the given projects,
    newest first, at most MAX_EVIDENCE: one statement. Private reflections are never read here."""
    project_ids = sorted(set(project_ids))
    if not project_ids:
        return []
    reflections = (select(literal("reflection").label("kind"), Reflection.id.label("id"),
                          Reflection.project_id.label("project_id"), Milestone.id.label("milestone_id"),
                          Milestone.title.label("title"), Reflection.created_at.label("at"))
                   .join(Submission, Submission.id == Reflection.submission_id)
                   .join(Milestone, Milestone.id == Submission.milestone_id)
                   .where(Reflection.author_id == user.id, Reflection.public.is_(True),
                          Reflection.project_id.in_(project_ids)))
    deliverables = (select(literal("deliverable").label("kind"), Submission.id.label("id"),
                           Milestone.project_id.label("project_id"), Milestone.id.label("milestone_id"),
                           Milestone.title.label("title"), func.max(Review.created_at).label("at"))
                    .join(Milestone, Milestone.id == Submission.milestone_id)
                    .join(Review, and_(Review.submission_id == Submission.id, Review.decision == "accepted"))
                    .where(Submission.author_id == user.id, Milestone.project_id.in_(project_ids))
                    .group_by(Submission.id, Milestone.project_id, Milestone.id, Milestone.title))
    both = union_all(reflections, deliverables).subquery()
    query = select(both).order_by(both.c.at.desc(), both.c.kind, both.c.id.desc()).limit(MAX_EVIDENCE)
    return [Evidence(kind=row.kind, id=row.id, project_id=row.project_id, milestone_id=row.milestone_id,
                     title=row.title) for row in db.session.execute(query)]


def next_steps(user, wanted: list[str], limit: int = MAX_NEXT_STEPS) -> list[NextStep]:
    """Recruiting projects (of active chapters) practising competencies in `wanted`, newest first, not those
    the member is on or applied to; each with the wanted competencies it practises: one statement (the
    projects are chosen in a bounded subquery, their codes joined to it)."""
    if not wanted:
        return []
    joined = select(TeamMember.project_id).where(TeamMember.user_id == user.id)
    applied = select(Application.project_id).where(Application.user_id == user.id)
    practising = select(ProjectCompetency.project_id).where(ProjectCompetency.code.in_(wanted))
    chosen = (select(Project.id, Project.title, Project.created_at, Chapter.name.label("chapter_name"))
              .join(Chapter, Chapter.id == Project.chapter_id)
              .where(Project.status == "recruiting", Chapter.status == "active", Project.id.in_(practising),
                     Project.id.notin_(joined), Project.id.notin_(applied))
              .order_by(Project.created_at.desc(), Project.id.desc()).limit(limit).subquery())
    rows = db.session.execute(
        select(chosen.c.id, chosen.c.title, chosen.c.chapter_name, ProjectCompetency.code)
        .join(ProjectCompetency, and_(ProjectCompetency.project_id == chosen.c.id,
                                      ProjectCompetency.code.in_(wanted)))
        .order_by(chosen.c.created_at.desc(), chosen.c.id.desc()))
    steps: dict[int, NextStep] = {}
    for row in rows:
        step = steps.setdefault(row.id, NextStep(row.id, row.title, row.chapter_name, []))
        step.codes.append(row.code)
    position = {code: n for n, code in enumerate(framework.COMPETENCIES)}
    for step in steps.values():
        step.codes.sort(key=lambda code: position.get(code, len(position)))
    return list(steps.values())
