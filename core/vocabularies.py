"""Vocabularies one domain package owns and earlier packages offer in their forms.

`core` and `projects` import no later package, yet the project form offers the learning framework's
competencies: `learning` registers its vocabulary here when it is imported (as packages register page
sections), and `projects` asks for it by name. A vocabulary is grouped choices, in the reader's language:
[(group label, [(code, label)])].
"""
from __future__ import annotations

from typing import Callable

Grouped = list[tuple[str, list[tuple[str, str]]]]
_PROVIDERS: dict[str, Callable[[], Grouped]] = {}


def register(name: str, provider: Callable[[], Grouped]) -> None:
    _PROVIDERS[name] = provider


def grouped(name: str) -> Grouped:
    """The vocabulary's choices by group; empty when no package provides it."""
    provider = _PROVIDERS.get(name)
    return provider() if provider else []


def codes(name: str) -> set[str]:
    return {code for _, members in grouped(name) for code, _ in members}


def labels(name: str) -> dict[str, str]:
    return {code: label for _, members in grouped(name) for code, label in members}
