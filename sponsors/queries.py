"""Read-side queries for sponsor pages; each runs a fixed number of SQL statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from accounts.models import User
from core import audit
from core.audit import utcnow
from core.extensions import db
from projects.models import Milestone, Project
from sponsors.models import SponsorInvitation, SponsorMember, SponsorOrganisation, Sponsorship


def directory(page: int = 1, per_page: int = 24):
    return db.paginate(directory_query(), page=page, per_page=per_page, error_out=False, max_per_page=100)


def directory_query():
    """Active organisations by name (the directory's statement; the API pages it by cursor)."""
    return (select(SponsorOrganisation).where(SponsorOrganisation.status == "active")
            .order_by(SponsorOrganisation.name, SponsorOrganisation.id))


def pending_organisations(limit: int = 100) -> list[SponsorOrganisation]:
    query = (select(SponsorOrganisation).join(SponsorOrganisation.created_by, isouter=True)
             .options(contains_eager(SponsorOrganisation.created_by))
             .where(SponsorOrganisation.status == "pending").order_by(SponsorOrganisation.created_at).limit(limit))
    return list(db.session.scalars(query))


def members(org: SponsorOrganisation) -> list[SponsorMember]:
    return list(db.session.scalars(
        select(SponsorMember).join(SponsorMember.user).options(contains_eager(SponsorMember.user))
        .where(SponsorMember.organisation_id == org.id).order_by(SponsorMember.role, User.name).limit(200)))


def memberships_of(user) -> list[SponsorMember]:
    """The user's organisations and roles (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(SponsorMember).join(SponsorMember.organisation).options(contains_eager(SponsorMember.organisation))
        .where(SponsorMember.user_id == user.id).order_by(SponsorOrganisation.name)))


def prime_roles(sponsorships, memberships, user) -> None:
    """Tell each organisation on the page the viewer's role, known from `memberships`: no query per row."""
    if not getattr(user, "is_authenticated", False):
        return
    roles = {m.organisation_id: m.role for m in memberships}
    for m in memberships:
        m.organisation.remember_role(user, m.role)
    for s in sponsorships:
        s.organisation.remember_role(user, roles.get(s.organisation_id))


def of_project(project, limit: int = 100) -> list[Sponsorship]:
    """Every sponsorship of a project, confirmed first, newest first (one query)."""
    return list(db.session.scalars(
        select(Sponsorship).where(Sponsorship.project_id == project.id)
        .order_by(Sponsorship.status != "confirmed", Sponsorship.created_at.desc(), Sponsorship.id.desc())
        .limit(limit)))


def of_organisation(org, statuses, page: int = 1, per_page: int = 25):
    """One page of the organisation's sponsorships in `statuses`, newest first, with their projects and chapters."""
    query = (select(Sponsorship).join(Sponsorship.project)
             .where(Sponsorship.organisation_id == org.id, Sponsorship.status.in_(statuses), Project.status != "draft")
             .order_by(Sponsorship.created_at.desc(), Sponsorship.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def funding_totals(org) -> list[tuple[str, int]]:
    """The organisation's confirmed funding per currency, across all its sponsored projects (one query)."""
    return [tuple(row) for row in db.session.execute(
        select(Sponsorship.currency, func.sum(Sponsorship.amount_minor)).join(Sponsorship.project)
        .where(Sponsorship.organisation_id == org.id, Sponsorship.status == "confirmed",
               Sponsorship.kind == "funding", Project.status != "draft")
        .group_by(Sponsorship.currency).order_by(Sponsorship.currency))]


def pending_invitations(org, limit: int = 100) -> list[SponsorInvitation]:
    """Invitations of the organisation still waiting for an answer (at most MAX_PENDING_INVITATIONS exist)."""
    return list(db.session.scalars(select(SponsorInvitation).where(
        SponsorInvitation.organisation_id == org.id, SponsorInvitation.status == "pending")
        .order_by(SponsorInvitation.created_at.desc(), SponsorInvitation.id.desc()).limit(limit)))


def invitations_for(user, limit: int = 20) -> list[SponsorInvitation]:
    """The invitations waiting for the member's answer, with their organisations (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(SponsorInvitation).where(
        SponsorInvitation.email == user.email, SponsorInvitation.status == "pending",
        SponsorInvitation.expires_at > utcnow()).order_by(SponsorInvitation.created_at.desc()).limit(limit)))


def confirmed_for_chapter(chapter, limit: int = 100) -> list[Sponsorship]:
    return list(db.session.scalars(
        select(Sponsorship).join(Sponsorship.project)
        .where(Project.chapter_id == chapter.id, Project.status != "draft", Sponsorship.status == "confirmed")
        .order_by(Sponsorship.created_at.desc()).limit(limit)))


def active_organisations(limit: int = 500) -> list[tuple[int, str]]:
    return list(db.session.execute(select(SponsorOrganisation.id, SponsorOrganisation.name)
                                   .where(SponsorOrganisation.status == "active")
                                   .order_by(SponsorOrganisation.name).limit(limit)).all())


def sponsored_project_ids(org):
    """The ids of the projects the organisation has a confirmed sponsorship of (a subquery)."""
    return (select(Sponsorship.project_id)
            .where(Sponsorship.organisation_id == org.id, Sponsorship.status == "confirmed"))


def sponsored_projects(org, page: int = 1, per_page: int = 20):
    """The organisation's sponsored projects, recently changed first, a page at a time (with their chapters)."""
    query = (select(Project).where(Project.id.in_(sponsored_project_ids(org)), Project.status != "draft")
             .order_by(Project.status_changed_at.desc(), Project.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


@dataclass(frozen=True)
class Progress:
    accepted: int
    total: int
    next_due: date | None


def progress(project_ids) -> dict[int, Progress]:
    """Milestones accepted, in all, and the next due date of those not accepted, per project (one query)."""
    not_accepted = Milestone.status != "accepted"
    rows = db.session.execute(
        select(Milestone.project_id, func.count(), func.sum(case((not_accepted, 0), else_=1)),
               func.min(case((not_accepted, Milestone.due_date))))
        .where(Milestone.project_id.in_(list(project_ids))).group_by(Milestone.project_id))
    return {project_id: Progress(int(accepted or 0), total, next_due)
            for project_id, total, accepted, next_due in rows}


def reviews_waiting(org, page: int = 1, per_page: int = 20):
    """Submitted milestones of the organisation's active sponsored projects, oldest submission first."""
    query = (select(Milestone).join(Milestone.project).options(contains_eager(Milestone.project))
             .where(Milestone.status == "submitted", Project.status == "active",
                    Milestone.project_id.in_(sponsored_project_ids(org)))
             .order_by(Milestone.submitted_at, Milestone.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


def reviews_waiting_by_organisation(organisation_ids) -> dict[int, int]:
    """How many milestones wait for review in each organisation's active sponsored projects (one query)."""
    sponsored = (select(Sponsorship.organisation_id, Sponsorship.project_id)
                 .where(Sponsorship.organisation_id.in_(list(organisation_ids)), Sponsorship.status == "confirmed")
                 .distinct().subquery())
    return dict(db.session.execute(
        select(sponsored.c.organisation_id, func.count(Milestone.id))
        .join(Milestone, Milestone.project_id == sponsored.c.project_id)
        .join(Project, Project.id == Milestone.project_id)
        .where(Milestone.status == "submitted", Project.status == "active")
        .group_by(sponsored.c.organisation_id)).all())


# The audit log names organisations and sponsorships (one query per kind on a page).

@audit.subjects_of("organisation")
def _organisations(ids: set[int]) -> dict[int, audit.Subject]:
    rows = db.session.execute(select(SponsorOrganisation.id, SponsorOrganisation.name, SponsorOrganisation.slug)
                              .where(SponsorOrganisation.id.in_(ids)))
    return {id_: audit.Subject(name, url_for("sponsors.detail", slug=slug)) for id_, name, slug in rows}


@audit.subjects_of("sponsorship")
def _sponsorships(ids: set[int]) -> dict[int, audit.Subject]:
    rows = db.session.execute(select(Sponsorship.id, SponsorOrganisation.name, Project.id, Project.title)
                              .join(SponsorOrganisation, SponsorOrganisation.id == Sponsorship.organisation_id)
                              .join(Project, Project.id == Sponsorship.project_id).where(Sponsorship.id.in_(ids)))
    return {id_: audit.Subject(f"{name} · {title}", url_for("projects.detail", project_id=project_id))
            for id_, name, project_id, title in rows}
