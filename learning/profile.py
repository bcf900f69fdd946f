"""The learner's view, as plain data: a member's competency profile across projects, built from the goal records
the viewer may see (pure: no query, no request), and the median used by chapter health."""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from learning import framework
from learning.models import LEVELS, hours_of

# How far each attested level goes on the chart; a goal not attested yet is 0.
LEVEL_RANK = {"demonstrated": 3, "practised": 2, "not_shown": 1, None: 0}
MAX_RANK = 3
assert set(LEVEL_RANK) - {None} == set(LEVELS)
# A competency met only in workshops the member attended (never a level: nobody saw them practise it). On the
# chart it is half a rank: more than a goal nobody attested yet, less than any level attested on a project.
WORKSHOP = "workshop"
CHART_RANK = {**LEVEL_RANK, WORKSHOP: Fraction(1, 2)}


@dataclass(frozen=True)
class GoalRecord:
    """One goal of a member on a project, as goal_records reads it (what rule learning.view_record decides on)."""

    user_id: int
    code: str
    project_id: int
    project_title: str
    project_status: str
    current: bool  # the member was still on the team (did not leave)
    level: str | None  # None: not attested yet
    minutes: int  # the member's hours on the project, all milestones
    revoked: bool  # the member's credential for the project was revoked


@dataclass(frozen=True)
class Evidence:
    kind: str  # "reflection" (public) or "deliverable" (a submission a review accepted)
    id: int
    project_id: int
    milestone_id: int
    title: str  # the milestone's


@dataclass(frozen=True)
class Workshop:
    """A workshop the member attended (the organiser marked it) that covered competency `code`."""

    event_id: int
    title: str
    starts_at: datetime
    code: str


@dataclass(frozen=True)
class Practice:
    """Time spent practising a competency outside projects (mentoring other members), given by a package that
    learning does not import (see practice_source); `title` is already in the reader's language."""

    code: str
    kind: str
    minutes: int
    title: str
    url: str | None = None

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)


# Functions user -> [Practice], registered by later packages (mentoring): each runs at most one statement.
PRACTICE_SOURCES: list = []


def practice_source(source):
    """Decorator: register `source(user) -> [Practice]` as evidence on every member's competency profile."""
    if source not in PRACTICE_SOURCES:
        PRACTICE_SOURCES.append(source)
    return source


def practice_of(user) -> list[Practice]:
    return [item for source in PRACTICE_SOURCES for item in source(user)]


@dataclass
class NextStep:
    project_id: int
    title: str
    chapter_name: str
    codes: list[str]


@dataclass
class ProjectLevel:
    project_id: int
    title: str
    level: str | None


@dataclass
class CompetencyLine:
    """One competency of the profile: its level on each project, the hours on those projects, the evidence."""

    code: str
    projects: list[ProjectLevel] = field(default_factory=list)
    minutes: int = 0
    evidence: list[Evidence] = field(default_factory=list)
    workshops: list[Workshop] = field(default_factory=list)  # attended, newest first
    practice: list[Practice] = field(default_factory=list)  # outside projects (mentoring): not in `minutes`

    @property
    def label(self) -> str:
        return framework.label(self.code)

    @property
    def area(self) -> str:
        found = framework.competency(self.code)
        return found.area if found else ""

    @property
    def best(self) -> str | None:
        """The best level attested on any project (None when no goal is attested yet)."""
        return max((p.level for p in self.projects), key=LEVEL_RANK.__getitem__, default=None)

    @property
    def chart_level(self) -> str | None:
        """What the chart draws: the best level attested on a project; else WORKSHOP when the member attended a
        workshop covering it; else None (a goal not attested yet). Workshops never raise an attested level."""
        if self.best is None and self.workshops:
            return WORKSHOP
        return self.best

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)


@dataclass
class ProjectLine:
    """A project of the profile: the member's hours there and the competencies they had as goals."""

    project_id: int
    title: str
    minutes: int
    codes: list[str] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)


@dataclass
class CompetencyProfile:
    competencies: list[CompetencyLine]
    projects: list[ProjectLine]

    @property
    def shown(self) -> set[str]:
        """The codes attested as demonstrated on some project (a workshop attended shows nothing: "your next
        step" still proposes projects that practise what the member only heard about)."""
        return {line.code for line in self.competencies if line.best == "demonstrated"}

    @property
    def from_workshops_only(self) -> int:
        return sum(1 for line in self.competencies if line.chart_level == WORKSHOP)

    def by_area(self) -> list[tuple[framework.Area, list[CompetencyLine]]]:
        """The lines grouped by the framework's areas, in its order (areas without a line left out)."""
        lines = {line.code: line for line in self.competencies}
        return [(area, [lines[c.code] for c in area.competencies if c.code in lines])
                for area in framework.AREAS if any(c.code in lines for c in area.competencies)]


def build_profile(records: list[GoalRecord], evidence: list[Evidence],
                  workshops: list[Workshop] = (), practice: list[Practice] = ()) -> CompetencyProfile:
    """Lines per competency (framework order) and per project (newest first, as the records come); `practice`
    outside projects (hours mentoring) adds its line, or its evidence to the line of its competency.

    Hours are logged per milestone, not per competency: a competency's hours are all the member's hours on the
    projects where it was one of their goals, so a project with two goals counts in both (the page says so).
    Workshops attended are their own kind of evidence on the line of each competency they covered (a line of
    its own when no project practised it); they add no hours and no level (see CompetencyLine.chart_level)."""
    lines: dict[str, CompetencyLine] = {}
    projects: dict[int, ProjectLine] = {}
    for record in records:
        project = projects.setdefault(record.project_id,
                                      ProjectLine(record.project_id, record.project_title, record.minutes))
        project.codes.append(record.code)
        line = lines.setdefault(record.code, CompetencyLine(record.code))
        line.projects.append(ProjectLevel(record.project_id, record.project_title, record.level))
        line.minutes += record.minutes
    for workshop in workshops:
        line = lines.setdefault(workshop.code, CompetencyLine(workshop.code))
        if all(w.event_id != workshop.event_id for w in line.workshops):
            line.workshops.append(workshop)
    evidence_by_project: dict[int, list[Evidence]] = {}
    seen = set()
    for item in evidence:
        if (item.kind, item.id) not in seen:
            seen.add((item.kind, item.id))
            evidence_by_project.setdefault(item.project_id, []).append(item)
    for item in practice:
        if framework.competency(item.code) is not None:
            lines.setdefault(item.code, CompetencyLine(item.code)).practice.append(item)
    position = {code: n for n, code in enumerate(framework.COMPETENCIES)}
    ordered = sorted(lines.values(), key=lambda line: (position.get(line.code, len(position)), line.code))
    for line in ordered:
        line.evidence = [item for p in line.projects for item in evidence_by_project.get(p.project_id, [])]
    for project in projects.values():
        project.codes.sort(key=lambda code: (position.get(code, len(position)), code))
    return CompetencyProfile(ordered, list(projects.values()))


def median_duration(pairs) -> timedelta | None:
    """The median of (start, end) durations, ignoring pairs with a missing end or an end before the start."""
    seconds = [(end - start).total_seconds() for start, end in pairs
               if start is not None and end is not None and end >= start]
    return timedelta(seconds=statistics.median(seconds)) if seconds else None
