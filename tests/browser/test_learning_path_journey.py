"""The business-skills learning path end to end, through a real browser with axe-core on every page: a lead picks
the project's competencies, a member sets a goal, logs hours, submits and reflects (in public), the sponsor's
reviewer accepts the final milestone and endorses the work, the lead attests the goal and delivers, and a
visitor reads the member's competency profile and credential in French."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from credentials.models import Credential
from projects.models import Milestone
from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, sign_out, unique
from tests.factories import make_chapter, make_organisation, make_project, make_sponsorship, make_user

pytestmark = pytest.mark.browser


def flash(page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_from_competencies_to_an_endorsed_credential_read_in_french(page, live_server):
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"plead-{suffix}", name=f"Lina Lead {suffix}")
        member = make_user(f"pada-{suffix}", name=f"Ada Learner {suffix}")
        chapter = make_chapter(lead, name=f"Path chapter {suffix}")
        project = make_project(chapter, status="active", title=f"Pricing clinic {suffix}", team=(member,),
                               milestones=1)
        final = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
        reviewer = make_user(f"prui-{suffix}", name=f"Rui Reviewer {suffix}")
        org = make_organisation(make_user(f"padmin-{suffix}"), reviewers=(reviewer,), name=f"Harbour Fund {suffix}")
        make_sponsorship(project, org, status="confirmed")
        path, milestone_path = f"/projects/{project.id}", f"/projects/{project.id}/milestones/{final.id}"
        emails = {"lead": lead.email, "member": member.email, "reviewer": reviewer.email}
        handle, project_id = member.handle, project.id

    # 1. The lead chooses the business competencies the project practises.
    sign_in(page, emails["lead"])
    visit(page, f"{path}/edit")
    page.get_by_label("Pricing").check()
    page.get_by_label("Progress reporting").check()
    click_to_page(page, page.get_by_role("button", name="Save the project"))
    expect(page.get_by_role("region", name="Business skills practised").get_by_role("link", name="Pricing")) \
        .to_be_visible()
    sign_out(page)

    # 2. The member sets a goal, logs hours, submits the deliverable and makes their reflection public.
    sign_in(page, emails["member"])
    visit(page, "/me")
    prompt = page.get_by_role("region", name="Pick your learning goals")
    click_to_page(page, prompt.get_by_role("link", name=f"Pick your goals on “Pricing clinic {suffix}”"))
    page.get_by_label("Pricing").check()
    click_to_page(page, page.get_by_role("button", name="Save my goals"))
    flash(page, "Your learning goals are saved.")
    visit(page, milestone_path)
    time = page.get_by_role("region", name="Time spent")
    time.get_by_label("Hours").fill("6.5")
    time.get_by_label("What you worked on").fill("Priced the clinic's three packages")
    click_to_page(page, time.get_by_role("button", name="Log time"))
    flash(page, "Your time is logged.")
    page.get_by_label("Note").fill("The price list and how we got there.")
    page.get_by_label("Link (optional)").fill("https://example.org/prices")
    click_to_page(page, page.get_by_role("button", name="Submit for review"))
    click_to_page(page, page.get_by_role("link", name="Write your reflection"))
    page.get_by_label("What I did").fill("I priced the three packages with the association's treasurer.")
    page.get_by_label("What I learned").fill("A price is easier to defend when the client sees the hours behind it.")
    page.get_by_label("What I would do differently").fill("I would ask for the budget before drafting the packages.")
    click_to_page(page, page.get_by_role("button", name="Save the reflection"))
    click_to_page(page, page.get_by_role("region", name="Reflections").get_by_role(
        "link", name=f"Reflection by Ada Learner {suffix}"))
    click_to_page(page, page.get_by_role("button", name="Make it public"))
    sign_out(page)

    # 3. The sponsor's reviewer accepts the final milestone, then endorses the team's work from its page.
    sign_in(page, emails["reviewer"])
    visit(page, milestone_path)
    page.locator("#comment").fill("Clear prices, well explained.")
    click_to_page(page, page.get_by_role("button", name="Accept the milestone"))
    flash(page, "Your review is saved.")
    endorse = page.get_by_role("region", name="Endorse the team’s work")
    click_to_page(page, endorse.get_by_role("link", name="Write an endorsement"))
    page.get_by_label("Your endorsement").fill("")
    assert click_to_page(page, page.get_by_role("button", name="Record the endorsement")).status == 400
    page.get_by_label("Your endorsement").fill("The clinic's prices finally make sense to our members.")
    click_to_page(page, page.get_by_role("button", name="Record the endorsement"))
    flash(page, "Your endorsement is recorded.")
    sign_out(page)

    # 4. The lead attests the goal and delivers: the delivery job issues the credential.
    sign_in(page, emails["lead"])
    visit(page, f"{path}/attestations")
    form = page.locator("form[action*='/attestations/']").first
    form.get_by_label("Level").select_option("demonstrated")
    form.get_by_label("What you saw (one sentence)").fill("Defended the prices in front of the board.")
    click_to_page(page, form.get_by_role("button", name="Record the attestation"))
    flash(page, "The attestation is recorded.")
    visit(page, path)
    click_to_page(page, page.get_by_role("button", name="Mark as delivered"))
    flash(page, "delivered")
    sign_out(page)

    with live_server.app_context():
        credential = db.session.scalar(select(Credential).where(Credential.project_id == project_id))
        document = json.loads(credential.document)
    subject = document["credentialSubject"]
    assert subject["creditsEarned"] == 6.5 and subject["result"][0]["achievedLevel"].endswith("pricing-demonstrated")
    endorsement = subject["achievement"]["endorsement"][0]
    assert endorsement["credentialSubject"]["endorsementComment"] == \
        "The clinic's prices finally make sense to our members."

    # 5. A visitor reads the portfolio's competency profile and the credential, in French.
    visit(page, f"/u/{handle}")
    page.locator("#language-select").select_option("fr")
    click_to_page(page, page.get_by_role("button", name="Change language"))
    profile = page.get_by_role("region", name="Compétences entrepreneuriales")
    expect(profile.get_by_role("img")).to_be_visible()  # the chart, named for screen readers
    expect(profile.get_by_role("table")).to_contain_text("Fixer ses prix")
    expect(profile.get_by_role("table")).to_contain_text("Démontrée")
    click_to_page(page, page.get_by_role("link", name=f"Pricing clinic {suffix}").first)
    visit(page, f"/credentials/{credential.uuid}")
    expect(page.get_by_text("The clinic's prices finally make sense to our members.")).to_be_visible()
    expect(page.get_by_text(f"Recommandation de Harbour Fund {suffix}, sponsor du projet.")).to_be_visible()
