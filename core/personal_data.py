"""What the site holds about one member, gathered from the packages that hold it.

Each package declares a part: a function that returns the files it holds about a member
({path: content}), and a sentence saying what those files are, for the README inside the
member's export. Core knows no package: they register themselves on import.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterator

Collector = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Part:
    name: str
    description: Any  # a lazy string: the README is written in the member's language
    collect: Collector


PARTS: dict[str, Part] = {}


def part(name: str, description) -> Callable[[Collector], Collector]:
    """Decorator: register `collect(user) -> {path: content}` as the part `name` of every export."""
    def register(collect: Collector) -> Collector:
        PARTS[name] = Part(name, description, collect)
        return collect
    return register


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not exported")


def encoded(content) -> bytes:
    """Bytes as they are, text as UTF-8, anything else as indented JSON."""
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode()
    return json.dumps(content, indent=2, ensure_ascii=False, default=_default).encode()


def files_of(user) -> Iterator[tuple[str, str, bytes]]:
    """(part name, path, bytes) of every file every package holds about `user`, part by part."""
    for name in sorted(PARTS):
        for path, content in PARTS[name].collect(user).items():
            yield name, f"{name}/{path}", encoded(content)


# --- deletion ---------------------------------------------------------------------------------

PSEUDONYM = "Former member"


@dataclass(frozen=True)
class Erasure:
    """One account's deletion: what identified the member (to be erased wherever it was copied) and their choice
    about the credentials already issued to them."""
    user_id: int
    name: str
    handle: str
    email: str
    revoke_credentials: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for w in (self.email, self.name, self.handle) if w)


Eraser = Callable[[Erasure], None]
ERASERS: dict[str, Eraser] = {}
HANDOVERS: list[Callable[[Any], list[str]]] = []


def eraser(name: str) -> Callable[[Eraser], Eraser]:
    """Decorator: register `erase(erasure)`, which removes or pseudonymises what package `name` holds about a
    member (in the caller's transaction)."""
    def register(erase: Eraser) -> Eraser:
        ERASERS[name] = erase
        return erase
    return register


def handover(check: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    """Decorator: register `check(user) -> [sentence]`, what the member must hand over before leaving
    (the last lead of a chapter, the last admin of an organisation)."""
    HANDOVERS.append(check)
    return check


def handovers_of(user) -> list[str]:
    return [sentence for check in HANDOVERS for sentence in check(user)]


def erase_everywhere(erasure: Erasure) -> None:
    """Every package erases its part; accounts, which holds the person, goes last."""
    for name in sorted(ERASERS, key=lambda n: (n == "accounts", n)):
        ERASERS[name](erasure)


def scrub_json(model, column, erasure: Erasure) -> None:
    """In a JSON column of dicts or lists (notification and activity parameters, job arguments), replace every
    string holding the member's name, handle or email with the pseudonym."""
    from sqlalchemy import Text, cast, or_, select

    from core.extensions import db

    needles = {n for word in erasure.words for n in (word, json.dumps(word)[1:-1])}
    text = cast(column, Text)
    rows = db.session.scalars(select(model).where(or_(*(text.contains(n, autoescape=True) for n in needles))))

    def clean(value):
        if isinstance(value, str):
            return PSEUDONYM if any(word in value for word in erasure.words) else value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    for row in rows:
        setattr(row, column.key, clean(getattr(row, column.key)))


def scrub_text(column, erasure: Erasure) -> None:
    """In a text column (a reason someone typed), replace the member's name, handle or email with the pseudonym."""
    from sqlalchemy import func, or_, update

    from core.extensions import db

    replaced = column
    for word in erasure.words:
        replaced = func.replace(replaced, word, PSEUDONYM)
    db.session.execute(update(column.table).where(or_(*(column.contains(w, autoescape=True) for w in erasure.words)))
                       .values({column.key: replaced}))
