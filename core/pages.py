"""Page sections contributed by domain packages (home, dashboard, profile, admin, ...).

`core` imports no domain package, so pages that show several domains
(the home page, /me, /u/<handle>, /admin/, a chapter's page, a project's page) are assembled from sections that
each package registers. A section is a template and a loader that returns its
context; each loader runs a bounded number of queries. "applicant" sections are
loaded once for a page of applications and included in each applicant's card.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

PAGES = ("home", "dashboard", "profile", "admin", "chapter", "project", "milestone", "applicant")


@dataclass(frozen=True)
class Section:
    template: str
    loader: Callable[..., dict]
    order: int


_SECTIONS: dict[str, list[Section]] = {page: [] for page in PAGES}


def section(page: str, template: str, order: int = 100):
    """Decorator: register `loader(**page_args) -> context` as a section of `page`."""
    def register(loader):
        sections = _SECTIONS[page]
        if all(s.template != template for s in sections):
            sections.append(Section(template, loader, order))
            sections.sort(key=lambda s: s.order)
        return loader
    return register


def render_sections(page: str, **page_args: Any) -> list[tuple[str, dict]]:
    """The (template, context) pairs of `page`, in order; a loader returning None hides its section."""
    rendered = []
    for s in _SECTIONS[page]:
        context = s.loader(**page_args)
        if context is not None:
            rendered.append((s.template, context))
    return rendered
