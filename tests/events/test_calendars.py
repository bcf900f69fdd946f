"""Calendars: each event's .ics, the chapter's feed and the member's personal feed at a secret address, parsed
back with the icalendar library, with a daylight-saving case."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import update

from core.audit import utcnow
from core.extensions import db
from events.models import Event, MemberCalendar
from tests.conftest import fresh
from tests.factories import make_chapter, make_event, make_rsvp, make_user


@pytest.fixture
def chapter(app):
    return make_chapter(make_user("lead"), name="Lyon Freelancers")


def parsed(response) -> Calendar:
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def next_dst_change(zone: str) -> datetime:
    """The first local day (from two days ahead) on which `zone`'s UTC offset changes."""
    tz = ZoneInfo(zone)
    day = (utcnow() + timedelta(days=2)).astimezone(tz).replace(hour=12, minute=0, second=0, microsecond=0)
    for _ in range(400):
        if (day + timedelta(days=1)).utcoffset() != day.utcoffset():
            return day + timedelta(days=1)
        day += timedelta(days=1)
    raise AssertionError("no change of offset within a year")


def at_local(chapter, local: datetime, zone: str, title: str) -> Event:
    event = make_event(chapter, title=title, timezone=zone)
    start = local.replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)
    db.session.execute(update(Event).where(Event.id == event.id).values(starts_at=start, ends_at=start + timedelta(hours=2)))
    db.session.commit()
    return fresh(event)


def test_events_on_both_sides_of_a_daylight_saving_change_keep_their_wall_clock_time(client, chapter):
    zone = "Europe/Paris"
    change = next_dst_change(zone)
    before = at_local(chapter, datetime(change.year, change.month, change.day, 10) - timedelta(days=1), zone, "Before")
    after = at_local(chapter, datetime(change.year, change.month, change.day, 10) + timedelta(days=1), zone, "After")
    assert before.starts.hour != after.starts.hour  # the same 10:00 is another hour in UTC
    cal = parsed(client.get(f"/chapters/{chapter.slug}/events.ics"))
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [zone]
    starts = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in cal.walk("VEVENT")}
    for title, event in (("Before", before), ("After", after)):
        start = starts[title]
        assert start.hour == 10 and str(start.tzinfo) == zone
        assert start.astimezone(timezone.utc) == event.starts
    # The VTIMEZONE alone (as a calendar without the zone database reads it) gives the same instants.
    vtimezone = cal.walk("VTIMEZONE")[0].to_tz()
    for title, event in (("Before", before), ("After", after)):
        naive = starts[title].replace(tzinfo=None)
        assert naive.replace(tzinfo=vtimezone).astimezone(timezone.utc) == event.starts


def test_an_event_file_describes_one_event(client, chapter):
    event = make_event(chapter, title="Contracts workshop")
    cal = parsed(client.get(f"/events/{event.id}.ics"))
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Contracts workshop" and str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["LOCATION"]) == event.address and f"/events/{event.id}" in str(vevent["URL"])
    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == timedelta(hours=2)


def test_the_personal_feed_lists_events_going_with_links_and_its_address_can_be_reset(client, auth, chapter):
    member = make_user("member")
    going = make_event(chapter, title="Going online", mode="online")
    make_rsvp(going, member)
    waiting = make_event(chapter, title="Only waiting")
    make_rsvp(waiting, member, status="waiting")
    auth.login_as(member)
    client.post("/me/calendar/reset")
    token = db.session.get(MemberCalendar, member.id).token
    url = f"/calendar/{member.id}/{token}.ics"
    assert url in client.get("/me/calendar").get_data(as_text=True)
    client.get("/auth/logout")
    auth.logout()
    response = client.get(url)
    cal = parsed(response)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Going online"]
    assert "https://meet.example.org/secret-room" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/calendar/{member.id}/{'x' * len(token)}.ics").status_code == 404
    assert client.get(f"/calendar/{member.id + 1}/{token}.ics").status_code == 404
    auth.login_as(member)
    client.post("/me/calendar/reset")
    assert client.get(url).status_code == 404
    assert db.session.get(MemberCalendar, member.id).token != token


def test_a_cancelled_event_stays_in_feeds_as_cancelled(client, chapter):
    event = make_event(chapter, status="cancelled")
    (vevent,) = parsed(client.get(f"/chapters/{chapter.slug}/events.ics")).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED" and f"event-{event.id}@" in str(vevent["UID"])


def test_the_calendar_page_is_for_members_only(client, auth):
    response = client.get("/me/calendar")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert client.post("/me/calendar/reset").status_code == 302
    assert db.session.query(MemberCalendar).count() == 0
    member = make_user()
    auth.login_as(member)
    assert client.get("/me/calendar").status_code == 200
