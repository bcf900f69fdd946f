"""Learning evidence through a real browser, axe-core on every page: a team member logs hours (a bad entry is
refused next to its field), submits a deliverable, writes the reflection the milestone page asks for and makes
it public; a visitor then reads it, in French."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from projects.models import Milestone
from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, sign_out, unique
from tests.factories import make_chapter, make_project, make_user

pytestmark = pytest.mark.browser


def test_a_member_logs_hours_reflects_and_publishes_and_a_visitor_reads_it_in_french(page, live_server):
    suffix = unique()
    with live_server.app_context():
        member = make_user(f"member-{suffix}", name=f"Ines {suffix}")
        chapter = make_chapter(make_user(f"lead-{suffix}"), name=f"Evidence chapter {suffix}")
        project = make_project(chapter, status="active", title=f"Bookkeeping clinic {suffix}", team=(member,))
        milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
        milestone_path, email = f"/projects/{project.id}/milestones/{milestone.id}", member.email

    sign_in(page, email)
    visit(page, milestone_path)
    time = page.get_by_role("region", name="Time spent")
    time.get_by_label("Hours").fill("25")
    time.get_by_label("What you worked on").fill("Interviews with treasurers")
    response = click_to_page(page, time.get_by_role("button", name="Log time"))
    assert response.status == 400
    expect(page.locator("#hours-error")).to_contain_text("A day has at most 24 hours.")
    page.get_by_label("Hours").fill("2.5")
    click_to_page(page, page.get_by_role("button", name="Log time"))
    expect(page.get_by_role("status").filter(has_text="Your time is logged.")).to_be_visible()
    expect(page.get_by_role("region", name="Time spent")).to_contain_text("Interviews with treasurers")

    page.get_by_label("Note").fill("The survey and its results.")
    page.get_by_label("Link (optional)").fill("https://example.org/survey")
    click_to_page(page, page.get_by_role("button", name="Submit for review"))
    click_to_page(page, page.get_by_role("link", name="Write your reflection"))
    page.get_by_label("What I did").fill("I ran the interviews and wrote the survey.")
    page.get_by_label("What I learned").fill("Too short")
    page.get_by_label("What I would do differently").fill("I would agree on the deadline before sending it.")
    assert click_to_page(page, page.get_by_role("button", name="Save the reflection")).status == 400
    expect(page.locator("#learned-error")).to_contain_text("Write at least 20 characters.")
    page.get_by_label("What I learned").fill("Scoping the questions with the client first saves a round.")
    click_to_page(page, page.get_by_role("button", name="Save the reflection"))
    reflections = page.get_by_role("region", name="Reflections")
    click_to_page(page, reflections.get_by_role("link", name=f"Reflection by Ines {suffix}"))
    click_to_page(page, page.get_by_role("button", name="Make it public"))
    expect(page.get_by_role("status").filter(has_text="Your reflection is public.")).to_be_visible()
    reflection_path = page.url
    sign_out(page)

    visit(page, reflection_path)
    page.locator("#language-select").select_option("fr")
    click_to_page(page, page.get_by_role("button", name="Change language"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Réflexion de Ines {suffix}")
    expect(page.get_by_role("heading", name="Ce que j’ai appris")).to_be_visible()
    expect(page.get_by_text("Scoping the questions with the client first saves a round.")).to_be_visible()
    visit(page, milestone_path)
    expect(page.get_by_role("region", name="Réflexions")).to_contain_text(f"Réflexion de Ines {suffix}")
