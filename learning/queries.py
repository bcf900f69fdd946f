"""Read-side queries for the learning pages; each runs a fixed number of SQL statements."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from accounts.models import User
from chapters.models import Chapter
from core import memo
from core.extensions import db
from learning import framework
from learning.models import (KIND_LABELS, EndorsementSubject, GoalAttestation, LearningGoal, ProjectBusinessRole,
                             ProjectEndorsement, Reflection, TimeEntry, business_role_competency)
from projects import queries as project_queries, waiting
from projects.lifecycle import final_milestone
from projects.models import Application, Milestone, Project, ProjectCompetency, Review, Submission, TeamMember


def shown_counts() -> dict[str, int]:
    """How many members have shown each competency, by code: members with a goal attested as demonstrated
    (on any project; a member counts once per code). One grouped query."""
    query = (select(LearningGoal.code, func.count(TeamMember.user_id.distinct()))
             .join(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
             .join(TeamMember, TeamMember.id == LearningGoal.team_member_id)
             .where(GoalAttestation.level == "demonstrated")
             .group_by(LearningGoal.code))
    return dict(db.session.execute(query).all())


def recruiting_counts() -> dict[str, int]:
    """How many recruiting projects (of active chapters) practise each competency: one grouped query."""
    query = (select(ProjectCompetency.code, func.count())
             .join(Project, Project.id == ProjectCompetency.project_id)
             .join(Chapter, Chapter.id == Project.chapter_id)
             .where(Project.status == "recruiting", Chapter.status == "active")
             .group_by(ProjectCompetency.code))
    return dict(db.session.execute(query).all())


def recruiting_projects(code: str, page: int = 1):
    """Recruiting projects that practise the competency, as /projects/?competency=<code> lists them."""
    return project_queries.discover(project_queries.Filters(competency=code, status="recruiting"), page=page)


def roles_of(project) -> list[ProjectBusinessRole]:
    """The project's business roles, oldest first, each with its competency codes: one query (a role's row
    comes once per code)."""
    roles: dict[int, ProjectBusinessRole] = {}
    codes: dict[int, list[str]] = {}
    query = (select(ProjectBusinessRole, business_role_competency.c.code)
             .outerjoin(business_role_competency, business_role_competency.c.role_id == ProjectBusinessRole.id)
             .where(ProjectBusinessRole.project_id == project.id).order_by(ProjectBusinessRole.id))
    for role, code in db.session.execute(query):
        roles[role.id] = role
        codes.setdefault(role.id, []).extend([code] if code else [])
    for role in roles.values():
        role.__dict__["_codes"] = framework_order(codes[role.id])
    return list(roles.values())


def roles_practising(project) -> list[ProjectBusinessRole]:
    """The roles of the project that practise some of its competencies, with their codes, read from the
    competencies already loaded (ProjectCompetency.roles): no query when the project's query joined them."""
    roles: dict[int, ProjectBusinessRole] = {}
    codes: dict[int, list[str]] = {}
    for practised in project.competencies:
        for role in practised.roles:
            roles[role.id] = role
            codes.setdefault(role.id, []).append(practised.code)
    for role in roles.values():
        role.__dict__["_codes"] = framework_order(codes[role.id])
    return [roles[role_id] for role_id in sorted(roles)]


def codes_of(role: ProjectBusinessRole) -> list[str]:
    return framework_order(db.session.scalars(select(business_role_competency.c.code)
                                              .where(business_role_competency.c.role_id == role.id)))


def role_by_id(project, role_id: int) -> ProjectBusinessRole | None:
    return db.session.scalar(select(ProjectBusinessRole).where(ProjectBusinessRole.id == role_id,
                                                               ProjectBusinessRole.project_id == project.id))


def framework_order(codes) -> list[str]:
    """Codes in the framework's order (areas, then competencies), unknown codes last."""
    position = {code: n for n, code in enumerate(framework.COMPETENCIES)}
    return sorted(codes, key=lambda code: (position.get(code, len(position)), code))


def practised_codes(user) -> set[str]:
    """The competencies of the projects the member is or was on (places they were not removed from)."""
    return {row.code for row in team_places(user)}


def team_places(user) -> list:
    """The member's places on teams (those they were not removed from), one row per competency their project
    practises: the project, its status, whether the place is current and has a goal, and the state of their
    goal on that competency. One query, kept for the request: /me's sections share it."""
    has_goal = select(LearningGoal.id).where(LearningGoal.team_member_id == TeamMember.id).exists()
    # The member's goal on this competency there: None (no goal), "open" (not attested yet) or its level.
    goal_state = (select(func.coalesce(GoalAttestation.level, "open")).select_from(LearningGoal)
                  .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
                  .where(LearningGoal.team_member_id == TeamMember.id,
                         LearningGoal.code == ProjectCompetency.code).scalar_subquery())
    query = (select(ProjectCompetency.code, Project.id.label("project_id"), Project.title, Project.status,
                    TeamMember.left_at.is_(None).label("current"), has_goal.label("has_goal"),
                    goal_state.label("goal_state"), TeamMember.joined_at)
             .join(TeamMember, TeamMember.project_id == ProjectCompetency.project_id)
             .join(Project, Project.id == TeamMember.project_id)
             .where(TeamMember.user_id == user.id, TeamMember.removal_reason.is_(None)))
    return memo.per_request("_learning_team_places", user, lambda: db.session.execute(query).all())


def open_goal_codes(user) -> list[str]:
    """The competencies the member set goals on and has not demonstrated yet (on any project), in the
    framework's order."""
    places = team_places(user)
    shown = {row.code for row in places if row.goal_state == "demonstrated"}
    return framework_order({row.code for row in places if row.goal_state and row.code not in shown})


def wanted_codes(user) -> list[str]:
    """The competencies to recommend to the member, most wanted first: their open learning goals, then every
    competency of the framework they have not practised on a team yet, in the framework's order."""
    goals = open_goal_codes(user)
    practised = practised_codes(user) | set(goals)
    return goals + [code for code, c in framework.COMPETENCIES.items() if not c.retired and code not in practised]


def recommended_for(user, limit: int = 5) -> list[tuple[Project, list[str]]]:
    """Recruiting projects (of active chapters) that practise competencies the member wants, those practising
    an open goal of theirs first, then newest first, not those they are on or applied to; each with the wanted
    competencies it practises. Two statements: the member's team places (shared with /me's other sections),
    then the chosen projects with their chapters and wanted codes, one row per code."""
    wanted = wanted_codes(user)
    if not wanted:
        return []
    joined = select(TeamMember.project_id).where(TeamMember.user_id == user.id)
    applied = select(Application.project_id).where(Application.user_id == user.id)
    practising = select(ProjectCompetency.project_id).where(ProjectCompetency.code.in_(wanted))
    for_goals = Project.id.in_(select(ProjectCompetency.project_id)
                               .where(ProjectCompetency.code.in_(open_goal_codes(user))))
    order = (for_goals.desc(), Project.created_at.desc(), Project.id.desc())
    chosen = (select(Project.id).join(Project.chapter)
              .where(Project.status == "recruiting", Chapter.status == "active", Project.id.in_(practising),
                     Project.id.notin_(joined), Project.id.notin_(applied))
              .order_by(*order).limit(limit).subquery())
    found: dict[int, tuple[Project, list[str]]] = {}
    for project, code in db.session.execute(
            select(Project, ProjectCompetency.code).join(chosen, chosen.c.id == Project.id)
            .join(Project.chapter).options(contains_eager(Project.chapter))
            .join(ProjectCompetency, ProjectCompetency.project_id == Project.id)
            .where(ProjectCompetency.code.in_(wanted)).order_by(*order)):
        found.setdefault(project.id, (project, []))[1].append(code)
    return [(project, framework_order(codes)) for project, codes in found.values()]


# --- Learning goals and attestations (issue 21 items 3 and 5) ---------------------------------------------

def current_place(project, user) -> TeamMember | None:
    """The user's current place on the project's team."""
    return db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id,
                                                      TeamMember.user_id == user.id, TeamMember.left_at.is_(None)))


def goals_of_place(member: TeamMember) -> list[LearningGoal]:
    """A team place's goals in the framework's order, each with its attestation: one query."""
    goals = list(db.session.scalars(select(LearningGoal).where(LearningGoal.team_member_id == member.id)
                                    .options(selectinload(LearningGoal.attestation))))
    return _in_framework_order(goals)


def _in_framework_order(goals):
    position = {code: n for n, code in enumerate(framework_order({goal.code for goal in goals}))}
    return sorted(goals, key=lambda goal: (position[goal.code], goal.id))


def attestation_of(goal: LearningGoal) -> GoalAttestation | None:
    return db.session.scalar(select(GoalAttestation).where(GoalAttestation.goal_id == goal.id))


def goal_by_id(project, goal_id: int) -> LearningGoal | None:
    """One goal of the project, with its team place (and so its member's project) loaded."""
    return db.session.scalar(select(LearningGoal).options(selectinload(LearningGoal.member))
                             .where(LearningGoal.id == goal_id, LearningGoal.project_id == project.id))


def team_goals(project) -> list[tuple[TeamMember, list[LearningGoal]]]:
    """The current team, each member with their goals (and their attestations, with who attested), members in
    the order they joined: three queries whatever the team's size."""
    members = list(db.session.scalars(
        select(TeamMember).options(selectinload(TeamMember.user))
        .where(TeamMember.project_id == project.id, TeamMember.left_at.is_(None))
        .order_by(TeamMember.joined_at, TeamMember.id)))
    by_place: dict[int, list[LearningGoal]] = {member.id: [] for member in members}
    if members:
        goals = db.session.scalars(
            select(LearningGoal).where(LearningGoal.team_member_id.in_(by_place))
            .options(selectinload(LearningGoal.attestation).joinedload(GoalAttestation.attested_by)))
        for goal in goals:
            by_place[goal.team_member_id].append(goal)
    return [(member, _in_framework_order(by_place[member.id])) for member in members]


def waiting_for_attestation(project) -> list[str]:
    """The display names of the current team members with a goal not attested yet, in the order they joined:
    one query. Members without goals wait for nothing."""
    query = (select(User.name).distinct().select_from(LearningGoal)
             .join(TeamMember, TeamMember.id == LearningGoal.team_member_id)
             .join(User, User.id == TeamMember.user_id)
             .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
             .where(LearningGoal.project_id == project.id, TeamMember.left_at.is_(None),
                    GoalAttestation.id.is_(None)))
    return sorted(db.session.scalars(query), key=str.casefold)


def places_without_goals(user) -> list[tuple[int, str]]:
    """(id, title) of the open projects (practising some competency) where the member's current place has no
    goal yet, latest joined first, at most ten: read from team_places (no query of its own on /me)."""
    projects = {}
    for row in sorted(team_places(user), key=lambda row: (row.joined_at, row.project_id), reverse=True):
        if row.current and not row.has_goal and row.status in ("draft", "recruiting", "active"):
            projects.setdefault(row.project_id, row.title)
    return list(projects.items())[:10]


# --- The sponsor's endorsement ----------------------------------------------------------------------------

def endorsement_subject(project) -> EndorsementSubject:
    """The project with the latest review accepting its final milestone for a sponsor (one query)."""
    review = db.session.scalar(select(Review).where(
        Review.milestone_id == final_milestone(project), Review.decision == "accepted",
        Review.sponsor_organisation_id.is_not(None)).order_by(Review.created_at.desc(), Review.id.desc()).limit(1))
    return EndorsementSubject(project, review)


def endorsement_state(project) -> tuple[EndorsementSubject, ProjectEndorsement | None]:
    """The endorsement subject (as endorsement_subject) and the project's endorsement, in one statement."""
    row = db.session.execute(
        select(Review, ProjectEndorsement)
        .outerjoin(ProjectEndorsement, ProjectEndorsement.project_id == project.id)
        .where(Review.milestone_id == final_milestone(project), Review.decision == "accepted",
               Review.sponsor_organisation_id.is_not(None))
        .order_by(Review.created_at.desc(), Review.id.desc()).limit(1)).first()
    return EndorsementSubject(project, row[0] if row else None), row[1] if row else None


def endorsement_of(project) -> ProjectEndorsement | None:
    return db.session.scalar(select(ProjectEndorsement).where(ProjectEndorsement.project_id == project.id))


# --- What each member of a team learned, for their credential (credentials/issuing.py) ---------------------

@dataclass(frozen=True)
class MemberLearning:
    """One current team member's own learning on a project: the business role they took (kind and the leads'
    own title), their goals with what was attested (code, level or None, the attester's sentence), the time
    they logged and the reflections they made public (id, milestone title)."""

    role_kind: str | None = None
    role_name: str | None = None
    goals: tuple[tuple[str, str | None, str], ...] = ()
    minutes: int = 0
    public_reflections: tuple[tuple[int, str], ...] = ()

    @property
    def role_label(self):
        return self.role_name or (KIND_LABELS[self.role_kind] if self.role_kind else None)


def learning_of_teams(connection, project_ids) -> dict[tuple[int, int], MemberLearning]:
    """(project id, user id) → MemberLearning for the current team members of `project_ids` (ids, or a select
    of them) who have any: four statements, on a session or a connection, whatever the number of projects."""
    current = TeamMember.left_at.is_(None)
    found: dict[tuple[int, int], dict] = {}

    def entry(project_id: int, user_id: int) -> dict:
        return found.setdefault((project_id, user_id), {})

    for project_id, user_id, kind, name in connection.execute(
            select(TeamMember.project_id, TeamMember.user_id, ProjectBusinessRole.kind, ProjectBusinessRole.name)
            .join(ProjectBusinessRole, ProjectBusinessRole.holder_id == TeamMember.id)
            .where(TeamMember.project_id.in_(project_ids), current)):
        entry(project_id, user_id).update(role_kind=kind, role_name=name)
    for project_id, user_id, code, level, note in connection.execute(
            select(TeamMember.project_id, TeamMember.user_id, LearningGoal.code, GoalAttestation.level,
                   GoalAttestation.note)
            .join(LearningGoal, LearningGoal.team_member_id == TeamMember.id)
            .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
            .where(TeamMember.project_id.in_(project_ids), current).order_by(LearningGoal.id)):
        entry(project_id, user_id).setdefault("goals", []).append((code, level, note or ""))
    for project_id, user_id, minutes in connection.execute(
            select(TimeEntry.project_id, TimeEntry.user_id, func.sum(TimeEntry.minutes))
            .where(TimeEntry.project_id.in_(project_ids)).group_by(TimeEntry.project_id, TimeEntry.user_id)):
        entry(project_id, user_id)["minutes"] = int(minutes)
    for project_id, user_id, reflection_id, title in connection.execute(
            select(Reflection.project_id, Reflection.author_id, Reflection.id, Milestone.title)
            .join(Submission, Submission.id == Reflection.submission_id)
            .join(Milestone, Milestone.id == Submission.milestone_id)
            .where(Reflection.project_id.in_(project_ids), Reflection.public)
            .order_by(Milestone.position, Reflection.id)):
        entry(project_id, user_id).setdefault("public_reflections", []).append((reflection_id, title))
    return {key: MemberLearning(goals=tuple(values.pop("goals", ())),
                                public_reflections=tuple(values.pop("public_reflections", ())), **values)
            for key, values in found.items()}


# --- What waits for a project's leads on /me (projects/waiting.py) -----------------------------------------

def _goals_awaiting_attestation(project):
    """Current members' goals not attested yet, on an active project (only then are goals attested):
    from the project's goals (ix_learning_goal_project) to their places and attestations by key."""
    return (select(func.count(LearningGoal.id))
            .join(TeamMember, TeamMember.id == LearningGoal.team_member_id)
            .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
            .where(LearningGoal.project_id == project.id, TeamMember.left_at.is_(None),
                   GoalAttestation.id.is_(None), project.status == "active")
            .scalar_subquery())


waiting.register(waiting.Waiting(
    "attestations", lambda n: ngettext("%(num)d learning goal to attest", "%(num)d learning goals to attest", n),
    "learning.attestations", _goals_awaiting_attestation))
