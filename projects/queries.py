"""Read-side queries for project pages; each runs a fixed number of SQL statements."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload, with_expression

from accounts.models import Skill, User, user_skill
from chapters.models import LEAD_ROLES, Chapter, ChapterMembership
from core.extensions import db
from projects import sponsor_links
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


def discover(filters: Filters, page: int = 1, per_page: int = 20):
    """Published projects matching every filter given, recruiting first, newest first."""
    query = discovery_query(filters)
    if not filters.q:
        return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)
    # Free text matches no index (LIKE '%…%'): counting every match would read every project again, so the
    # count stops at TEXT_COUNT_CAP + 1 ("more than 200 found"); the page itself stops at its 20th match.
    found = db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100, count=False)
    found.total = db.session.scalar(select(func.count()).select_from(
        query.order_by(None).options().with_only_columns(Project.id).limit(TEXT_COUNT_CAP + 1).subquery()))
    return found


def discovery_query(filters: Filters):
    """The statement of `discover` (also the API's, which pages it by cursor), in LISTING_ORDER."""
    query = (select(Project).join(Project.chapter).options(contains_eager(Project.chapter), *WITH_TAGS)
             .where(Project.status != "draft", Chapter.status != "pending")
             .order_by(*LISTING_ORDER))
    if filters.q:
        like = f"%{filters.q}%"
        query = query.where(or_(Project.title.ilike(like), Project.summary.ilike(like)))
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
    if filters.chapter:
        query = query.where(Chapter.slug == filters.chapter)
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


def my_applications(user) -> list[Application]:
    return list(db.session.scalars(
        select(Application).join(Application.project).options(contains_eager(Application.project))
        .where(Application.user_id == user.id).order_by(Application.created_at.desc()).limit(20)))


def reviews_waiting(user) -> list[Milestone]:
    """Submitted milestones of active projects (only those can be reviewed) in chapters the user leads:
    from the user's chapters to their active projects (ix_project_chapter_status) to their submitted
    milestones (ix_milestone_project_status), never through every submitted milestone of the platform."""
    led = select(ChapterMembership.chapter_id).where(ChapterMembership.user_id == user.id,
                                                     ChapterMembership.role.in_(LEAD_ROLES))
    active = select(Project.id).where(Project.chapter_id.in_(led), Project.status == "active")
    return list(db.session.scalars(
        select(Milestone).options(joinedload(Milestone.project, innerjoin=True))
        .where(Milestone.project_id.in_(active), Milestone.status == "submitted")
        .order_by(Milestone.submitted_at).limit(50)))


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
    query = select(Skill.slug, Skill.name).where(published.exists()).order_by(Skill.name)
    return [(slug, name) for slug, name in db.session.execute(query)]



def chapter_choices(country: str = "", chosen: str = "") -> list[tuple[str, str]]:
    """Active chapters for the discovery filter: those of the chosen country (a dozen, where a list of every
    chapter would be a thousand options on every page) and the chapter already chosen, so links keep working."""
    if not (country or chosen):
        return []
    query = (select(Chapter.slug, Chapter.name).where(Chapter.status == "active")
             .where(or_(Chapter.country == country, Chapter.slug == chosen)).order_by(Chapter.name).limit(500))
    return [(slug, name) for slug, name in db.session.execute(query)]


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
