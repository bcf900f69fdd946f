"""What waits for the leads of a project, counted for their dashboard in the statement that lists the projects.

Each kind of waiting work is a correlated count over one project (given the outer Project entity); the projects package declares its own (applications to decide, deliverables to review) and later
packages add theirs when they are imported (learning: goals waiting for an attestation), so the dashboard
folds every count into one aggregate statement without projects importing them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import ngettext
from sqlalchemy import func, select



@dataclass(frozen=True)
class Waiting:
    key: str
    label: Callable[[int], str]  # the count → a sentence in the reader's language
    endpoint: str  # takes project_id
    count: Callable[[Any], Any]  # the outer Project entity → a correlated scalar subquery
    anchor: str | None = None


KINDS: dict[str, Waiting] = {}


def register(kind: Waiting) -> None:
    KINDS[kind.key] = kind


def _pending_applications(project):
    """Pending applications (ix_application_project_status); only a recruiting project has any."""
    from projects.models import Application

    return (select(func.count(Application.id)).where(Application.project_id == project.id,
                                                      Application.status == "pending").scalar_subquery())


def _submitted_milestones(project):
    """Submitted milestones of an active project (only those can be reviewed; ix_milestone_project_status)."""
    from projects.models import Milestone

    return (select(func.count(Milestone.id)).where(Milestone.project_id == project.id,
                                                    Milestone.status == "submitted", project.status == "active")
            .scalar_subquery())


register(Waiting("applications",
                 lambda n: ngettext("%(num)d application to decide", "%(num)d applications to decide", n),
                 "projects.applications", _pending_applications))
register(Waiting("reviews", lambda n: ngettext("%(num)d deliverable to review", "%(num)d deliverables to review", n),
                 "projects.detail", _submitted_milestones, anchor="milestones"))


def counted(query, project) -> tuple[Any, list[Waiting]]:
    """`query` with one more column per registered kind, and the kinds in that order."""
    kinds = list(KINDS.values())
    return query.add_columns(*(kind.count(project).label(f"waiting_{kind.key}") for kind in kinds)), kinds
