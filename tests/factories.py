"""Plain factory functions with good defaults; each returns a committed object."""
from __future__ import annotations

import itertools

from werkzeug.security import generate_password_hash

from accounts.models import User
from accounts.services import skills_named
from chapters.models import Chapter, ChapterMembership
from core.extensions import db

PASSWORD = "correct horse battery"
# Hashing once keeps the suite fast; a cheap method is fine for test accounts.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_counter = itertools.count(1)


def make_user(handle: str | None = None, *, email: str | None = None, name: str | None = None,
              skills: tuple[str, ...] = (), commit: bool = True, **fields) -> User:
    n = next(_counter)
    handle = handle or f"user{n}"
    user = User(handle=handle, email=email or f"{handle}@example.org", name=name or f"User {n}",
                password_hash=_PASSWORD_HASH, city=fields.pop("city", "Lyon"),
                country=fields.pop("country", "FR"), skills=skills_named(list(skills)), **fields)
    db.session.add(user)
    db.session.commit() if commit else db.session.flush()
    return user


def make_admin(handle: str | None = None, **fields) -> User:
    return make_user(handle, is_admin=True, **fields)


def make_chapter(lead: User | None = None, *, status: str = "active", name: str | None = None,
                 city: str = "Lyon", country: str = "FR", commit: bool = True) -> Chapter:
    n = next(_counter)
    lead = lead or make_user()
    name = name or f"Chapter {n}"
    chapter = Chapter(slug=f"chapter-{n}", name=name, city=city, country=country,
                      description="A chapter made by the test factories.", status=status,
                      proposed_by_id=lead.id)
    db.session.add(chapter)
    db.session.flush()
    db.session.add(ChapterMembership(chapter_id=chapter.id, user_id=lead.id, role="lead"))
    if commit:
        db.session.commit()
    return chapter


def add_member(chapter: Chapter, user: User | None = None, role: str = "member", commit: bool = True) -> User:
    user = user or make_user(commit=commit)
    db.session.add(ChapterMembership(chapter_id=chapter.id, user_id=user.id, role=role))
    db.session.commit() if commit else db.session.flush()
    chapter.forget_roles()
    return user
