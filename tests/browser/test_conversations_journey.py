"""Conversations through a real browser at desktop (1280 px) and phone (360 px) widths, axe-core on every page:
an applicant and a lead talk on the application (an empty message is refused next to the field), then a sponsor's
reviewer and the team discuss a milestone (a mention of someone outside the thread is refused; the team member
corrects their answer). No page scrolls sideways."""
from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from projects.models import Milestone
from tests.browser.a11y import click_to_page, visit
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_journey import sign_in, unique
from tests.factories import (make_application, make_chapter, make_organisation, make_project, make_sponsorship,
                             make_user)

pytestmark = pytest.mark.browser


@contextmanager
def person(browser, live_server, width: int):
    """A browser of its own for one person (their own cookies), `width` pixels wide; any 5xx fails the test."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-US",
                                  viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    own_host = urlsplit(live_server.url).netloc
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("data:", "blob:"))
                  or urlsplit(route.request.url).netloc == own_host else route.abort())
    errors: list[str] = []
    context.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not errors, errors


def no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.parametrize("width", [1280, 360])
def test_applicants_leads_reviewers_and_teams_talk(browser, live_server, width):
    s = unique()
    with live_server.app_context():
        lead = make_user(f"lead-{s}", name=f"Lena {s}")
        applicant = make_user(f"anna-{s}", name=f"Anna {s}")
        member, reviewer = make_user(f"tara-{s}", name=f"Tara {s}"), make_user(f"rita-{s}", name=f"Rita {s}")
        chapter = make_chapter(lead, name=f"Talk chapter {s}")
        recruiting = make_project(chapter, status="recruiting", title=f"Water map {s}")
        application = make_application(recruiting, applicant)
        active = make_project(chapter, status="active", title=f"Clinic {s}", team=(member,))
        make_sponsorship(active, make_organisation(reviewers=(reviewer,), name=f"Fund {s}"), status="confirmed")
        milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == active.id))
        ids = {"recruiting": recruiting.id, "application": application.id, "active": active.id,
               "milestone": milestone.id}
        emails = {"lead": lead.email, "applicant": applicant.email, "member": member.email,
                  "reviewer": reviewer.email}

    # The applicant opens the conversation from the project page; an empty message is refused next to the field.
    with person(browser, live_server, width) as page:
        sign_in(page, emails["applicant"])
        visit(page, f"/projects/{ids['recruiting']}")
        click_to_page(page, page.get_by_role("link", name="Conversation with the chapter’s leads"))
        assert click_to_page(page, page.get_by_role("button", name="Send")).status == 400
        expect(page.locator("#body-error")).to_contain_text("Write a message before sending it.")
        page.get_by_role("textbox", name="Message").fill(
            "Hello! My maps are at https://example.org/anna — when do we start?")
        click_to_page(page, page.get_by_role("button", name="Send"))
        expect(page.get_by_role("status").filter(has_text="Your message is posted.")).to_be_visible()
        link = page.get_by_role("link", name="https://example.org/anna")
        expect(link).to_have_attribute("rel", "nofollow ugc noopener")
        no_sideways_scroll(page)

    # The lead finds it on /me, reads it marked new, and answers with a mention.
    with person(browser, live_server, width) as page:
        sign_in(page, emails["lead"])
        visit(page, "/me")
        unread = page.get_by_role("region", name="Unread conversations")
        click_to_page(page, unread.get_by_role("link", name=f"Application of Anna {s} to “Water map {s}”"))
        expect(page.get_by_text("New messages")).to_be_visible()
        expect(page.get_by_text("when do we start?")).to_be_visible()
        page.get_by_role("textbox", name="Message").fill(f"Next Monday, @anna-{s}. Welcome!")
        click_to_page(page, page.get_by_role("button", name="Send"))
        expect(page.locator("article").filter(has_text="Next Monday")).to_contain_text(f"@anna-{s}")
        no_sideways_scroll(page)

    # The sponsor's reviewer opens the milestone's conversation; mentioning the applicant (not in it) is refused.
    with person(browser, live_server, width) as page:
        sign_in(page, emails["reviewer"])
        visit(page, f"/projects/{ids['active']}/milestones/{ids['milestone']}")
        click_to_page(page, page.get_by_role("link", name="Open the conversation on this milestone"))
        page.get_by_role("textbox", name="Message").fill(f"@anna-{s} could you check the sources?")
        assert click_to_page(page, page.get_by_role("button", name="Send")).status == 400
        expect(page.locator("#body-error")).to_contain_text("Only people in this conversation can be mentioned")
        page.get_by_role("textbox", name="Message").fill(f"@tara-{s} could you add the sources to the report?")
        click_to_page(page, page.get_by_role("button", name="Send"))
        expect(page.get_by_text("could you add the sources to the report?")).to_be_visible()
        no_sideways_scroll(page)

    # The team member, mentioned, answers from /me and corrects the answer within the quarter of an hour.
    with person(browser, live_server, width) as page:
        sign_in(page, emails["member"])
        visit(page, "/me")
        click_to_page(page, page.get_by_role("region", name="Unread conversations").get_by_role("link"))
        expect(page.get_by_text("could you add the sources to the report?")).to_be_visible()
        page.get_by_role("textbox", name="Message").fill("Yes, on Friday.")
        click_to_page(page, page.get_by_role("button", name="Send"))
        mine = page.locator("article").filter(has_text="Yes, on Friday.")
        click_to_page(page, mine.get_by_role("link", name="Edit"))
        page.get_by_role("textbox", name="Message").fill("Yes, on Thursday.")
        click_to_page(page, page.get_by_role("button", name="Save the message"))
        expect(page.locator("article").filter(has_text="Yes, on Thursday.")).to_contain_text("edited")
        no_sideways_scroll(page)
        if width == 1280:  # the same conversation, in French
            page.locator("#language-select").select_option("fr")
            click_to_page(page, page.get_by_role("button", name="Change language"))
            expect(page.get_by_role("heading", level=1)).to_contain_text("Conversation sur « Milestone 1 »")
            expect(page.locator("article").filter(has_text="Yes, on Thursday.")).to_contain_text("modifié")
