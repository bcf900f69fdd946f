"""An account's whole life in a real browser, with axe-core on every page: a member registers, verifies their
address, sets up two-factor sign-in, signs out and back in with a code, reads the privacy page, takes their
data as a zip, then deletes their account."""
from __future__ import annotations

import io
import time
import uuid
import zipfile

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import register, sign_in, verify_email

pytestmark = pytest.mark.browser


def test_register_verify_two_factor_sign_in_export_and_delete(page, live_server):
    suffix = uuid.uuid4().hex[:8]
    handle = f"dora-{suffix}"
    address = f"{handle}@example.org"
    register(page, name=f"Dora Data {suffix}", handle=handle)
    sign_in(page, address)
    verify_email(page, live_server, address)

    # Two-factor sign-in: scan (here: read) the key, prove it with a code, keep the recovery codes.
    visit(page, "/me/security")
    click_to_page(page, page.get_by_role("link", name="Set up two-factor sign-in"))
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    totp = pyotp.TOTP(page.locator("code.user-select-all").inner_text())
    page.get_by_label("Code").fill(totp.now())
    click_to_page(page, page.get_by_role("button", name="Turn on two-factor sign-in"))
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    click_to_page(page, page.get_by_role("link", name="I have kept them"))
    click_to_page(page, page.get_by_role("button", name="Sign out", exact=True))

    # The password alone is not enough: the code from the app finishes signing in.
    visit(page, "/auth/login")
    page.locator("#email").fill(address)
    page.locator("#password").fill("correct horse battery")
    click_to_page(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_label("Code").fill(totp.at(int(time.time()) + 30))  # this step's code was used at set-up
    click_to_page(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("status").filter(has_text="You are signed in.")).to_be_visible()

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
