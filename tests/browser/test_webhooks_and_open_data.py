"""The webhook pages (form with its errors, the secret shown once, the log) and the open-data page, checked with
axe-core in a real browser."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in
from tests.factories import make_chapter, make_project, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def open_data_folder(live_server, tmp_path):
    from flask import current_app

    with live_server.app_context():
        previous = current_app.config["OPEN_DATA_FOLDER"]
        current_app.config["OPEN_DATA_FOLDER"] = str(tmp_path / "open-data")  # never the repository's instance/
    yield tmp_path / "open-data"
    with live_server.app_context():
        current_app.config["OPEN_DATA_FOLDER"] = previous


def test_webhook_pages_and_open_data_page(page, live_server, open_data_folder):
    from opendata import exports

    suffix = uuid.uuid4().hex[:8]
    with live_server.app_context():
        partner = make_user(f"partner-{suffix}")
        make_project(make_chapter(make_user(f"lead-{suffix}"), name=f"Dock Makers {suffix}"), status="recruiting")
        exports.write_all()
        email = partner.email
    visit(page, "/open-data/")
    expect(page.get_by_role("link", name="projects.jsonl")).to_be_visible()

    sign_in(page, email)
    visit(page, "/me/webhooks")
    page.locator("#url").fill("http://127.0.0.1:9/hook")
    click_to_page(page, page.get_by_role("button", name="Add webhook"))  # no event chosen
    expect(page.locator("#events-error")).to_contain_text("Choose at least one event.")
    page.locator("#url").fill("not an address")
    page.get_by_label("A project opens recruiting").check()
    click_to_page(page, page.get_by_role("button", name="Add webhook"))
    expect(page.locator("#url-error")).to_contain_text("Enter a full web address")
    page.locator("#url").fill("http://127.0.0.1:9/hook")
    click_to_page(page, page.get_by_role("button", name="Add webhook"))
    expect(page.locator("#new-secret")).to_contain_text("whsec_")
    click_to_page(page, page.get_by_role("link", name="http://127.0.0.1:9/hook"))
    expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
