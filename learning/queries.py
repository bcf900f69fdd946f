"""Read-side queries for the learning pages; each runs a fixed number of SQL statements."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from chapters.models import Chapter
from core.extensions import db
from learning import framework
from learning.models import ProjectBusinessRole, business_role_competency
from projects import queries as project_queries
from projects.models import Application, Project, ProjectCompetency, TeamMember


def shown_counts() -> dict[str, int]:
    """How many members have shown each competency, by code.

    A competency is shown when a mentor (or a lead) attests it as demonstrated at a project's delivery.
    Attestations do not exist yet, so nobody has shown anything: every count is 0, without a query. The
    attestation work replaces this body with one grouped count over its table (distinct members per code
    whose attested level is "demonstrated"); the pages already read the counts from here."""
    return {}


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
    return set(db.session.scalars(
        select(ProjectCompetency.code).distinct()
        .join(TeamMember, TeamMember.project_id == ProjectCompetency.project_id)
        .where(TeamMember.user_id == user.id, TeamMember.removal_reason.is_(None))))


def wanted_codes(user) -> list[str]:
    """The competencies to recommend to the member, most wanted first.

    The hook for learning goals: today, every competency of the framework the member has not practised on
    a team yet, in the framework's order. When goals exist, the member's open goals (not yet attested as
    demonstrated) come first, followed by these."""
    practised = practised_codes(user)
    return [code for code, c in framework.COMPETENCIES.items() if not c.retired and code not in practised]


def recommended_for(user, limit: int = 5) -> list[tuple[Project, list[str]]]:
    """Recruiting projects (of active chapters) that practise competencies the member wants, newest first,
    not those they are on or applied to; each with the wanted competencies it practises. Three queries:
    the member's practised codes, the projects (newest recruiting first, stopping at `limit`), their codes."""
    wanted = wanted_codes(user)
    if not wanted:
        return []
    joined = select(TeamMember.project_id).where(TeamMember.user_id == user.id)
    applied = select(Application.project_id).where(Application.user_id == user.id)
    practising = select(ProjectCompetency.project_id).where(ProjectCompetency.code.in_(wanted))
    projects = list(db.session.scalars(
        select(Project).join(Project.chapter).options(contains_eager(Project.chapter),
                                                      selectinload(Project.competencies))
        .where(Project.status == "recruiting", Chapter.status == "active", Project.id.in_(practising),
               Project.id.notin_(joined), Project.id.notin_(applied))
        .order_by(Project.created_at.desc(), Project.id.desc()).limit(limit)))
    wanted_set = set(wanted)
    return [(project, framework_order(c for c in project.competency_codes if c in wanted_set))
            for project in projects]
