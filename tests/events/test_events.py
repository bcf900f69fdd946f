"""Chapter events through the pages: scheduling, editing, cancelling, answers and the waiting list, attendance,
the online link, the lists and sections, and the refusals of bad input."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from accounts.models import Notification
from core.audit import utcnow
from core.extensions import db
from events import services
from events.models import Event, Rsvp
from tests.conftest import fresh
from tests.factories import add_member, make_chapter, make_event, make_rsvp, make_user


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def notes(user, kind) -> int:
    return count(Notification, user_id=user.id, kind=kind)


@pytest.fixture
def w(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    return {"lead": lead, "chapter": chapter, "member": add_member(chapter, make_user("member"))}


def in_days(days: int, hour: int = 18) -> str:
    day = (utcnow() + timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:00"


def event_form(**changes) -> dict:
    form = {"title": "Pricing workshop", "kind": "workshop", "description": "Work out a day rate together.",
            "mode": "in_person", "address": "1 place Bellecour, Lyon", "online_url": "", "timezone": "Europe/Paris",
            "starts_local": in_days(10), "ends_local": in_days(10, 20), "capacity": "2",
            "competencies": ["scoping.pricing"]}
    form.update(changes)
    return form


def test_a_lead_schedules_a_workshop_entered_in_its_time_zone(client, auth, w):
    auth.login_as(w["lead"])
    response = client.post(f"/chapters/{w['chapter'].slug}/events/new", data=event_form())
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    local = datetime.fromisoformat(in_days(10))
    offset = datetime(local.year, local.month, local.day, 18, tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert event.starts == offset.astimezone(timezone.utc)
    assert event.competency_codes == ["scoping.pricing"] and event.capacity == 2 and event.status == "scheduled"
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Europe/Paris" in page and "Pricing workshop" in page
    assert '<li class="skill badge text-bg-light border">Pricing</li>' in page


def test_the_form_offers_the_chapter_country_zone(client, auth, app):
    lead = make_user()
    chapter = make_chapter(lead, country="CA", city="Montréal")
    auth.login_as(lead)
    page = client.get(f"/chapters/{chapter.slug}/events/new").get_data(as_text=True)
    assert '<option selected value="America/Toronto">' in page


@pytest.mark.parametrize("changes, field, message", [
    ({"ends_local": in_days(10, 17)}, "ends_local", "The event must end after it starts."),
    ({"starts_local": in_days(-2), "ends_local": in_days(-2, 20)}, "starts_local", "The event must start in the future."),
    ({"mode": "online", "online_url": ""}, "online_url", "Give the link of an online event."),
    ({"mode": "online", "online_url": "javascript://meet.example.org/x"}, "online_url", "Invalid URL."),
    ({"address": ""}, "address", "Give the address of an event in person."),
    ({"timezone": "Mars/Olympus"}, "timezone", "Not a valid choice."),
    ({"capacity": "0"}, "capacity", "Number must be between 1 and 10000."),
    ({"competencies": ["made.up"]}, "competencies", "Choose competencies from the list."),
])
def test_bad_event_input_is_refused_next_to_its_field(client, auth, w, changes, field, message):
    auth.login_as(w["lead"])
    response = client.post(f"/chapters/{w['chapter'].slug}/events/new", data=event_form(**changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert count(Event) == 0


def test_capacity_cannot_drop_below_the_members_going(client, auth, w):
    event = make_event(w["chapter"], capacity=3)
    for _ in range(2):
        make_rsvp(event)
    auth.login_as(w["lead"])
    response = client.post(f"/events/{event.id}/edit", data=event_form(capacity="1", title=event.title))
    assert response.status_code == 400
    assert "2 members are already going: the capacity cannot be lower." in response.get_data(as_text=True)
    assert fresh(event).capacity == 3


def test_members_cannot_schedule_events(client, auth, w):
    auth.login_as(w["member"])
    assert client.post(f"/chapters/{w['chapter'].slug}/events/new", data=event_form()).status_code == 403
    assert count(Event) == 0


def answer(client, event, going=True):
    return client.post(f"/events/{event.id}/answer", data={"answer": "going" if going else "not_going"})


def test_past_capacity_members_wait_and_move_up_in_order(client, auth, w):
    event = make_event(w["chapter"], capacity=1)
    first, second, third = make_user("first"), make_user("second"), make_user("third")
    for user in (first, second, third):
        auth.login_as(user)
        answer(client, event)
    statuses = dict(db.session.execute(select(Rsvp.user_id, Rsvp.status)).all())
    assert statuses == {first.id: "going", second.id: "waiting", third.id: "waiting"}
    auth.login_as(second)
    assert "number 1" in client.get(f"/events/{event.id}").get_data(as_text=True)
    auth.login_as(first)
    answer(client, event, going=False)
    db.session.expire_all()
    statuses = dict(db.session.execute(select(Rsvp.user_id, Rsvp.status)).all())
    assert statuses == {first.id: "not_going", second.id: "going", third.id: "waiting"}
    assert fresh(event).going_count == 1
    assert notes(second, "event.promoted") == 1 and notes(third, "event.promoted") == 0


def test_more_places_move_the_waiting_list_up(client, auth, w):
    event = make_event(w["chapter"], capacity=1)
    make_rsvp(event)
    waiting = [make_rsvp(event, status="waiting") for _ in range(3)]
    auth.login_as(w["lead"])
    form = event_form(title=event.title, capacity="3", starts_local=None, ends_local=None, competencies=[])
    local_start = event.starts.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    form.update(starts_local=local_start.strftime("%Y-%m-%dT%H:%M"),
                ends_local=(local_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                kind="meetup", address=event.address)
    assert client.post(f"/events/{event.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert [db.session.get(Rsvp, r.id).status for r in waiting] == ["going", "going", "waiting"]
    assert fresh(event).going_count == 3


def test_a_cancelled_event_tells_everyone_who_answered(client, auth, w):
    event = make_event(w["chapter"], capacity=1)
    going, waiting = make_rsvp(event), make_rsvp(event, status="waiting")
    auth.login_as(w["lead"])
    assert client.post(f"/events/{event.id}/transitions/cancel", data={"reason": ""}).status_code == 302
    assert fresh(event).status == "scheduled"  # a reason is required
    client.post(f"/events/{event.id}/transitions/cancel", data={"reason": "The venue flooded."})
    assert fresh(event).status == "cancelled" and event.cancel_reason == "The venue flooded."
    for rsvp in (going, waiting):
        assert count(Notification, user_id=rsvp.user_id, kind="event.cancelled") == 1
    assert "The venue flooded." in client.get(f"/events/{event.id}").get_data(as_text=True)


@pytest.mark.parametrize("state", ["cancelled", "past", "started"])
def test_answers_to_cancelled_started_or_past_events_are_refused(client, auth, w, state):
    event = make_event(w["chapter"], status="cancelled" if state == "cancelled" else "scheduled",
                       starts_in_hours={"cancelled": 24, "past": -48, "started": -1}[state])
    auth.login_as(w["member"])
    assert answer(client, event).status_code == 403
    assert count(Rsvp) == 0 and fresh(event).going_count == 0


def test_visitors_are_asked_to_sign_in_to_answer(client, w):
    event = make_event(w["chapter"])
    response = answer(client, event)
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert count(Rsvp) == 0


def test_the_online_link_is_shown_only_to_members_going_and_leads(client, auth, w):
    event = make_event(w["chapter"], mode="online")
    link = "https://meet.example.org/secret-room"
    assert link not in client.get(f"/events/{event.id}").get_data(as_text=True)
    auth.login_as(w["member"])
    assert link not in client.get(f"/events/{event.id}").get_data(as_text=True)
    answer(client, event)
    assert link in client.get(f"/events/{event.id}").get_data(as_text=True)
    auth.login_as(w["lead"])
    assert link in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert link not in client.get(f"/events/{event.id}.ics").get_data(as_text=True)


def test_the_lead_marks_attendance_and_the_workshop_shows_on_the_portfolio(client, auth, w):
    event = make_event(w["chapter"], kind="workshop", title="Contracts workshop", starts_in_hours=-3,
                       competencies=("admin.contracts",))
    came, absent = make_rsvp(event, w["member"]), make_rsvp(event)
    auth.login_as(w["lead"])
    response = client.post(f"/events/{event.id}/attendance", data={"attended": [str(w["member"].id)]})
    assert response.status_code == 302
    assert fresh(came).attended is True and fresh(absent).attended is False
    client.get("/auth/logout")
    portfolio = client.get(f"/u/{w['member'].handle}").get_data(as_text=True)
    assert "Contracts workshop" in portfolio and "Contracts and intellectual property" in portfolio


def test_attendance_is_for_members_going_and_only_once_the_event_started(client, auth, w):
    upcoming = make_event(w["chapter"])
    rsvp = make_rsvp(upcoming, w["member"])
    auth.login_as(w["lead"])
    assert client.post(f"/events/{upcoming.id}/attendance", data={"attended": [str(w["member"].id)]}).status_code == 403
    started = make_event(w["chapter"], starts_in_hours=-1)
    stranger = make_user()
    response = client.post(f"/events/{started.id}/attendance", data={"attended": [str(stranger.id)]},
                           follow_redirects=True)
    assert "Only members who answered going can be marked as attending." in response.get_data(as_text=True)
    assert fresh(rsvp).attended is None
    auth.login_as(w["member"])
    assert client.post(f"/events/{started.id}/attendance", data={}).status_code == 403


def test_the_chapter_lists_upcoming_and_past_events_paginated(client, w):
    for n in range(12):
        make_event(w["chapter"], title=f"Upcoming {n:02d}", starts_in_hours=24 + n)
    make_event(w["chapter"], title="Old meetup", starts_in_hours=-100)
    page = client.get(f"/chapters/{w['chapter'].slug}/events").get_data(as_text=True)
    assert "Upcoming 00" in page and "Upcoming 11" not in page and "Old meetup" in page
    second = client.get(f"/chapters/{w['chapter'].slug}/events?page=2").get_data(as_text=True)
    assert "Upcoming 11" in second and "Upcoming 00" not in second


def test_upcoming_events_show_on_the_chapter_page_home_and_me(client, auth, w):
    event = make_event(w["chapter"], title="Summer meetup")
    make_event(w["chapter"], title="Gone meetup", starts_in_hours=-10)
    assert "Summer meetup" in client.get(f"/chapters/{w['chapter'].slug}").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "Summer meetup" in home and "Gone meetup" not in home
    make_rsvp(event, w["member"])
    auth.login_as(w["member"])
    assert "Summer meetup" in client.get("/me").get_data(as_text=True)


def test_events_of_a_pending_chapter_are_hidden(client, auth, app):
    proposer = make_user()
    chapter = make_chapter(proposer, status="pending")
    event = make_event(chapter)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/chapters/{chapter.slug}/events").status_code == 404
    assert client.get(f"/events/{event.id}.ics").status_code == 404
    auth.login_as(proposer)
    assert client.get(f"/events/{event.id}").status_code == 200


def test_the_member_sets_their_time_zone_and_sees_times_in_it(client, auth, w):
    event = make_event(w["chapter"], timezone="Europe/Paris")
    auth.login_as(w["member"])
    response = client.post("/me/calendar", data={"timezone": "Mars/Olympus"})
    assert response.status_code == 400 and 'id="timezone-error"' in response.get_data(as_text=True)
    client.post("/me/calendar", data={"timezone": "America/Toronto"})
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Europe/Paris" in page and "America/Toronto" in page


def test_a_members_data_export_and_deletion_cover_their_answers(app, w):
    from core.personal_data import ERASERS, PARTS, Erasure

    event = make_event(w["chapter"], title="Exported meetup")
    make_rsvp(event, w["member"])
    exported = PARTS["events"].collect(w["member"])
    assert exported["answers.json"][0]["event"] == "Exported meetup"
    ERASERS["events"](Erasure(w["member"].id, w["member"].name, w["member"].handle, w["member"].email))
    db.session.commit()
    assert count(Rsvp) == 0 and fresh(event).going_count == 0


def test_a_demo_day_lists_the_chapters_projects_presenting(client, auth, w):
    from tests.factories import make_project
    active = make_project(w["chapter"], status="active", title="Water point map")
    draft = make_project(w["chapter"], status="draft", title="Secret draft")
    other = make_project(make_chapter(make_user()), status="active", title="Elsewhere")
    auth.login_as(w["lead"])
    form = client.get(f"/chapters/{w['chapter'].slug}/events/new").get_data(as_text=True)
    assert "Water point map" in form and "Secret draft" not in form
    for wrong in (draft, other):
        response = client.post(f"/chapters/{w['chapter'].slug}/events/new",
                               data=event_form(kind="demo_day", competencies=[], presenting=[str(wrong.id)]))
        assert response.status_code == 400
        assert "Choose active or delivered projects of the chapter." in response.get_data(as_text=True)
    response = client.post(f"/chapters/{w['chapter'].slug}/events/new",
                           data=event_form(kind="meetup", competencies=[], presenting=[str(active.id)]))
    assert response.status_code == 400 and "Only a demo day has presenting projects." in response.get_data(as_text=True)
    assert count(Event) == 0
    client.post(f"/chapters/{w['chapter'].slug}/events/new",
                data=event_form(kind="demo_day", competencies=[], presenting=[str(active.id)]))
    event = db.session.scalar(select(Event))
    assert event.presenting_ids == [active.id]
    assert "Water point map" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_a_new_time_is_announced_to_the_members_going(client, auth, w):
    event = make_event(w["chapter"])
    going = make_rsvp(event, w["member"])
    auth.login_as(w["lead"])
    client.post(f"/events/{event.id}/edit", data=event_form(kind="meetup", competencies=[], capacity="10",
                                                          starts_local=in_days(20), ends_local=in_days(20, 20)))
    assert notes(w["member"], "event.changed") == 1 and fresh(event).sequence == 1
    assert fresh(going).status == "going"


def test_a_forged_answer_is_refused(client, auth, w):
    event = make_event(w["chapter"])
    auth.login_as(w["member"])
    assert client.post(f"/events/{event.id}/answer", data={"answer": "maybe"}).status_code == 400
    assert count(Rsvp) == 0


def test_the_service_refuses_a_link_that_is_not_http(w):
    from core.errors import FieldError
    fields = {"title": "Online chat", "kind": "meetup", "description": "Hello.", "mode": "online", "address": "",
              "online_url": "ftp://files.example.org/room", "timezone": "Europe/Paris", "capacity": 5,
              "starts_local": datetime.fromisoformat(in_days(5)), "ends_local": datetime.fromisoformat(in_days(5, 20)),
              "competencies": []}
    with pytest.raises(FieldError) as refused:
        services.create_event(w["chapter"], w["lead"], **fields)
    assert refused.value.errors == {"online_url": "Give a link that starts with https://."}
    db.session.rollback()
    assert count(Event) == 0
