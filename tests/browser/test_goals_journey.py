"""Learning goals and attestations through a real browser, axe-core on every page: a new team member follows
/me's prompt and picks goals and a business role; the chapter's lead tries to deliver and is told who waits,
attests the goals on the attestations page, then delivers."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from learning import services
from projects.models import Milestone
from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, sign_out, unique
from tests.factories import make_chapter, make_project, make_user

pytestmark = pytest.mark.browser


def test_a_member_sets_goals_a_lead_attests_them_then_delivers(page, live_server):
    suffix = unique()
    with live_server.app_context():
        lead, member = make_user(f"lead-{suffix}"), make_user(f"ada-{suffix}", name=f"Ada {suffix}")
        chapter = make_chapter(lead, name=f"Goals chapter {suffix}")
        project = make_project(chapter, title=f"Clinic {suffix}", status="active", team=(member,),
                               competencies=("admin.budget", "sales.pitching", "delivery.time"))
        for milestone in db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)):
            milestone.status = "accepted"
        db.session.commit()
        services.add_role(project, lead, kind="budget_keeper", name=None, competencies=["admin.budget"])
        project_path, lead_email, member_email = f"/projects/{project.id}", lead.email, member.email

    sign_in(page, member_email)
    visit(page, "/me")
    prompt = page.get_by_role("region", name="Pick your learning goals")
    click_to_page(page, prompt.get_by_role("link", name=f"Pick your goals on “Clinic {suffix}”"))
    page.get_by_label("Budgets and cash flow").check()
    page.get_by_label("Pitching").check()
    page.get_by_label("Business role (optional)").select_option(label="Budget keeper")
    click_to_page(page, page.get_by_role("button", name="Save my goals"))
    expect(page.get_by_role("status").filter(has_text="Your learning goals are saved.")).to_be_visible()
    visit(page, f"{project_path}/goals")
    expect(page.get_by_text("Your business role: Budget keeper")).to_be_visible()
    sign_out(page)

    sign_in(page, lead_email)
    visit(page, project_path)
    click_to_page(page, page.get_by_role("button", name="Mark as delivered"))
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).filter(
        has_text=f"Waiting for an attestation of the learning goals of: Ada {suffix}.")).to_be_visible()
    click_to_page(page, page.get_by_role("link", name="Attest the learning goals"))
    forms = page.locator("form[action*='/attestations/']")
    expect(forms).to_have_count(2)
    first = forms.nth(0)
    first.get_by_label("Level").select_option("demonstrated")
    first.get_by_label("What you saw (one sentence)").fill("Kept the clinic's budget to the euro.")
    click_to_page(page, first.get_by_role("button", name="Record the attestation"))
    expect(page.get_by_role("status").filter(has_text="The attestation is recorded.")).to_be_visible()
    second = page.locator("form[action*='/attestations/']").nth(0)
    second.get_by_label("Level").select_option("practised")
    # An empty sentence is refused next to its field.
    response = click_to_page(page, second.get_by_role("button", name="Record the attestation"))
    assert response.status == 400
    expect(page.locator(".invalid-feedback").first).to_contain_text("Write one sentence on what you saw.")
    second = page.locator("form[action*='/attestations/']").nth(0)
    second.get_by_label("Level").select_option("practised")
    second.get_by_label("What you saw (one sentence)").fill("Pitched once, with help.")
    click_to_page(page, second.get_by_role("button", name="Record the attestation"))
    expect(page.get_by_text("Pitched once, with help.")).to_be_visible()
    visit(page, project_path)
    click_to_page(page, page.get_by_role("button", name="Mark as delivered"))
    expect(page.get_by_role("status").filter(has_text="delivered")).to_be_visible()
