"""Events through a real browser, with axe-core run on every page it lands on.

A chapter lead schedules a workshop with one place; two members answer: the first is going, the second joins
the waiting list; the first can no longer come, and the second moves up and is told; after the workshop the
lead marks who attended, and the workshop and its competency show on the member's portfolio.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from core.extensions import db
from events.models import Event
from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, sign_out, unique
from tests.browser.test_projects_journey import expect_flash
from tests.factories import add_member, make_chapter, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def lyon(live_server):
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"elead-{suffix}", name=f"Lea Lead {suffix}")
        chapter = make_chapter(lead, name=f"Rhône Freelancers {suffix}")
        first = add_member(chapter, make_user(f"efirst-{suffix}", name=f"Farah First {suffix}"))
        second = add_member(chapter, make_user(f"esecond-{suffix}", name=f"Sacha Second {suffix}"))
        return {"lead": lead.email, "first": first.email, "second": second.email, "second_handle": second.handle,
                "second_name": second.name, "chapter": f"/chapters/{chapter.slug}", "title": f"Pricing workshop {suffix}"}


def answer_section(page):
    return page.get_by_role("region", name="Your answer")


def test_a_lead_schedules_a_workshop_members_answer_and_the_waiting_list_moves_up(page, live_server, lyon):
    s = lyon
    day = (date.today() + timedelta(days=14)).isoformat()

    # 1. The lead schedules a workshop with one place, in the chapter's time zone (Europe/Paris for France).
    sign_in(page, s["lead"])
    visit(page, s["chapter"])
    click_to_page(page, page.get_by_role("region", name="Upcoming events").get_by_role("link", name="New event"))
    expect(page.locator("#timezone")).to_have_value("Europe/Paris")
    page.locator("#title").fill(s["title"])
    page.locator("#kind").select_option("workshop")
    page.locator("#description").fill("Work out a day rate and write a quote together.")
    page.locator("#address").fill("1 place Bellecour, Lyon")
    page.locator("#starts_local").fill(f"{day}T18:00")
    page.locator("#ends_local").fill(f"{day}T17:00")  # before the start: refused next to the field
    page.locator("#capacity").fill("1")
    page.locator("#competency-scoping\\.pricing").check()
    response = click_to_page(page, page.get_by_role("button", name="Schedule the event"))
    assert response.status == 400
    expect(page.locator("#ends_local-error")).to_have_text("The event must end after it starts.")
    page.locator("#ends_local").fill(f"{day}T20:00")
    click_to_page(page, page.get_by_role("button", name="Schedule the event"))
    expect_flash(page, "The event is scheduled.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(s["title"])
    expect(page.get_by_text("Europe/Paris").first).to_be_visible()
    event_path = page.url.split("//", 1)[1].split("/", 1)[1]
    event_path = "/" + event_path
    sign_out(page)

    # 2. The first member takes the only place; the second joins the waiting list.
    sign_in(page, s["first"])
    visit(page, event_path)
    click_to_page(page, answer_section(page).get_by_role("button", name="Going", exact=True))
    expect_flash(page, "You are going. See you there!")
    sign_out(page)
    sign_in(page, s["second"])
    visit(page, event_path)
    click_to_page(page, answer_section(page).get_by_role("button", name="Join the waiting list"))
    expect_flash(page, "you are on the waiting list")
    expect(page.locator("#answer-status")).to_have_text("You are on the waiting list (number 1).")
    sign_out(page)

    # 3. The first member cannot come after all: the second moves up and is told.
    sign_in(page, s["first"])
    visit(page, event_path)
    click_to_page(page, answer_section(page).get_by_role("button", name="Not going any more"))
    expect_flash(page, "Your answer is saved: not going.")
    sign_out(page)
    sign_in(page, s["second"])
    visit(page, "/notifications")
    expect(page.get_by_text(f"A place freed up: you are now going to “{s['title']}”.")).to_be_visible()
    visit(page, event_path)
    expect(page.locator("#answer-status")).to_have_text("You are going.")
    visit(page, "/me")
    expect(page.get_by_role("region", name="Your events")).to_contain_text(s["title"])
    sign_out(page)

    # 4. The workshop takes place (moved to yesterday here); the lead marks who attended.
    event_id = int(event_path.rsplit("/", 1)[1])
    with live_server.app_context():
        event = db.session.get(Event, event_id)
        db.session.execute(update(Event).where(Event.id == event_id).values(
            starts_at=event.starts - timedelta(days=15), ends_at=event.ends - timedelta(days=15)))
        db.session.commit()
    sign_in(page, s["lead"])
    visit(page, event_path)
    attendance = page.get_by_role("region", name="Who answered")
    attendance.get_by_label(s["second_name"]).check()
    click_to_page(page, attendance.get_by_role("button", name="Save attendance"))
    expect_flash(page, "Attendance is saved: 1 attended.")
    sign_out(page)

    # 5. Anyone reads it on the member's portfolio, with the competency the workshop covered; and in French.
    visit(page, f"/u/{s['second_handle']}")
    attended = page.get_by_role("region", name="Events attended")
    expect(attended).to_contain_text(s["title"])
    expect(attended).to_contain_text("Pricing")
    visit(page, f"{s['chapter']}/events")
    expect(page.get_by_role("region", name="Past")).to_contain_text(s["title"])
    page.context.add_cookies([{"name": "locale", "value": "fr", "url": live_server.url}])
    visit(page, event_path)
    expect(page.get_by_role("link", name="Ajouter au calendrier (.ics)")).to_be_visible()
