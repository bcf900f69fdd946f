"""The project activity feed and the notifications projects send, told in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accounts.notifications import notify, register_kind
from core.extensions import db
from projects.models import ProjectActivity

VERBS = {
    "created": _l("%(actor)s created the project."),
    "open": _l("%(actor)s opened recruiting."),
    "start": _l("%(actor)s started the project."),
    "deliver": _l("%(actor)s marked the project as delivered."),
    "cancel": _l("%(actor)s cancelled the project: %(reason)s"),
    "joined": _l("%(member)s joined the team."),
    "left": _l("%(member)s left the team."),
    "removed": _l("%(actor)s removed %(member)s from the team."),
    "submitted": _l("%(actor)s submitted a deliverable for “%(milestone)s”."),
    "withdrew": _l("%(actor)s withdrew their deliverable for “%(milestone)s”."),
    "accepted": _l("%(actor)s accepted “%(milestone)s”."),
    "changes_requested": _l("%(actor)s requested changes to “%(milestone)s”."),
    "presented": _l("Presented at “%(event)s”."),  # a demo day (events.tasks.record_presentations)
}


def record(project, actor, verb: str, **params) -> None:
    """Add a line to the project's feed; the caller commits."""
    params.setdefault("actor", getattr(actor, "name", ""))
    db.session.add(ProjectActivity(project_id=project.id, actor_id=getattr(actor, "id", None),
                                   verb=verb, params=params))


def describe(activity: ProjectActivity) -> str:
    return str(VERBS[activity.verb]) % activity.params if activity.verb in VERBS else activity.verb


register_kind("application_received", _l("Someone applies to a project you lead"),
              _l("%(applicant)s applied to “%(project)s”."))
register_kind("application_decided", _l("Your application is decided"),
              _l("Your application to “%(project)s” was %(decision)s."), states={"decision": "application"},
              quote="message")  # the lead's message to the applicant, when they wrote one
register_kind("milestone_submitted", _l("A deliverable is submitted for review"),
              _l("%(actor)s submitted “%(milestone)s” of “%(project)s” for review."))
register_kind("milestone_reviewed", _l("A deliverable of your team is reviewed"),
              _l("“%(milestone)s” of “%(project)s”: %(decision)s."), states={"decision": "milestone"})
register_kind("project_status_changed", _l("A project you are part of changes status"),
              _l("“%(project)s” is now %(status)s."), states={"status": "project"})

__all__ = ["describe", "notify", "record"]
