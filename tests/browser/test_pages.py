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
        learner = learner_with_a_profile(chapter, suffix)
        return {"lead": (lead.email, lead.handle), "chapter": chapter.slug, "pending": pending.slug,
                "admin": admin.email, "learner": learner.handle}


def learner_with_a_profile(chapter, suffix):
    """A member with attested goals on a delivered project: their portfolio draws the competency chart (and the
    chapter page's health, seen by its lead, counts them)."""
    from sqlalchemy import select

    from core.extensions import db
    from learning.models import GoalAttestation, LearningGoal
    from projects.models import TeamMember
    from tests.factories import make_delivered_project

    learner = make_user(f"learner-{suffix}")
    project = make_delivered_project(chapter, team=(learner,), competencies=("sales.discovery", "scoping.pricing"))
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id))
    for code, level in (("sales.discovery", "demonstrated"), ("scoping.pricing", None)):
        goal = LearningGoal(team_member_id=place.id, project_id=project.id, code=code)
        db.session.add(goal)
        db.session.flush()
        if level:
            db.session.add(GoalAttestation(goal_id=goal.id, level=level, note="Seen in the work."))
    db.session.commit()
    return learner


PUBLIC = ["/", "/chapters/", "/chapters/?q=harbour&country=FR", "/projects/", "/sponsors/", "/auth/login",
          "/auth/register", "/no-such-page"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_seen_by_a_visitor(page, world, language):
    if language == "fr":
        visit(page, "/")
        page.locator("#language-select").select_option("fr")
        page.get_by_role("button", name="Change language").click()
        page.wait_for_load_state()
    for path in PUBLIC + [f"/chapters/{world['chapter']}", f"/u/{world['lead'][1]}", f"/u/{world['learner']}"]:
        if path == "/no-such-page":
            assert page.goto(path).status == 404
            assert_accessible(page)
        else:
            visit(page, path)
        assert page.locator("html").get_attribute("lang") == language
    assert page.locator("svg.competency-chart[role=img]").count() == 1  # the last page: the learner's portfolio


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
