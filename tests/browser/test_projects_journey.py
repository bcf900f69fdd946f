"""Projects through a real browser, with axe-core run on every page the journey lands on.

A chapter lead drafts a project and plans its milestones, a member applies and is accepted,
delivers the milestones (a link, then a file), the lead asks for changes once, accepts and
marks the project as delivered. A second test visits the project pages each role sees.
Every account, chapter and project gets a unique suffix, so the tests share the live
server's database without depending on one another's order.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import pytest
from playwright.sync_api import expect

from core.extensions import db
from projects import milestones, services
from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, sign_out, unique
from tests.factories import add_member, make_chapter, make_user

pytestmark = pytest.mark.browser


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]


def expect_flash(page, text: str, role: str = "status") -> None:
    expect(page.get_by_role(role).filter(has_text=text)).to_be_visible()


def next_steps(page):
    return page.get_by_role("region", name="Next steps")


def add_milestone(page, title: str, description: str, due: str) -> None:
    click_to_page(page, page.get_by_role("link", name="Add a milestone"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New milestone")
    page.locator("#title").fill(title)
    page.locator("#description").fill(description)
    page.locator("#due_date").fill(due)
    click_to_page(page, page.get_by_role("button", name="Save the milestone"))
    expect_flash(page, "The milestone is added.")


def open_milestone(page, project_path: str, title: str) -> None:
    visit(page, project_path)
    click_to_page(page, page.get_by_role("region", name="Milestones").get_by_role("link", name=title, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def review(page, project_path: str, title: str, decision: str, comment: str) -> None:
    open_milestone(page, project_path, title)
    page.locator("#comment").fill(comment)
    click_to_page(page, page.get_by_role("button", name=decision))
    expect_flash(page, "Your review is saved.")


def test_a_project_is_planned_staffed_delivered_and_reviewed(page, live_server, tmp_path):
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"plead-{suffix}", name=f"Lina Lead {suffix}")
        chapter = make_chapter(lead, name=f"Riverside Makers {suffix}")
        member = add_member(chapter, make_user(f"pmember-{suffix}", name=f"Milo Member {suffix}",
                                               skills=("Python",)))
        lead_email, lead_name = lead.email, lead.name
        member_email, member_name = member.email, member.name
        chapter_path, chapter_name = f"/chapters/{chapter.slug}", chapter.name
    title = f"Tool library catalogue {suffix}"
    first, second = "Inventory survey", "Public catalogue"

    # 1. The lead opens the chapter page and drafts a project, every field filled.
    sign_in(page, lead_email)
    visit(page, chapter_path)
    click_to_page(page, page.get_by_role("link", name="New project"))
    expect(page).to_have_url(re.compile(re.escape(chapter_path) + "/projects/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"New project in {chapter_name}")
    page.locator("#title").fill(title)
    page.locator("#summary").fill("An online catalogue for the neighbourhood tool library.")
    page.locator("#problem").fill("Members cannot see which tools are in stock, so half of the visits are wasted.")
    page.locator("#skills").fill("Python, Web design")
    page.locator("#learning_outcomes").fill("Scoping work with a client\nShipping a small web app")
    page.get_by_role("checkbox", name="11. Sustainable cities and communities").check()
    page.get_by_role("checkbox", name="12. Responsible consumption and production").check()
    page.locator("#team_min").fill("1")
    page.locator("#team_max").fill("2")
    page.locator("#start_date").fill("2030-01-06")
    page.locator("#end_date").fill("2030-06-30")
    click_to_page(page, page.get_by_role("button", name="Save the project"))
    expect(page).to_have_url(re.compile(r"/projects/\d+$"))
    project_path = path_of(page)
    expect_flash(page, "The project is saved as a draft.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("draft")
    expect(page.get_by_text("SDG 11: Sustainable cities and communities")).to_be_visible()
    expect(page.get_by_text("SDG 12: Responsible consumption and production")).to_be_visible()

    # 2. Recruiting cannot open before a milestone is planned; the failed guard says why.
    click_to_page(page, next_steps(page).get_by_role("button", name="Open recruiting"))
    expect(page).to_have_url(re.compile(re.escape(project_path) + "$"))
    expect_flash(page, "Plan at least one milestone.", role="alert")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("draft")

    # 3. Two milestones, then recruiting opens.
    add_milestone(page, first, "Count and photograph every tool.", "2030-02-15")
    add_milestone(page, second, "Publish the catalogue online.", "2030-05-31")
    plan = page.get_by_role("region", name="Milestones")
    expect(plan.get_by_role("listitem")).to_have_count(2)
    expect(plan.get_by_text("0 of 2 milestones accepted")).to_be_visible()
    click_to_page(page, next_steps(page).get_by_role("button", name="Open recruiting"))
    expect_flash(page, "The project is now recruiting.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("recruiting")
    # Starting needs a team: refused with the guard's sentence.
    click_to_page(page, next_steps(page).get_by_role("button", name="Start the project"))
    expect_flash(page, "The team has 0 of the 1 members it needs to start.", role="alert")
    sign_out(page)

    # 4. A member applies.
    sign_in(page, member_email)
    visit(page, project_path)
    click_to_page(page, page.get_by_role("link", name="Apply to join"))
    expect(page).to_have_url(re.compile(re.escape(project_path) + "/apply$"))
    page.locator("#motivation").fill("I catalogue things for fun and want to learn to ship a web app.")
    page.locator("#portfolio_url").fill("https://example.org/milo")
    click_to_page(page, page.get_by_role("button", name="Send my application"))
    expect(page).to_have_url(re.compile(re.escape(project_path) + "$"))
    expect_flash(page, "Your application is sent.")
    expect(page.get_by_text("Your application:")).to_contain_text("pending")
    sign_out(page)

    # 5. The lead accepts the applicant and starts the project.
    sign_in(page, lead_email)
    visit(page, project_path)
    click_to_page(page, page.get_by_role("link", name="Applications", exact=True))
    expect(page).to_have_url(re.compile(re.escape(project_path) + "/applications$"))
    page.get_by_label("Message to the applicant (optional)").fill("Welcome aboard!")
    click_to_page(page, page.get_by_role("button", name=f"Accept {member_name}"))
    expect_flash(page, "The application is accepted.")
    expect(page.get_by_role("button", name=f"Accept {member_name}")).to_have_count(0)
    click_to_page(page, page.get_by_role("link", name="Back to the project"))
    expect(page.get_by_role("region", name=re.compile("^Team")).get_by_role("link", name=member_name)).to_be_visible()
    click_to_page(page, next_steps(page).get_by_role("button", name="Start the project"))
    expect_flash(page, "The project is now active.")
    sign_out(page)

    # 6. The member submits a deliverable for each milestone: a link, then a small text file.
    sign_in(page, member_email)
    open_milestone(page, project_path, first)
    page.locator("#note").fill("The inventory spreadsheet, with photographs.")
    page.locator("#link").fill("https://example.org/inventory")
    click_to_page(page, page.get_by_role("button", name="Submit for review"))
    expect_flash(page, "Your deliverable is submitted for review.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("submitted")

    deliverable = tmp_path / "catalogue.txt"
    deliverable.write_text("Hammer: 3\nDrill: 2\nLadder: 1\n", encoding="utf-8")
    open_milestone(page, project_path, second)
    page.locator("#note").fill("The catalogue as a text file.")
    page.locator("#file").set_input_files(str(deliverable))
    click_to_page(page, page.get_by_role("button", name="Submit for review"))
    expect_flash(page, "Your deliverable is submitted for review.")
    expect(page.get_by_role("link", name="Download catalogue.txt")).to_be_visible()
    sign_out(page)

    # 7. The lead asks for changes to the first and accepts the second.
    sign_in(page, lead_email)
    review(page, project_path, first, "Request changes", "Please add the garden tools.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("changes requested")
    review(page, project_path, second, "Accept the milestone", "Clear and complete.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("accepted")
    sign_out(page)

    # 8. The member resubmits the first; the lead accepts it and marks the project as delivered.
    sign_in(page, member_email)
    open_milestone(page, project_path, first)
    expect(page.get_by_text("Please add the garden tools.")).to_be_visible()
    page.locator("#note").fill("Garden tools added.")
    page.locator("#link").fill("https://example.org/inventory-v2")
    click_to_page(page, page.get_by_role("button", name="Submit for review"))
    expect_flash(page, "Your deliverable is submitted for review.")
    sign_out(page)

    sign_in(page, lead_email)
    review(page, project_path, first, "Accept the milestone", "Thank you.")
    visit(page, project_path)
    click_to_page(page, next_steps(page).get_by_role("button", name="Mark as delivered"))
    expect_flash(page, "The project is now delivered.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("delivered")
    expect(page.get_by_role("region", name="Milestones").get_by_text("2 of 2 milestones accepted")).to_be_visible()
    expect(page.locator("#project-progress")).to_have_attribute("value", "2")
    feed = page.get_by_role("region", name="Activity")
    for line in (f"{lead_name} marked the project as delivered.",
                 f"accepted “{first}”.", f"requested changes to “{first}”.", f"accepted “{second}”.",
                 f"{member_name} joined the team.", "opened recruiting.", "started the project.",
                 "created the project."):
        expect(feed.get_by_text(line, exact=False).first).to_be_visible()
    expect(page.get_by_role("region", name="Next steps")).to_have_count(0)


@contextmanager
def in_request(live_server):
    """Services build URLs for notifications, so they run inside a request context."""
    with live_server.app.test_request_context():
        try:
            yield
        finally:
            db.session.remove()


@pytest.fixture
def recruiting(live_server):
    """A recruiting project that needs Cartography, one applicant, and a member with that skill."""
    suffix = unique()
    with in_request(live_server):
        lead = make_user(f"rlead-{suffix}", name=f"Rosa Lead {suffix}")
        chapter = make_chapter(lead, name=f"Canal Mappers {suffix}")
        project = services.create_project(
            chapter, lead, title=f"Map of drinking fountains {suffix}", summary="Map every public fountain.",
            problem="Nobody knows which fountains work.", learning_outcomes="Working with open data",
            team_min=1, team_max=3, start_date=None, end_date=None, skills=[f"Cartography{suffix}"], sdgs=[6])
        milestones.add_milestone(project, lead, title="Field survey", description="", due_date=date(2030, 3, 1))
        services.transition_project(project, lead, "open")
        applicant = make_user(f"rapp-{suffix}", name=f"Abel Applicant {suffix}")
        services.apply_to_project(project, applicant, "I walk past these fountains every day.", None)
        member = make_user(f"rmember-{suffix}", name=f"Maya Mapper {suffix}", skills=(f"Cartography{suffix}",))
        return {"lead": lead.email, "member": member.email, "project": f"/projects/{project.id}",
                "title": project.title, "applicant": applicant.name}


def test_project_pages_seen_by_a_visitor_a_member_and_a_lead(page, recruiting):
    visit(page, "/projects/")
    visit(page, "/projects/?status=recruiting")
    expect(page.locator("#status")).to_have_value("recruiting")
    click_to_page(page, page.get_by_role("link", name=recruiting["title"]))
    expect(page).to_have_url(re.compile(re.escape(recruiting["project"]) + "$"))
    expect(page.get_by_role("link", name="Sign in to apply")).to_be_visible()
    expect(page.get_by_role("region", name="Next steps")).to_have_count(0)
    expect(page.get_by_role("link", name="Applications", exact=True)).to_have_count(0)

    sign_in(page, recruiting["member"])
    visit(page, "/me")
    recommended = page.get_by_role("region", name="Recommended for you")
    expect(recommended.get_by_role("link", name=recruiting["title"])).to_be_visible()
    sign_out(page)

    sign_in(page, recruiting["lead"])
    visit(page, "/notifications")
    expect(page.get_by_role("link", name=f"{recruiting['applicant']} applied to “{recruiting['title']}”.")) \
        .to_be_visible()
