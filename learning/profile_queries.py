"""Reads for the learner's view: a member's learning record across projects (goals, attested levels, hours per
project), their evidence, the workshops they attended, and recruiting projects for their next step. One
statement each, bounded."""
from __future__ import annotations

from sqlalchemy import Boolean, DateTime, Integer, String, and_, cast, func, literal, null, select, union_all

from chapters.models import Chapter
from core.extensions import db
from credentials.models import Credential
from events.models import Event, EventCompetency, Rsvp
from learning import framework
from learning.models import GoalAttestation, LearningGoal, Reflection, TimeEntry
from learning.profile import Evidence, GoalRecord, NextStep, Workshop
from projects.models import Application, Milestone, Project, ProjectCompetency, Review, Submission, TeamMember

MAX_GOALS = 300  # a member's goals read for the profile (three per place: a hundred projects)
MAX_EVIDENCE = 100
MAX_WORKSHOPS = 100  # (workshop, competency) pairs: twenty workshops of five competencies
MAX_NEXT_STEPS = 5


def learning_record(user) -> tuple[list[GoalRecord], list[Evidence], list[Workshop]]:
    """The member's learning record in one statement of three bounded parts (UNION ALL):

    - every goal of their places (not those they were removed from), with its project, its attested level, the
      member's hours on that project and whether their credential for it was revoked (at most MAX_GOALS);
    - their public reflections and their deliverables a review accepted, on the projects where they had a goal,
      newest first (at most MAX_EVIDENCE). Private reflections are never read here;
    - the workshops the organiser marked them as attending, with each competency a workshop covered, newest
      first (at most MAX_WORKSHOPS pairs): attendance is public on the portfolio already ("Events attended").

    Who may see which goal (and so which project's evidence) is rule learning.view_record's answer."""
    goals = _goals(user).subquery()
    evidence = _evidence(user).subquery()
    workshops = _workshops(user).subquery()
    rows = db.session.execute(union_all(select(goals), select(evidence), select(workshops)))
    records, items, attended = [], [], []
    for row in rows:
        if row.kind == "workshop":
            attended.append(Workshop(event_id=row.item_id, title=row.title, starts_at=row.at, code=row.code))
        elif row.kind == "goal":
            records.append(GoalRecord(user_id=user.id, code=row.code, project_id=row.project_id,
                                      project_title=row.title, project_status=row.status, current=bool(row.current),
                                      level=row.level, minutes=int(row.minutes or 0), revoked=bool(row.revoked)))
        else:
            items.append((row.at, Evidence(kind=row.kind, id=row.item_id, project_id=row.project_id,
                                           milestone_id=row.milestone_id, title=row.title)))
    items.sort(key=lambda pair: (pair[0], pair[1].kind, pair[1].id), reverse=True)
    attended.sort(key=lambda w: (w.starts_at, w.event_id), reverse=True)
    return records, [item for _at, item in items], attended


def _null(type_, name: str):
    """A typed NULL column: PostgreSQL types an untyped NULL of a derived table as text, which a UNION refuses."""
    return cast(null(), type_).label(name)


def _goals(user):
    hours = (select(func.coalesce(func.sum(TimeEntry.minutes), 0))
             .where(TimeEntry.project_id == LearningGoal.project_id, TimeEntry.user_id == user.id)
             .correlate(LearningGoal).scalar_subquery())
    revoked = (select(Credential.id).where(Credential.project_id == LearningGoal.project_id,
                                           Credential.recipient_id == user.id, Credential.revoked_at.is_not(None))
               .correlate(LearningGoal).exists())
    return (select(literal("goal").label("kind"), LearningGoal.project_id.label("project_id"),
                   Project.title.label("title"), Project.status.label("status"), LearningGoal.code.label("code"),
                   GoalAttestation.level.label("level"), TeamMember.left_at.is_(None).label("current"),
                   hours.label("minutes"), revoked.label("revoked"), _null(Integer, "item_id"),
                   _null(Integer, "milestone_id"), _null(DateTime, "at"))
            .select_from(LearningGoal)
            .join(TeamMember, TeamMember.id == LearningGoal.team_member_id)
            .join(Project, Project.id == LearningGoal.project_id)
            .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
            .where(TeamMember.user_id == user.id, TeamMember.removal_reason.is_(None))
            .order_by(Project.id.desc(), LearningGoal.id).limit(MAX_GOALS))


def _evidence(user):
    with_goals = (select(LearningGoal.project_id).join(TeamMember, TeamMember.id == LearningGoal.team_member_id)
                  .where(TeamMember.user_id == user.id))
    reflections = (select(literal("reflection").label("kind"), Reflection.project_id.label("project_id"),
                          Milestone.title.label("title"), Reflection.id.label("item_id"),
                          Milestone.id.label("milestone_id"), Reflection.created_at.label("at"))
                   .join(Submission, Submission.id == Reflection.submission_id)
                   .join(Milestone, Milestone.id == Submission.milestone_id)
                   .where(Reflection.author_id == user.id, Reflection.public.is_(True),
                          Reflection.project_id.in_(with_goals)))
    deliverables = (select(literal("deliverable").label("kind"), Milestone.project_id.label("project_id"),
                           Milestone.title.label("title"), Submission.id.label("item_id"),
                           Milestone.id.label("milestone_id"), func.max(Review.created_at).label("at"))
                    .join(Milestone, Milestone.id == Submission.milestone_id)
                    .join(Review, and_(Review.submission_id == Submission.id, Review.decision == "accepted"))
                    .where(Submission.author_id == user.id, Milestone.project_id.in_(with_goals))
                    .group_by(Submission.id, Milestone.project_id, Milestone.id, Milestone.title))
    both = union_all(reflections, deliverables).subquery()
    return (select(both.c.kind, both.c.project_id, both.c.title, _null(String, "status"), _null(String, "code"),
                   _null(String, "level"), _null(Boolean, "current"), _null(Integer, "minutes"),
                   _null(Boolean, "revoked"), both.c.item_id, both.c.milestone_id, both.c.at)
            .order_by(both.c.at.desc(), both.c.kind, both.c.item_id.desc()).limit(MAX_EVIDENCE))


def _workshops(user):
    return (select(literal("workshop").label("kind"), _null(Integer, "project_id"), Event.title.label("title"),
                   _null(String, "status"), EventCompetency.code.label("code"), _null(String, "level"),
                   _null(Boolean, "current"), _null(Integer, "minutes"), _null(Boolean, "revoked"),
                   Event.id.label("item_id"), _null(Integer, "milestone_id"), Event.starts_at.label("at"))
            .join(Rsvp, Rsvp.event_id == Event.id)
            .join(EventCompetency, EventCompetency.event_id == Event.id)
            .where(Rsvp.user_id == user.id, Rsvp.attended.is_(True), Event.kind == "workshop",
                   Event.status == "scheduled")
            .order_by(Event.starts_at.desc(), Event.id.desc(), EventCompetency.code).limit(MAX_WORKSHOPS))


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
