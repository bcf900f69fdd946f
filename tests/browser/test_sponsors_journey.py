"""A sponsor's journey through a real browser, with axe-core run on every page it lands on.

A sponsor organisation's admin offers funding to an active project and the chapter lead confirms it;
a team member submits the final milestone; the sponsor's reviewer finds it on the organisation's
dashboard and asks for changes; the team resubmits; the reviewer accepts; the lead, who could not
accept the final milestone nor deliver before, now marks the project as delivered; the sponsor
reads the outcome report. Accounts and names carry a unique suffix, as in the other journeys.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.audit import utcnow
from core.extensions import db
from projects.models import Milestone, Review
from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, sign_out, unique
from tests.browser.test_projects_journey import expect_flash, next_steps, open_milestone
from tests.factories import make_chapter, make_organisation, make_project, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def sponsored(live_server):
    """An active project whose first milestone the lead accepted, and a sponsor with an admin and a reviewer."""
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"slead-{suffix}", name=f"Lea Lead {suffix}")
        member = make_user(f"smember-{suffix}", name=f"Sam Member {suffix}")
        chapter = make_chapter(lead, name=f"Harbour Makers {suffix}")
        project = make_project(chapter, status="active", title=f"Harbour cleanup tracker {suffix}",
                               team=(member,), milestones=2)
        first, final = db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                          .order_by(Milestone.position)).all()
        first.status, first.accepted_at, first.accepted_by_id = "accepted", utcnow(), lead.id
        db.session.add(Review(milestone_id=first.id, reviewer_id=lead.id, decision="accepted"))
        final.title = f"Final report {suffix}"
        db.session.commit()
        admin = make_user(f"sadmin-{suffix}", name=f"Ada Sponsor {suffix}")
        reviewer = make_user(f"sreviewer-{suffix}", name=f"Rui Reviewer {suffix}")
        org = make_organisation(admin, reviewers=(reviewer,), name=f"Blue Sea Fund {suffix}")
        return {"lead": lead.email, "member": member.email, "admin": admin.email, "reviewer": reviewer.email,
                "project": f"/projects/{project.id}", "title": project.title, "final": final.title,
                "org": org.name, "org_path": f"/sponsors/{org.slug}", "dashboard": f"/sponsors/{org.slug}/dashboard"}


def sponsors_section(page):
    return page.get_by_role("region", name="Sponsors")


def submit_final(page, s, note: str, link: str) -> None:
    open_milestone(page, s["project"], s["final"])
    page.locator("#note").fill(note)
    page.locator("#link").fill(link)
    click_to_page(page, page.get_by_role("button", name="Submit for review"))
    expect_flash(page, "Your deliverable is submitted for review.")


def review_from_dashboard(page, s, decision: str, comment: str) -> None:
    visit(page, s["dashboard"])
    waiting = page.get_by_role("region", name=re.compile("^Milestones waiting for review"))
    click_to_page(page, waiting.get_by_role("link", name=s["final"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(s["final"])
    page.locator("#comment").fill(comment)
    click_to_page(page, page.get_by_role("button", name=decision))
    expect_flash(page, "Your review is saved.")


def test_a_sponsor_offers_reviews_the_final_milestone_and_the_lead_delivers(page, sponsored):
    s = sponsored

    # 1. The sponsor's admin offers funding from the project's page.
    sign_in(page, s["admin"])
    visit(page, s["project"])
    click_to_page(page, sponsors_section(page).get_by_role("link", name="Offer sponsorship"))
    page.locator("#amount").fill("1500")
    page.locator("#currency").fill("EUR")
    click_to_page(page, page.get_by_role("button", name="Send the offer"))
    expect_flash(page, "The sponsorship is offered.")
    sign_out(page)

    # 2. The chapter lead confirms it; the sponsor is now shown on the project.
    sign_in(page, s["lead"])
    visit(page, s["project"])
    click_to_page(page, sponsors_section(page).get_by_role("button", name=f"Confirm the sponsorship by {s['org']}"))
    expect_flash(page, "The sponsorship is now confirmed.")
    expect(sponsors_section(page).get_by_role("link", name=s["org"], exact=True)).to_be_visible()
    sign_out(page)

    # 3. A team member submits the final milestone.
    sign_in(page, s["member"])
    submit_final(page, s, "The final report, with photographs.", "https://example.org/report")
    sign_out(page)

    # 4. The lead may not accept it: only a request for changes is offered, with the reason.
    sign_in(page, s["lead"])
    open_milestone(page, s["project"], s["final"])
    expect(page.get_by_text("its final milestone is accepted by a reviewer of a confirming sponsor")).to_be_visible()
    expect(page.get_by_role("button", name="Accept the milestone")).to_have_count(0)
    sign_out(page)

    # 5. The sponsor's reviewer hears of it, finds it on the dashboard and asks for changes.
    sign_in(page, s["reviewer"])
    visit(page, "/notifications")
    expect(page.get_by_role("link", name=re.compile(re.escape(f"waits for your review for {s['org']}")))) \
        .to_be_visible()
    visit(page, "/me")
    click_to_page(page, page.get_by_role("region", name="My sponsor organisations")
                  .get_by_role("link", name=f"Dashboard {s['org']}"))
    expect(page).to_have_url(re.compile(re.escape(s["dashboard"]) + "$"))
    expect(page.get_by_role("table").get_by_role("link", name=s["title"], exact=True)).to_be_visible()
    review_from_dashboard(page, s, "Request changes", "Please add the volunteers' hours.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("changes requested")
    sign_out(page)

    # 6. The team resubmits.
    sign_in(page, s["member"])
    open_milestone(page, s["project"], s["final"])
    expect(page.get_by_text("Please add the volunteers' hours.")).to_be_visible()
    submit_final(page, s, "Hours added.", "https://example.org/report-v2")
    sign_out(page)

    # 7. The reviewer accepts; the history names the sponsor.
    sign_in(page, s["reviewer"])
    review_from_dashboard(page, s, "Accept the milestone", "Thank you, this is exactly what we needed.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("accepted")
    expect(page.get_by_text(f"for {s['org']}").first).to_be_visible()
    visit(page, s["dashboard"])
    expect(page.get_by_text("No milestone is waiting for review.")).to_be_visible()
    sign_out(page)

    # 8. The lead delivers the project.
    sign_in(page, s["lead"])
    visit(page, s["project"])
    click_to_page(page, next_steps(page).get_by_role("button", name="Mark as delivered"))
    expect_flash(page, "The project is now delivered.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("delivered")
    sign_out(page)

    # 9. The sponsor reads the outcome report; the public organisation page shows the outcome.
    sign_in(page, s["admin"])
    visit(page, s["org_path"])
    click_to_page(page, page.get_by_role("link", name=f"Outcome report ({s['title']})"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Outcome report: {s['title']}")
    expect(page.get_by_role("cell", name="https://example.org/report-v2")).to_be_visible()
    sign_out(page)
    visit(page, s["org_path"])
    expect(page.get_by_text("Delivered on")).to_be_visible()


def test_sponsor_pages_in_french_with_a_logo(page, sponsored, live_server):
    """The organisation page, its dashboard, a report and the edit form, in French, with a logo shown."""
    from core import uploads
    from sponsors.models import SponsorOrganisation
    from tests.sponsors.test_reports_and_logos import png_bytes

    s = sponsored
    with live_server.app_context():
        org = db.session.scalar(select(SponsorOrganisation).where(SponsorOrganisation.name == s["org"]))
        org.logo_key = uploads.store(uploads.CheckedFile("logo.png", "png", png_bytes()))
        org.logo_type = "png"
        db.session.commit()
    sign_in(page, s["admin"])
    visit(page, "/")
    page.locator("#language-select").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    for path in [s["org_path"], s["dashboard"], f"{s['org_path']}/edit", "/me", s["project"]]:
        visit(page, path)
        assert page.locator("html").get_attribute("lang") == "fr"
    visit(page, s["org_path"])
    logo = page.get_by_role("img", name=s["org"])
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.naturalWidth") == 1  # the image was served and decoded
