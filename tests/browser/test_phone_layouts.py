"""Phones (issue 20 item 8), through a real browser with axe-core on every page: at 360 px the sponsor dashboard
and the admin tables become stacked cards whose lines are named by their columns, the milestone timeline is a
vertical list with text of at least 12 px, and no page scrolls sideways; at 1280 px they stay tables and a
drawing."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from projects.models import Milestone
from tests.browser.a11y import visit
from tests.browser.test_journey import sign_in, sign_out, unique
from tests.factories import make_admin, make_chapter, make_organisation, make_project, make_sponsorship, make_user

pytestmark = pytest.mark.browser


def no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), page.url


def stacked(page, table) -> bool:
    """Whether the table's rows are laid out as blocks (cards) rather than table rows."""
    return table.locator("tbody tr").first.evaluate("row => getComputedStyle(row).display") == "block"


@pytest.mark.parametrize("width", [360, 1280])
def test_tables_stack_and_the_timeline_becomes_a_list_on_phones(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    phone = width < 576
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"tlead{suffix}")
        admin = make_admin(f"tadmin{suffix}")
        sponsor = make_user(f"tsponsor{suffix}")
        org = make_organisation(sponsor, name=f"Long Name Foundation for Community Technology {suffix}")
        project = make_project(make_chapter(lead, name=f"Phone chapter {suffix}"), status="active",
                               title=f"A project with a rather long title for a small screen {suffix}", milestones=3)
        make_sponsorship(project, org, status="confirmed")
        first = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id)
                                  .order_by(Milestone.position))
        first.status = "accepted"
        db.session.commit()
        paths = {"dashboard": f"/sponsors/{org.slug}/dashboard", "project": f"/projects/{project.id}"}
        emails = {"admin": admin.email, "sponsor": sponsor.email}

    visit(page, paths["project"])
    timeline_list = page.get_by_role("list", name="Milestone timeline")
    drawing = page.get_by_role("img", name="Milestone timeline")
    if phone:
        expect(timeline_list).to_be_visible()
        expect(drawing).to_be_hidden()
        assert timeline_list.locator("li").count() == 3
        sizes = timeline_list.locator("li span").evaluate_all(
            "spans => spans.map(s => parseFloat(getComputedStyle(s).fontSize))")
        assert min(sizes) >= 12, sizes
    else:
        expect(drawing).to_be_visible()
        expect(timeline_list).to_be_hidden()
    no_sideways_scroll(page)

    sign_in(page, emails["sponsor"])
    visit(page, paths["dashboard"])
    table = page.get_by_role("table", name="Sponsored projects with their progress")
    assert stacked(page, table) is phone
    if phone:
        cell = table.locator("td[data-label='Milestones accepted']").first
        assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Milestones accepted: "'
    no_sideways_scroll(page)
    sign_out(page)

    sign_in(page, emails["admin"])
    for path, name in (("/admin/users", "Users"), ("/admin/audit", "Audit log"), ("/admin/jobs", None)):
        visit(page, path)
        if name:
            assert stacked(page, page.get_by_role("table", name=name)) is phone
        no_sideways_scroll(page)
