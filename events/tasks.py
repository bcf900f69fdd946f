"""Scheduled event jobs: the day-before reminder to the members going (in the app and by email, as each
member chose for this kind). Like every job it runs through core.jobs and does not commit."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import User
from accounts.notifications import notify, register_kind
from core.audit import utcnow
from core.extensions import db
from core.schedule import periodic
from core.urls import path_for
from events import timezones
from events.models import Event, Rsvp

register_kind("event.reminder", _l("Reminder the day before an event you are going to"),
              _l("Tomorrow: “%(event)s”, %(starts)s."))


def send_event_reminders() -> int:
    """Remind the members going to each scheduled event that starts within the next 24 hours, once per event
    (a moved event is reminded again: editing clears reminded_at). Returns how many events were reminded."""
    now = utcnow()
    due = list(db.session.scalars(select(Event).where(
        Event.status == "scheduled", Event.reminded_at.is_(None), Event.starts_at > now,
        Event.starts_at <= now + timedelta(hours=24))))
    for event in due:
        people = db.session.scalars(select(User).join(Rsvp, Rsvp.user_id == User.id)
                                    .where(Rsvp.event_id == event.id, Rsvp.status == "going"))
        notify(people, "event.reminder", url=path_for("events.detail", event_id=event.id), event=event.title,
               starts=timezones.plain(event.starts, event.timezone))
        event.reminded_at = now
    return len(due)


periodic("events.tasks.send_event_reminders", cron="0 * * * *")  # hourly: "the day before" in every time zone
