"""Discovery and leads' own teams through a real browser, axe-core on every page, at 1280 and 360 px: a
visitor searches from the header (no JavaScript needed: a GET form), sorts and filters projects by a
chapter's city; a lead joins their own project's team and sees what waits for them on /me."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, unique, open_menu
from tests.factories import make_application, make_chapter, make_project, make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_a_visitor_searches_sorts_and_a_lead_joins_their_own_team(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"lead{suffix}", name=f"Orla Orchard {suffix}")
        chapter = make_chapter(lead, name=f"Orchard chapter {suffix}", city=f"Pomville{suffix}")
        project = make_project(chapter, title=f"Orchard census {suffix}", team_max=3)
        make_application(project)
        project_path, email = f"/projects/{project.id}", lead.email

    visit(page, "/")
    open_menu(page)  # under 992 px the header's search is in the folded menu
    page.get_by_role("search", name="Search the site").get_by_label(
        "Search projects, chapters and people").fill(suffix)
    click_to_page(page, page.get_by_role("search", name="Search the site").get_by_role("button", name="Search"))
    expect(page.get_by_role("link", name=f"Orchard census {suffix}")).to_be_visible()
    expect(page.get_by_role("link", name=f"Orchard chapter {suffix}")).to_be_visible()
    expect(page.get_by_role("link", name=f"Orla Orchard {suffix}")).to_be_visible()

    visit(page, "/projects/")
    page.get_by_label("Chapter or city").fill(f"pomville{suffix}")
    page.get_by_label("Sort by").select_option("places")
    click_to_page(page, page.get_by_role("button", name="Search", exact=True).last)
    card = page.get_by_role("article").filter(has_text=f"Orchard census {suffix}")
    expect(card).to_contain_text("3 places left")
    expect(card).to_contain_text(f"Pomville{suffix}")

    sign_in(page, email)
    visit(page, project_path)
    expect(page.get_by_role("link", name="Apply to join")).to_have_count(0)
    page.get_by_label("You lead this chapter: join the team as").select_option("mentor")
    click_to_page(page, page.get_by_role("button", name="Join the team"))
    expect(page.get_by_role("status").filter(has_text="You are on the team.")).to_be_visible()
    visit(page, "/me")
    led = page.get_by_role("region", name="Projects I lead")
    expect(led.get_by_role("link", name="1 application to decide")).to_be_visible()
