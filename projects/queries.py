"""Read-side queries for project pages; each runs a fixed number of SQL statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload, with_expression

from accounts.models import Skill, User, label_for, user_skill
from chapters.models import LEAD_ROLES, Chapter, ChapterMembership
from core import audit, text_search
from core.extensions import db
from projects import sponsor_links, waiting
from projects.models import (Application, Milestone, Project, ProjectActivity, ProjectCompetency, ProjectImpact,
                             Review, Submission, TeamMember, project_skill)

# Recruiting projects first, then the others by how alive they are (models.STATUS_RANK); newest first within
# each. The index ix_project_listing serves this order.
LISTING_ORDER = (Project.status_rank.desc(), Project.created_at.desc(), Project.id.desc())


# Project cards show skills and impact areas: load them for the whole page in two queries.
WITH_TAGS = (selectinload(Project.skills), selectinload(Project.impacts))
# One project: its impact areas and business competencies (with the roles practising them, see
# learning/models.py) come in the project's query; its skills in one more (joining them too makes SQLite
# materialise the whole skill join table).
WITH_TAGS_JOINED = (selectinload(Project.skills), joinedload(Project.impacts), joinedload(Project.competencies))
# The project page's delivery guard asks whether a sponsor confirmed: answered in the project's own query.
WITH_SPONSOR_FLAG = with_expression(Project.confirmed_sponsor, sponsor_links.confirmed_sponsor_exists(Project.id))


TEXT_COUNT_CAP = 200


@dataclass
class Filters:
    q: str = ""
    skill: str = ""
    sdg: int | None = None
    status: str = ""
    chapter: str = ""
    country: str = ""
    competency: str = ""
    sort: str = ""


def sort_order(sort: str, today: date) -> tuple:
    """The ORDER BY of a discovery sort (forms.SORT_CHOICES); an unknown one is the default order."""
    if sort == "newest":  # ix_project_created, read backwards
        return Project.created_at.desc(), Project.id.desc()
    if sort == "starting":  # projects still to start, soonest first; then those started, latest start first
        upcoming = case((Project.start_date >= today, 0), else_=1)
        return (upcoming, case((Project.start_date >= today, Project.start_date)),
                Project.start_date.desc().nulls_last(), Project.id.desc())
    if sort == "places":  # places anyone can still take: recruiting projects, most places left first
        return (Project.status_rank.desc(), (Project.team_max - Project.team_size).desc(), Project.created_at.desc(),
                Project.id.desc())
    return LISTING_ORDER


def discover(filters: Filters, page: int = 1, per_page: int = 20, today: date | None = None):
    """Published projects matching every filter given, in the order asked (recruiting first by default)."""
    query = discovery_query(filters, today)
    if not filters.q:
        return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)
    # Free text matches no index (LIKE '%…%'): counting every match would read every project again, so the
    # count stops at TEXT_COUNT_CAP + 1 ("more than 200 found"); the page itself stops at its 20th match.
    found = db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100, count=False)
    found.total = db.session.scalar(select(func.count()).select_from(
        query.order_by(None).options().with_only_columns(Project.id).limit(TEXT_COUNT_CAP + 1).subquery()))
    return found


def discovery_query(filters: Filters, today: date | None = None):
    """The statement of `discover` (also the API's, which pages it by cursor in LISTING_ORDER, the default sort)."""
    query = (select(Project).join(Project.chapter).options(contains_eager(Project.chapter), *WITH_TAGS)
             .where(Project.status != "draft", Chapter.status != "pending")
             .order_by(*sort_order(filters.sort, today or date.today())))
    if filters.q:
        query = query.where(or_(text_search.contains(Project.title, filters.q),
                                text_search.contains(Project.summary, filters.q)))
    if filters.skill:
        query = query.where(Project.id.in_(select(project_skill.c.project_id).join(Skill).where(
            Skill.slug == filters.skill)))
    if filters.sdg:
        query = query.where(Project.id.in_(select(ProjectImpact.project_id).where(ProjectImpact.sdg == filters.sdg)))
    if filters.competency:  # a framework code: from it to its projects (ix_project_competency_code)
        query = query.where(Project.id.in_(select(ProjectCompetency.project_id).where(
            ProjectCompetency.code == filters.competency)))
    if filters.status:
        query = query.where(Project.status == filters.status)
    if filters.chapter:  # a chapter's address, or the start of its name or its city
        query = query.where(or_(Chapter.slug == filters.chapter.lower(),
                                text_search.starts_with(Chapter.name, filters.chapter),
                                text_search.starts_with(Chapter.city, filters.chapter)))
    if filters.country:
        query = query.where(Chapter.country == filters.country)
    return query


def recommended_for(user, limit: int = 5) -> list[tuple[Project, int]]:
    """Recruiting projects ranked by how many of their required skills the member has.

    Ranked from the member's few skills outwards (user_skill → ix_project_skill_skill_id → projects by key)
    inside one subquery that keeps only `limit` rows, so no project list is scanned whatever its size."""
    joined = select(TeamMember.project_id).where(TeamMember.user_id == user.id)
    applied = select(Application.project_id).where(Application.user_id == user.id)
    shared = func.count().label("shared")
    ranked = (select(project_skill.c.project_id, shared)
              .join(user_skill, user_skill.c.skill_id == project_skill.c.skill_id)
              .join(Project, Project.id == project_skill.c.project_id).join(Chapter, Chapter.id == Project.chapter_id)
              .where(user_skill.c.user_id == user.id, Project.status == "recruiting", Chapter.status == "active",
                     project_skill.c.project_id.notin_(joined), project_skill.c.project_id.notin_(applied))
              .group_by(project_skill.c.project_id, Project.created_at)
              .order_by(shared.desc(), Project.created_at.desc(), project_skill.c.project_id.desc())
              .limit(limit).subquery())
    query = (select(Project, ranked.c.shared).join(ranked, ranked.c.project_id == Project.id)
             .order_by(ranked.c.shared.desc(), Project.created_at.desc(), Project.id.desc()))
    return [(project, count) for project, count in db.session.execute(query)]


def team(project: Project) -> list[TeamMember]:
    return list(db.session.scalars(
        select(TeamMember).join(TeamMember.user).options(contains_eager(TeamMember.user))
        .where(TeamMember.project_id == project.id, TeamMember.left_at.is_(None))
        .order_by(TeamMember.joined_at, TeamMember.id)))


def milestones(project: Project) -> list[Milestone]:
    return list(db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                   .order_by(Milestone.position, Milestone.id)))


def recent_activity(project: Project, limit: int = 20) -> list[ProjectActivity]:
    return list(db.session.scalars(select(ProjectActivity).where(ProjectActivity.project_id == project.id)
                                   .order_by(ProjectActivity.created_at.desc(), ProjectActivity.id.desc())
                                   .limit(limit)))


def applications(project: Project, page: int = 1):
    """Applicants with their skills, pending first."""
    pending_first = case({"pending": 0}, value=Application.status, else_=1)
    query = (select(Application).join(Application.user)
             .options(contains_eager(Application.user).selectinload(User.skills))
             .where(Application.project_id == project.id)
             .order_by(pending_first, Application.created_at.desc()))
    return db.paginate(query, page=page, per_page=30, error_out=False)


def application_of(project: Project, user) -> Application | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Application).where(Application.project_id == project.id,
                                                       Application.user_id == user.id))


def application_by_id(project: Project, application_id: int) -> Application | None:
    return db.session.scalar(select(Application).options(joinedload(Application.user))
                             .where(Application.id == application_id, Application.project_id == project.id))


def history(milestone: Milestone) -> list:
    """Submissions and reviews of a milestone, oldest first, as one timeline."""
    submissions = db.session.scalars(select(Submission).options(joinedload(Submission.author))
                                     .where(Submission.milestone_id == milestone.id)).all()
    organisation = sponsor_links.sponsor_organisation
    reviews = []
    for review, sponsor in db.session.execute(
            select(Review, organisation.c.name).options(joinedload(Review.reviewer))
            .outerjoin(organisation, organisation.c.id == Review.sponsor_organisation_id)
            .where(Review.milestone_id == milestone.id)):
        review.sponsor_name = sponsor  # shown as "reviewed for <sponsor>"
        reviews.append(review)
    return sorted([*submissions, *reviews], key=lambda item: (item.created_at, isinstance(item, Review)))


def my_projects(user, limit: int = 50) -> list[TeamMember]:
    """The member's current teams, most recently changed first."""
    return list(db.session.scalars(
        select(TeamMember).join(TeamMember.project).options(contains_eager(TeamMember.project))
        .where(TeamMember.user_id == user.id, TeamMember.left_at.is_(None))
        .order_by(Project.status_changed_at.desc(), Project.id.desc()).limit(limit)))


@dataclass
class LedProject:
    project: Project
    waiting: list  # (waiting.Waiting, count) with count > 0


def led_projects(user, limit: int = 20) -> list[LedProject]:
    """The open projects (draft, recruiting, active) of the chapters the user leads, each with what waits for
    its leads (projects/waiting.py): one statement, from the user's lead memberships to their chapters'
    projects (ix_project_chapter_status), each count a correlated subquery on an index."""
    led = select(ChapterMembership.chapter_id).where(ChapterMembership.user_id == user.id,
                                                     ChapterMembership.role.in_(LEAD_ROLES))
    query = (select(Project).where(Project.chapter_id.in_(led), Project.status.in_(("draft", "recruiting", "active")))
             .order_by(Project.status_rank.desc(), Project.status_changed_at.desc(), Project.id.desc()).limit(limit))
    query, kinds = waiting.counted(query, Project)
    return [LedProject(row[0], [(kind, n) for kind, n in zip(kinds, row[1:]) if n])
            for row in db.session.execute(query)]


def my_applications(user) -> list[Application]:
    return list(db.session.scalars(
        select(Application).join(Application.project).options(contains_eager(Application.project))
        .where(Application.user_id == user.id).order_by(Application.created_at.desc()).limit(20)))


def chapter_projects(chapter, include_drafts: bool) -> list[Project]:
    query = (select(Project).where(Project.chapter_id == chapter.id)
             .order_by(*LISTING_ORDER).limit(100))
    if not include_drafts:
        query = query.where(Project.status != "draft")
    return list(db.session.scalars(query))


def count_by_status() -> dict[str, int]:
    return dict(db.session.execute(select(Project.status, func.count()).group_by(Project.status)).all())


def featured(limit: int = 3) -> list[Project]:
    return list(db.session.scalars(
        select(Project).join(Project.chapter).options(contains_eager(Project.chapter), *WITH_TAGS)
        .where(Project.status == "recruiting", Chapter.status == "active")
        .order_by(Project.created_at.desc()).limit(limit)))


def skill_choices() -> list[tuple[str, str]]:
    """Skills that published projects require, for the discovery filter: for each skill (a few dozen), the
    database stops at its first published project (ix_project_skill_skill_id) instead of reading them all."""
    published = (select(project_skill.c.project_id).join(Project, Project.id == project_skill.c.project_id)
                 .where(project_skill.c.skill_id == Skill.id, Project.status != "draft"))
    query = select(Skill.slug, Skill.name, Skill.name_fr).where(published.exists())
    named = [(slug, label_for(name, name_fr)) for slug, name, name_fr in db.session.execute(query)]
    return sorted(named, key=lambda choice: choice[1].casefold())  # by name in the reader's language


@dataclass(frozen=True)
class AcceptedSubmission:
    project_id: int
    author_id: int
    submission_id: int
    milestone_id: int
    milestone_title: str
    accepted_at: object


def accepted_submissions(connection, project_ids) -> list[AcceptedSubmission]:
    """The submissions a review accepted on the accepted milestones of `project_ids` (ids, or a select of
    them), by project, milestone order and submission: one statement, on a session or a connection."""
    accepted = select(Review.submission_id).where(Review.decision == "accepted", Review.submission_id.is_not(None))
    rows = connection.execute(
        select(Milestone.project_id, Submission.author_id, Submission.id, Milestone.id, Milestone.title,
               Milestone.accepted_at)
        .join(Milestone, Milestone.id == Submission.milestone_id)
        .where(Milestone.project_id.in_(project_ids), Milestone.status == "accepted",
               Submission.author_id.is_not(None), Submission.id.in_(accepted))
        .order_by(Milestone.project_id, Milestone.position, Milestone.id, Submission.id))
    return [AcceptedSubmission(*row) for row in rows]


# The audit log names projects, milestones, applications and places on a team (one query per kind on a page).

@audit.subjects_of("project")
def _projects(ids: set[int]) -> dict[int, audit.Subject]:
    rows = db.session.execute(select(Project.id, Project.title).where(Project.id.in_(ids)))
    return {id_: audit.Subject(title, url_for("projects.detail", project_id=id_)) for id_, title in rows}


@audit.subjects_of("milestone")
def _milestones(ids: set[int]) -> dict[int, audit.Subject]:
    rows = db.session.execute(select(Milestone.id, Milestone.title, Project.id, Project.title)
                              .join(Project, Project.id == Milestone.project_id).where(Milestone.id.in_(ids)))
    return {id_: audit.Subject(f"{title} · {project}", url_for("projects.milestone", project_id=project_id,
                                                                milestone_id=id_))
            for id_, title, project_id, project in rows}


def _people_on_projects(model, ids: set[int]) -> dict[int, audit.Subject]:
    rows = db.session.execute(select(model.id, User.name, Project.id, Project.title)
                              .join(User, User.id == model.user_id).join(Project, Project.id == model.project_id)
                              .where(model.id.in_(ids)))
    return {id_: audit.Subject(f"{name} · {title}", url_for("projects.detail", project_id=project_id))
            for id_, name, project_id, title in rows}


@audit.subjects_of("application")
def _applications(ids: set[int]) -> dict[int, audit.Subject]:
    return _people_on_projects(Application, ids)


@audit.subjects_of("team_member")
def _team_members(ids: set[int]) -> dict[int, audit.Subject]:
    return _people_on_projects(TeamMember, ids)


def current_place(project: Project, member_id: int) -> TeamMember | None:
    """A current place on the project's team, with its member."""
    return db.session.scalar(select(TeamMember).options(joinedload(TeamMember.user)).where(
        TeamMember.id == member_id, TeamMember.project_id == project.id, TeamMember.left_at.is_(None)))
