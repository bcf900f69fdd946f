"""Learning evidence on the milestone page (hours, the member's entries, reflections) and the project page
(hours per member). Each loader runs a fixed number of statements whatever the data."""
from datetime import date

from core.authz import can
from core.pages import section
from learning import evidence_queries as queries
from learning.evidence import TimeOf
from learning.evidence_forms import TimeEntryForm


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def visible_totals(project, user, milestone=None) -> list:
    """The members' totals the viewer may see: everyone's for leads and mentors, else their own."""
    if not _signed_in(user):
        return []
    return [row for row in queries.member_totals(project, milestone)
            if can(user, "learning.view_time", TimeOf(project, row.user_id))]


@section("milestone", "learning/_milestone_evidence.html", order=10)
def milestone_evidence(milestone, user):
    """Hours on the milestone, the member's own entries with the form, and the reflections on its deliverables;
    a prompt to reflect on each of the member's submissions that has no reflection yet."""
    project = milestone.project
    may_log = can(user, "learning.log_time", project)
    totals = visible_totals(project, user, milestone)
    entries = queries.entries_of(project, user.id, milestone, limit=50) if may_log else []
    reflections = [r for r in queries.reflections_on(milestone) if can(user, "learning.view_reflection", r)]
    to_reflect = [submission for submission, reflection in queries.own_submissions(milestone, user)
                  if reflection is None and can(user, "learning.reflect", submission)] if may_log else []
    if not (may_log or totals or reflections):
        return None
    form = TimeEntryForm(formdata=None, day=date.today()) if may_log else None
    for field in (form or ()):
        if field.name != "csrf_token":  # the page's submission form has a "note" too: distinct ids
            field.id = field.label.field_id = f"time-{field.name}"
    return {"project": project, "milestone": milestone, "may_log": may_log, "totals": totals, "entries": entries,
            "own_minutes": sum(e.minutes for e in entries), "reflections": reflections,
            "to_reflect": to_reflect, "form": form}


@section("project", "learning/_project_hours.html", order=6)
def project_hours(project, user):
    """Each member's hours on the project, for the viewers allowed to see them."""
    if not (can(user, "learning.view_time", TimeOf(project, None))
            or (_signed_in(user) and project.has_member(user))):
        return None  # no statement for visitors and people outside the team
    totals = visible_totals(project, user)
    if not totals:
        return None
    return {"project": project, "totals": totals,
            "team_view": can(user, "learning.view_time", TimeOf(project, None))}
