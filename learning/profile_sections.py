"""The learner's view: the competency profile (and "your next step") on portfolios, chapter health on chapter
pages. Each loader runs a fixed number of statements whatever the data."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _, ngettext
from flask_login import current_user

from core.authz import can
from core.pages import section
from learning import chart, framework, health_queries, profile_queries
from learning.models import LEVEL_LABELS, LEVELS
from learning.profile import WORKSHOP, build_profile, practice_of


def level_labels() -> dict[str | None, str]:
    return {**{level: str(LEVEL_LABELS[level]) for level in LEVELS}, None: _("Not attested yet"),
            WORKSHOP: _("Workshop attended")}


def chart_description(profile) -> str:
    counts = {level: 0 for level in (*LEVELS, None)}
    for line in profile.competencies:
        counts[line.best] += line.chart_level != WORKSHOP
    workshops = profile.from_workshops_only
    return " ".join([
        ngettext("%(num)d competency, each bar as long as the best level attested on any project:",
                 "%(num)d competencies, each bar as long as the best level attested on any project:",
                 len(profile.competencies)),
        _("%(demonstrated)d demonstrated, %(practised)d practised, %(not_shown)d not shown, "
          "%(pending)d not attested yet.", demonstrated=counts["demonstrated"], practised=counts["practised"],
          not_shown=counts["not_shown"], pending=counts[None]),
        *([ngettext("%(num)d with no level attested but a workshop attended: a short bar, as a workshop is not a level.",
                    "%(num)d with no level attested but workshops attended: a short bar, as a workshop is not a level.",
                    workshops)]
          if workshops else [])])


def profile_chart(profile, name: str):
    groups = [(str(area.name), [chart.Bar(line.label, line.chart_level) for line in lines])
              for area, lines in profile.by_area()]
    return chart.render(groups, chart_id="competency-chart",
                        title=_("Competency profile of %(name)s", name=name),
                        description=chart_description(profile), level_labels=level_labels())


@section("profile", "learning/_profile_competencies.html", order=15)
def competency_profile(user):
    """The member's competencies across projects (what the viewer may see: rule learning.view_record) and the
    workshops they attended as a chart and a table, and, on their own page, recruiting projects practising what they have not shown yet.
    One statement for a visitor (goals and evidence), one more on the member's own page (the next steps)."""
    viewer = current_user
    records, evidence, workshops = profile_queries.learning_record(user)
    records = [r for r in records if can(viewer, "learning.view_record", r)]
    visible = {r.project_id for r in records}
    profile = build_profile(records, [item for item in evidence if item.project_id in visible], workshops,
                            practice_of(user))
    next_step = can(viewer, "learning.view_next_step", user)
    steps = []
    if next_step:
        wanted = [code for code, c in framework.COMPETENCIES.items() if not c.retired and code not in profile.shown]
        steps = profile_queries.next_steps(user, wanted)
    if not profile.competencies and not next_step:
        return None
    return {"profile": profile, "chart": profile_chart(profile, user.name) if profile.competencies else None,
            "levels": level_labels(), "next_step": next_step, "steps": steps, "label": framework.label}


def duration(value: timedelta | None) -> str:
    """A median as people say it: hours under two days, days beyond (one decimal)."""
    if value is None:
        return _("no data yet")
    hours = value.total_seconds() / 3600
    if hours < 48:
        return _("%(hours)s hours", hours=f"{hours:.1f}")
    return _("%(days)s days", days=f"{hours / 24:.1f}")


@section("chapter", "learning/_chapter_health.html", order=30)
def chapter_health(chapter, user):
    """Chapter health, for the chapter's leads and admins (rule chapter.view_health): two statements for them,
    none for anyone else."""
    if not can(user, "chapter.view_health", chapter):
        return None
    health = health_queries.chapter_health(chapter)
    areas = []
    for area in framework.AREAS:
        rows = [(c, health.levels[c.code]) for c in area.competencies if c.code in health.levels]
        if rows:
            totals = {level: sum(counts.get(level, 0) for _c, counts in rows) for level in (*LEVELS, None)}
            areas.append((area, rows, totals))
    return {"health": health, "areas": areas, "levels": level_labels(), "level_order": (*LEVELS, None),
            "reply": duration(health.reply_median), "review": duration(health.review_median),
            "max_samples": health_queries.MAX_SAMPLES}
