"""What the search finds: public data only, each kind in a fixed number of statements.

Projects: published (not drafts) in chapters that are not pending. Chapters: not pending. People: profiles
everyone may see (not hidden, not suspended, not deleted), by name or handle; never an email address.
Free text is matched literally (core/text_search.py) and matches no index (LIKE '%…%'): each list stops at
the rows it shows, and a count stops at COUNT_CAP.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from accounts.models import User
from chapters.models import Chapter
from core.extensions import db
from core.text_search import contains
from projects.models import Project

KINDS = ("projects", "chapters", "people")
PREVIEW = 5  # results of each kind on the page that shows all three
PER_PAGE = 20  # results on a page of one kind
COUNT_CAP = 200


def projects(q: str):
    return (select(Project).join(Project.chapter)
            .where(Project.status != "draft", Chapter.status != "pending",
                   or_(contains(Project.title, q), contains(Project.summary, q)))
            .order_by(Project.status_rank.desc(), Project.created_at.desc(), Project.id.desc()))


def chapters(q: str):
    return (select(Chapter).where(Chapter.status != "pending",
                                  or_(contains(Chapter.name, q), contains(Chapter.city, q)))
            .order_by(Chapter.name, Chapter.id))


def people(q: str):
    # Only the columns a result shows: no email address leaves the database for a search.
    return (select(User.handle, User.name, User.city, User.country)
            .where(User.profile_hidden.is_(False), User.suspended_at.is_(None), User.deleted_at.is_(None),
                   or_(contains(User.name, q), contains(User.handle, q)))
            .order_by(User.name, User.id))


QUERIES = {"projects": projects, "chapters": chapters, "people": people}


@dataclass
class Preview:
    kind: str
    items: list
    more: bool  # more than PREVIEW found


def preview(q: str) -> list[Preview]:
    """The first PREVIEW results of each kind: three statements, each stopping at PREVIEW + 1 rows."""
    found = []
    for kind in KINDS:
        rows = _rows(kind, QUERIES[kind](q).limit(PREVIEW + 1))
        found.append(Preview(kind, rows[:PREVIEW], len(rows) > PREVIEW))
    return found


def _rows(kind: str, query) -> list:
    return list(db.session.execute(query).all() if kind == "people" else db.session.scalars(query))


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int  # at most COUNT_CAP + 1

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_CAP) // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, **_):
        return range(1, self.pages + 1)


def one_kind(kind: str, q: str, page: int) -> Page:
    """One page of one kind of result, and how many there are (the count stops at COUNT_CAP + 1): two
    statements. Pages past the cap are empty."""
    query = QUERIES[kind](q)
    offset = (page - 1) * PER_PAGE
    items = _rows(kind, query.limit(PER_PAGE).offset(offset)) if offset < COUNT_CAP else []
    total = db.session.scalar(select(func.count()).select_from(
        query.order_by(None).limit(COUNT_CAP + 1).subquery()))
    return Page(items, page, PER_PAGE, total)
