"""The event lifecycle: a scheduled event is cancelled by its chapter's leads, with a reason its attendees read."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from core.workflow import T, Workflow
from events.models import EVENT_STATES


def not_ended(event, user):
    """An event that has ended stays in the record as it happened."""
    if event.has_ended:
        return _("The event has ended: it can no longer be cancelled.")


def presentations_due(event) -> bool:
    """A demo day that took place (scheduled, ended) whose presenting projects' activity feeds have not recorded
    it yet: the scheduler records it, or the organiser's attendance once it has ended (events.tasks)."""
    return (event.kind == "demo_day" and event.status == "scheduled" and event.has_ended
            and event.presentations_recorded_at is None)


EVENT_LABELS = {
    "scheduled": lazy_pgettext("event", "scheduled"),
    "cancelled": lazy_pgettext("event", "cancelled"),
}

EVENT = Workflow("event", field="status", states=EVENT_STATES, labels=EVENT_LABELS,
                 wrong_state=_l("This cannot be done while the event is %(state)s."), transitions=[
    T("cancel", "scheduled", "cancelled", perm="event.cancel", reason_required=True, label=_l("Cancel the event"),
      guards=[not_ended]),
])
