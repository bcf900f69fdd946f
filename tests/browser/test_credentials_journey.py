"""Credentials through a real browser, with axe-core on every page: a visitor opens a credential
and the holder's portfolio, the chapter's lead first forgets the reason and then revokes it, and
the page and the portfolio show it as revoked. The project is delivered through the real lifecycle,
so the delivery job issues the credentials."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from credentials.models import Credential
from projects import services
from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, unique
from tests.factories import make_application, make_chapter, make_project, make_user

pytestmark = pytest.mark.browser


def deliver(project, lead) -> None:
    """Accept every milestone and deliver: the delivery job issues the team's credentials."""
    from projects import milestones
    from projects.models import Milestone

    for milestone in db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)):
        milestone.project = project
        milestones.submit_deliverable(milestone, project_member(project), note="Done.",
                                      link="https://example.org/deliverable", upload=None)
        milestones.review_milestone(milestone, lead, "accept", "Great work.")
    services.transition_project(project, lead, "deliver")


def project_member(project):
    from projects.models import TeamMember

    return db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id)).user


def test_a_credential_is_viewed_shared_and_revoked_by_the_chapter_lead(page, live_server):
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"clead-{suffix}", name=f"Cora Lead {suffix}")
        chapter = make_chapter(lead, name=f"Harbour Makers {suffix}")
        holder = make_user(f"holder-{suffix}", name=f"Hana Holder {suffix}")
        project = make_project(chapter, status="active", title=f"Seed library {suffix}", team=(holder,),
                               skills=("Cataloguing",))
        deliver(project, lead)
        credential_path = "/credentials/" + db.session.scalar(
            select(Credential.uuid).where(Credential.project_id == project.id))
        lead_email, holder_handle, holder_name = lead.email, holder.handle, holder.name
        title = project.title

    # 1. A visitor opens the credential page: who, what, the verification and the downloads.
    visit(page, credential_path)
    expect(page.get_by_role("link", name=re.compile(re.escape(holder_name)))).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    expect(page.get_by_text("This credential is authentic and valid.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Badge: " + re.escape(title)))).to_be_visible()
    assert page.evaluate("() => document.querySelector('img.credential-badge').naturalWidth") > 0
    expect(page.get_by_role("link", name="Add to LinkedIn profile")).to_have_attribute(
        "href", re.compile(r"^https://www\.linkedin\.com/profile/add\?startTask=CERTIFICATION_NAME&"))
    expect(page.get_by_role("button", name="Revoke the credential")).to_have_count(0)

    # 2. The holder's portfolio lists the credential and the skills learned.
    click_to_page(page, page.get_by_role("link", name=re.compile(re.escape(holder_name))))
    expect(page).to_have_url(re.compile(f"/u/{holder_handle}$"))
    portfolio = page.get_by_role("region", name="Learning credentials")
    expect(portfolio.get_by_role("link", name=title)).to_be_visible()
    expect(portfolio.get_by_text("Cataloguing")).to_be_visible()

    # 3. The chapter's lead signs in, forgets the reason: the error is next to the field.
    sign_in(page, lead_email)
    visit(page, credential_path)
    revoke = page.get_by_role("button", name="Revoke the credential")
    response = click_to_page(page, revoke)
    assert response.status == 400
    expect(page.locator("#reason-error")).to_have_text("Say why the credential is revoked.")
    expect(page.get_by_label("Reason for revoking")).to_have_attribute("aria-invalid", "true")

    # 4. With a reason, the credential is revoked; the page and the portfolio say so.
    page.get_by_label("Reason for revoking").fill("Issued to the wrong person.")
    click_to_page(page, page.get_by_role("button", name="Revoke the credential"))
    expect(page.get_by_role("status").filter(has_text="The credential is revoked.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Revoked on .*:"))).to_be_visible()
    expect(page.get_by_text("This credential does not pass verification.")).to_be_visible()
    visit(page, f"/u/{holder_handle}")
    expect(page.get_by_role("region", name="Learning credentials").get_by_text(re.compile("^Revoked on"))).to_be_visible()


def test_a_lead_sees_applicants_credentials_and_a_french_visitor_reads_the_credential(page, live_server):
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"alead-{suffix}", name=f"Alma Lead {suffix}")
        chapter = make_chapter(lead, name=f"Canal Coders {suffix}")
        holder = make_user(f"apply-{suffix}", name=f"Aya Applicant {suffix}", locale="fr")
        done = make_project(chapter, status="active", title=f"Repair café map {suffix}", team=(holder,))
        deliver(done, lead)
        recruiting = make_project(chapter, status="recruiting", title=f"Seed swap {suffix}")
        make_application(recruiting, holder)
        credential_path = "/credentials/" + db.session.scalar(
            select(Credential.uuid).where(Credential.project_id == done.id))
        lead_email, applications_path = lead.email, f"/projects/{recruiting.id}/applications"
        done_title = done.title

    # The lead reviews applications: the applicant's credential is listed, with a link to it.
    sign_in(page, lead_email)
    visit(page, applications_path)
    expect(page.get_by_text("1 learning credential:")).to_be_visible()
    click_to_page(page, page.get_by_role("link", name=done_title))
    expect(page).to_have_url(re.compile(re.escape(credential_path) + "$"))

    # A French-speaking visitor reads the page in French; the credential's own words are in French too.
    french = page.context.browser.new_context(base_url=live_server.url, bypass_csp=True, locale="fr-FR")
    french.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                 else route.abort())
    other = french.new_page()
    try:
        visit(other, credential_path)
        expect(other.locator("html")).to_have_attribute("lang", "fr")
        expect(other.get_by_text("Ce justificatif est authentique et valide.")).to_be_visible()
        expect(other.get_by_role("link", name="Ajouter à mon profil LinkedIn")).to_be_visible()
        expect(other.locator("h1")).to_have_attribute("lang", "fr")
    finally:
        french.close()
