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
