"""iCalendar (RFC 5545) files of events, built with the `icalendar` library.

Each event's start and end carry its IANA zone (DTSTART;TZID=Europe/Paris) and the calendar includes the
VTIMEZONE of every zone used, with its daylight-saving rules: a calendar shows the event at the right wall-clock
time on either side of a change. A cancelled event stays in feeds with STATUS:CANCELLED so calendars remove it.
"""
from __future__ import annotations

from flask import current_app
from icalendar import Calendar, Event as VEvent, vText

from core.audit import as_utc
from core.urls import path_for
from events import timezones
from events.models import Event


def _absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def component(event: Event, *, with_link: bool = False) -> VEvent:
    """One VEVENT; the online link only when the reader may see it (the personal feed of someone going)."""
    vevent = VEvent()
    host = current_app.config["BASE_URL"].split("://", 1)[-1].split("/", 1)[0]
    vevent.add("uid", f"event-{event.id}@{host}")
    vevent.add("dtstamp", as_utc(event.updated_at))
    vevent.add("sequence", event.sequence or 0)
    vevent.add("summary", event.title)
    vevent.add("dtstart", timezones.local(event.starts, event.timezone))
    vevent.add("dtend", timezones.local(event.ends, event.timezone))
    url = _absolute(path_for("events.detail", event_id=event.id))
    vevent.add("url", url)
    description = event.description
    if event.mode == "online" and with_link and event.online_url:
        description = f"{description}\n\n{event.online_url}"
        vevent.add("location", vText(event.online_url))
    elif event.mode == "in_person":
        vevent.add("location", event.address)
    vevent.add("description", f"{description}\n\n{url}".strip())
    vevent.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    return vevent


def calendar(events, name: str, *, links_for: set[int] = frozenset()) -> bytes:
    """A VCALENDAR of `events`, with the VTIMEZONE of each zone they use; `links_for`: ids whose link is shown."""
    cal = Calendar()
    cal.add("prodid", "-//Chapterhouse//Events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(component(event, with_link=event.id in links_for))
    cal.add_missing_timezones()
    return cal.to_ical()
