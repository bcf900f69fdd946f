"""Accounts in a real browser, with axe-core on every page: a new member verifies their address from the
email before proposing a chapter, and someone who forgot their password resets it from the sign-in page."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible, click_to_page, visit
from tests.browser.test_journey import register, sign_in
from tests.browser.mailbox import link_in_mail
from tests.factories import make_user

pytestmark = pytest.mark.browser


def status(page, text: str):
    return page.get_by_role("status").filter(has_text=text)


def test_a_new_member_verifies_their_address_from_the_email_then_proposes(page, live_server):
    suffix = uuid.uuid4().hex[:8]
    handle = f"vera-{suffix}"
    address = f"{handle}@example.org"
    register(page, name=f"Vera Fied {suffix}", handle=handle)
    sign_in(page, address)
    banner = page.get_by_role("region", name="Email verification")
    expect(banner).to_contain_text(address)

    # Proposing waits for verification: the page says why and offers the link again.
    response = page.goto("/chapters/new")
    assert response.status == 403
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify your email address first")
    expect(banner).to_have_count(0)  # the page's own button, not the banner's twice
    click_to_page(page, page.get_by_role("button", name="Send the link again"))
    expect(status(page, f"We have sent a new link to {address}")).to_be_visible()

    # The link from the newest email, then the confirmation button.
    visit(page, link_in_mail(live_server, address, "/auth/verify/"))
    expect(page.get_by_text(f"Confirm that {address} is your address.")).to_be_visible()
    click_to_page(page, page.get_by_role("button", name="Confirm my email address"))
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(status(page, "your email address is verified")).to_be_visible()
    expect(page.get_by_role("region", name="Email verification")).to_have_count(0)
    visit(page, "/chapters/new")
    expect(page.get_by_role("button", name="Propose the chapter")).to_be_visible()

    # The account page shows the address as verified and what signing out everywhere does.
    visit(page, "/me/security")
    expect(page.get_by_text("verified", exact=True)).to_be_visible()
    click_to_page(page, page.get_by_role("button", name="Sign out everywhere"))
    expect(status(page, "You are signed out everywhere")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def test_a_forgotten_password_is_reset_from_the_sign_in_page(page, live_server):
    suffix = uuid.uuid4().hex[:8]
    address = f"rose-{suffix}@example.org"
    with live_server.app_context():
        make_user(f"rose-{suffix}", email=address, name=f"Rose Set {suffix}")
    visit(page, "/auth/login")
    click_to_page(page, page.get_by_role("link", name="Forgot your password?"))
    expect(page).to_have_url(re.compile(r"/auth/reset$"))
    page.locator("#email").fill(address)
    click_to_page(page, page.get_by_role("button", name="Send me a link"))
    expect(status(page, f"If an account uses {address}, we have sent it a link")).to_be_visible()

    link = link_in_mail(live_server, address, "/auth/reset/")
    visit(page, link)
    page.locator("#password").fill("too-short")
    page.locator("#confirm").fill("too-short")
    response = click_to_page(page, page.get_by_role("button", name="Save the new password"))
    assert response.status == 400
    expect(page.locator("#password-error")).to_be_visible()
    new = "a fresh spring passphrase"
    page.locator("#password").fill(new)
    page.locator("#confirm").fill(new)
    click_to_page(page, page.get_by_role("button", name="Save the new password"))
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(status(page, "Your password is changed")).to_be_visible()

    # The link worked once.
    response = page.goto(link)
    assert response.status == 400
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("This password link does not work")
    sign_in(page, address, new)
