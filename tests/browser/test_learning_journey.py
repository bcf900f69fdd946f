"""Business skills through a real browser, axe-core on every page: a chapter lead chooses the competencies a
project practises and names a business role; a visitor reads the project page, the framework and a
competency page, in English and in French."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in, sign_out, unique
from tests.factories import make_chapter, make_project, make_user

pytestmark = pytest.mark.browser


def test_a_lead_picks_competencies_and_names_a_role_that_visitors_read(page, live_server):
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"lead-{suffix}")
        chapter = make_chapter(lead, name=f"Learning chapter {suffix}")
        project = make_project(chapter, title=f"Budget clinic {suffix}")
        project_path, email = f"/projects/{project.id}", lead.email

    sign_in(page, email)
    visit(page, f"{project_path}/edit")
    page.get_by_label("Budgets and cash flow").check()
    page.get_by_label("Quotes, invoices and payment").check()
    page.get_by_label("Pitching").check()
    click_to_page(page, page.get_by_role("button", name="Save the project"))
    section = page.get_by_role("region", name="Business skills practised")
    expect(section.get_by_role("link", name="Budgets and cash flow")).to_be_visible()

    click_to_page(page, section.get_by_role("link", name="Manage business roles"))
    page.get_by_label("Kind of role").select_option("budget_keeper")
    page.get_by_label("Budgets and cash flow").check()
    page.get_by_label("Quotes, invoices and payment").check()
    click_to_page(page, page.get_by_role("button", name="Save the role"))
    expect(page.get_by_role("status").filter(has_text="The business role is added.")).to_be_visible()
    # A role for a competency the project does not practise cannot even be offered; one without any is refused.
    page.get_by_label("Kind of role").select_option("other")
    page.get_by_label("Name (optional)").fill("Pitch coach")
    response = click_to_page(page, page.get_by_role("button", name="Save the role"))
    assert response.status == 400
    expect(page.locator("#competencies-error")).to_contain_text(
        "Choose at least one competency that the role practises.")
    sign_out(page)

    visit(page, project_path)
    section = page.get_by_role("region", name="Business skills practised")
    expect(section).to_contain_text("Budget keeper")
    click_to_page(page, section.get_by_role("link", name="Pitching"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pitching")
    expect(page.get_by_role("region", name="Recruiting projects that practise it")).to_contain_text(
        f"Budget clinic {suffix}")
    click_to_page(page, page.get_by_role("banner").get_by_role("link", name="Business skills"))

    page.locator("#language-select").select_option("fr")
    click_to_page(page, page.get_by_role("button", name="Change language"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Compétences entrepreneuriales")
    click_to_page(page, page.get_by_role("link", name="Fixer ses prix"))
    expect(page.get_by_text("À quoi ressemble la maîtrise")).to_be_visible()
    visit(page, project_path)
    expect(page.get_by_role("region", name="Compétences entrepreneuriales pratiquées")).to_contain_text(
        "Responsable du budget")
    visit(page, "/projects/?competency=admin.budget")
    expect(page.get_by_role("link", name=f"Budget clinic {suffix}")).to_be_visible()
