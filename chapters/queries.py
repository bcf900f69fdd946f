"""Read-side queries for chapter pages: each runs a fixed number of SQL statements."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, undefer

from accounts.models import User
from chapters.models import LEAD_ROLES, Chapter, ChapterMembership
from core import audit, memo
from core.extensions import db


def search_active(q: str = "", city: str = "", country: str = "", page: int = 1, per_page: int = 20):
    """Active chapters matching name, city and country, with their member counts, one page."""
    query = active_query(q, city, country)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


def active_query(q: str = "", city: str = "", country: str = ""):
    """The statement of `search_active` (also the API's, which pages it by cursor), by name then id."""
    query = (select(Chapter).options(undefer(Chapter.member_count))
             .where(Chapter.status == "active").order_by(Chapter.name, Chapter.id))
    if q:
        query = query.where(Chapter.name.ilike(f"%{q}%"))
    if city:
        query = query.where(Chapter.city.ilike(f"%{city}%"))
    if country:
        query = query.where(Chapter.country == country)
    return query


def leads(chapter: Chapter) -> list[ChapterMembership]:
    query = (select(ChapterMembership).join(ChapterMembership.user)
             .options(contains_eager(ChapterMembership.user))
             .where(ChapterMembership.chapter_id == chapter.id, ChapterMembership.role.in_(LEAD_ROLES))
             .order_by(ChapterMembership.role.desc(), User.name))
    return list(db.session.scalars(query))


def members(chapter: Chapter, page: int = 1, per_page: int = 48):
    query = (select(ChapterMembership).join(ChapterMembership.user)
             .options(contains_eager(ChapterMembership.user))
             .where(ChapterMembership.chapter_id == chapter.id, ChapterMembership.role == "member")
             .order_by(User.name, User.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def memberships_of(user) -> list[ChapterMembership]:
    """The user's chapter memberships with their chapters (one statement, shared by /me's sections)."""
    query = (select(ChapterMembership).join(ChapterMembership.chapter)
             .options(contains_eager(ChapterMembership.chapter))
             .where(ChapterMembership.user_id == user.id).order_by(Chapter.name))
    return memo.per_request("_chapter_memberships", user, lambda: list(db.session.scalars(query)))


def pending_chapters(limit: int = 100) -> list[Chapter]:
    query = (select(Chapter).join(Chapter.proposed_by, isouter=True)
             .options(contains_eager(Chapter.proposed_by))
             .where(Chapter.status == "pending").order_by(Chapter.created_at).limit(limit))
    return list(db.session.scalars(query))


def newest_active(limit: int = 3) -> list[Chapter]:
    """The most recently opened active chapters with their member counts (the home page's showcase)."""
    return list(db.session.scalars(select(Chapter).options(undefer(Chapter.member_count))
                                   .where(Chapter.status == "active")
                                   .order_by(Chapter.created_at.desc(), Chapter.id.desc()).limit(limit)))


def count_active() -> int:
    return db.session.scalar(select(func.count()).select_from(Chapter).where(Chapter.status == "active"))


@audit.subjects_of("chapter")
def _chapters(ids: set[int]) -> dict[int, audit.Subject]:
    """The audit log names chapters (one query for a page of events)."""
    rows = db.session.execute(select(Chapter.id, Chapter.name, Chapter.slug).where(Chapter.id.in_(ids)))
    return {id_: audit.Subject(name, url_for("chapters.detail", slug=slug)) for id_, name, slug in rows}
