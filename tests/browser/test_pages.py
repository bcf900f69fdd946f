"""Every page of the foundation, in English and French, checked with axe-core as each role sees it."""
from __future__ import annotations

import uuid

import pytest

from tests.browser.a11y import assert_accessible, visit
from tests.browser.test_journey import sign_in
from tests.factories import add_member, make_admin, make_chapter, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_server):
    suffix = uuid.uuid4().hex[:8]
    with live_server.app_context():
        lead = make_user(f"lead-{suffix}", skills=("Facilitation", "Python"), bio="Leads the chapter.")
        chapter = make_chapter(lead, name=f"Harbour Makers {suffix}")
        add_member(chapter, make_user(f"member-{suffix}"))
        pending = make_chapter(make_user(f"prop-{suffix}"), status="pending", name=f"Pending {suffix}")
        admin = make_admin(f"admin-{suffix}")
        return {"lead": (lead.email, lead.handle), "chapter": chapter.slug, "pending": pending.slug,
                "admin": admin.email}


PUBLIC = ["/", "/chapters/", "/chapters/?q=harbour&country=FR", "/projects/", "/sponsors/", "/auth/login",
          "/auth/register", "/no-such-page"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_seen_by_a_visitor(page, world, language):
    if language == "fr":
        visit(page, "/")
        page.locator("#language-select").select_option("fr")
        page.get_by_role("button", name="Change language").click()
        page.wait_for_load_state()
    for path in PUBLIC + [f"/chapters/{world['chapter']}", f"/u/{world['lead'][1]}"]:
        if path == "/no-such-page":
            assert page.goto(path).status == 404
            assert_accessible(page)
        else:
            visit(page, path)
        assert page.locator("html").get_attribute("lang") == language


def test_pages_seen_by_a_chapter_lead(page, world):
    sign_in(page, world["lead"][0])
    for path in ["/me", "/me/edit", "/me/notifications", "/notifications", "/chapters/new",
                 f"/chapters/{world['chapter']}", f"/chapters/{world['chapter']}/edit",
                 f"/chapters/{world['chapter']}/projects/new", "/sponsors/new"]:
        visit(page, path)
    assert page.goto("/admin/").status == 403
    assert_accessible(page)


def test_pages_seen_by_an_admin(page, world):
    sign_in(page, world["admin"])
    for path in ["/admin/", "/admin/users", "/admin/audit", "/admin/jobs", f"/chapters/{world['pending']}"]:
        visit(page, path)
