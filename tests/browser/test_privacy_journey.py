"""Members' data rights in a real browser, with axe-core on every page: a member reads the privacy page,
takes their data as a zip, then deletes their account."""
from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import register, sign_in

pytestmark = pytest.mark.browser


def test_a_member_takes_their_data_then_deletes_their_account(page, live_server):
    suffix = uuid.uuid4().hex[:8]
    handle = f"dora-{suffix}"
    address = f"{handle}@example.org"
    register(page, name=f"Dora Data {suffix}", handle=handle)
    sign_in(page, address)

    visit(page, "/privacy")
    expect(page.get_by_role("heading", name="What we store, and why")).to_be_visible()
    click_to_page(page, page.get_by_role("main").get_by_role("link", name="Your data"))
    click_to_page(page, page.get_by_role("button", name="Prepare my export"))
    expect(page.get_by_role("status").filter(has_text="Your export is being prepared")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    assert "README.txt" in archive.namelist() and address in archive.read("account/profile.json").decode()

    click_to_page(page, page.get_by_role("main").get_by_role("link", name="Delete your account"))
    expect(page.get_by_role("heading", name="What stays, without your name")).to_be_visible()
    page.get_by_label("Your password").fill("correct horse battery")
    click_to_page(page, page.get_by_role("button", name="Delete my account"))  # not confirmed yet
    expect(page.get_by_text("Tick this box to confirm.")).to_be_visible()
    page.get_by_label("Your password").fill("correct horse battery")
    page.get_by_label("I understand that this cannot be undone").check()
    click_to_page(page, page.get_by_role("button", name="Delete my account"))
    expect(page.get_by_role("status").filter(has_text="Your account is deleted")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    assert page.goto(f"/u/{handle}").status == 404
