"""The milestone timeline, laid out for a server-rendered SVG (pure: no database, no Flask)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, LEFT, RIGHT = 720, 40, 40

# A colour per state; the template writes each state's label beside it, so colour is never the only signal.
COLOURS = {
    "accepted": "#146c43",
    "submitted": "#0a58ca",
    "changes_requested": "#997404",
    "planned": "#495057",
    "overdue": "#b02a37",
}


@dataclass(frozen=True)
class Point:
    x: float
    title: str
    due: date
    state: str
    colour: str
    row: int


@dataclass(frozen=True)
class Timeline:
    width: int
    points: list[Point]
    today_x: float | None
    start: date
    end: date


def layout(milestones, today: date, start: date | None = None, end: date | None = None) -> Timeline | None:
    """Place each milestone by due date between the project's dates (or the milestones' own range)."""
    if not milestones:
        return None
    dues = [m.due_date for m in milestones]
    first, last = min(dues + ([start] if start else [])), max(dues + ([end] if end else []))
    span = max((last - first).days, 1)
    usable = WIDTH - LEFT - RIGHT

    def x_of(day: date) -> float:
        return round(LEFT + usable * (day - first).days / span, 1)

    points = []
    for index, m in enumerate(milestones):
        state = "overdue" if m.is_overdue(today) else m.status
        points.append(Point(x_of(m.due_date), m.title, m.due_date, state, COLOURS[state], index % 2))
    today_x = x_of(today) if first <= today <= last else None
    return Timeline(WIDTH, points, today_x, first, last)
