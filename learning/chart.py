"""The competency profile as an inline SVG bar chart, rendered on the server (no JavaScript): one bar per
competency, grouped under its area, as long as the best level attested and coloured by it. Pure: every text
comes in already translated and is escaped here; the page puts a table with the same data next to it."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from learning.profile import CHART_RANK, MAX_RANK, WORKSHOP

WIDTH = 640
LABEL_WIDTH = 250  # competency names, right-aligned before the bars
BAR_X = LABEL_WIDTH + 10
BAR_MAX = 260  # a demonstrated competency's bar
ROW = 26
AREA_ROW = 28
# Fill per level; the level's name is written after each bar in the text colour (no contrast depends on these).
COLOURS = {"demonstrated": "#146c43", "practised": "#0a58ca", "not_shown": "#6c757d", WORKSHOP: "#b6d4fe",
           None: "#ffffff"}


@dataclass(frozen=True)
class Bar:
    label: str  # the competency's name
    level: str | None  # None: not attested yet; WORKSHOP: only met in workshops attended


def bar_length(level: str | None) -> int:
    """Pixels: a third of the full bar per rank, a sixth for a competency met only in workshops, a stub for a
    goal not attested yet (drawn as an outline)."""
    return max(6, int(BAR_MAX * CHART_RANK[level] / MAX_RANK))


def render(groups: list[tuple[str, list[Bar]]], *, chart_id: str, title: str, description: str,
           level_labels: dict[str | None, str]) -> Markup:
    """The SVG for `groups` ([(area name, bars)]), named by `title` and `description` (aria-labelledby)."""
    rows = []
    y = 0
    for area, bars in groups:
        y += AREA_ROW
        rows.append(f'<text x="0" y="{y - 8}" class="chart-area" font-weight="bold">{escape(area)}</text>')
        for bar in bars:
            length = bar_length(bar.level)
            level = escape(level_labels[bar.level])
            outline = ' stroke="#6c757d" stroke-dasharray="3 2"' if bar.level is None else ""
            rows.append(
                f'<g class="chart-bar" data-level="{escape(bar.level or "pending")}">'
                f"<title>{escape(bar.label)}: {level}</title>"
                f'<text x="{LABEL_WIDTH}" y="{y + 17}" text-anchor="end">{escape(bar.label)}</text>'
                f'<rect x="{BAR_X}" y="{y + 4}" width="{length}" height="{ROW - 8}" rx="3" '
                f'fill="{COLOURS[bar.level]}"{outline}/>'
                f'<text x="{BAR_X + length + 6}" y="{y + 17}">{level}</text></g>')
            y += ROW
    height = y + 8
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="competency-chart" id="{escape(chart_id)}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" font-family="system-ui, sans-serif" font-size="13" '
        f'fill="#212529">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(rows) + "</svg>")
