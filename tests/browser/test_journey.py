"""The main journey through a real browser, with axe-core run on every page it lands on.

A visitor registers and proposes a chapter, an administrator approves it, another person
joins it and switches the site to French. Every account and chapter gets a unique suffix,
so the tests share the live server's database without depending on one another's order.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible, click_to_page, visit
from tests.browser.mailbox import link_in_mail
from tests.factories import PASSWORD, make_admin

pytestmark = pytest.mark.browser


def unique() -> str:
    return uuid.uuid4().hex[:8]


def register(page, *, name: str, handle: str, password: str = PASSWORD, confirm: str | None = None,
             city: str = "Lyon", country: str = "FR", skills: str = "bookkeeping, Python"):
    """Fill the registration form as a person would and send it; returns the answer's response."""
    visit(page, "/auth/register")
    page.locator("#name").fill(name)
    page.locator("#handle").fill(handle)
    page.locator("#email").fill(f"{handle}@example.org")
    page.locator("#password").fill(password)
    page.locator("#confirm").fill(password if confirm is None else confirm)
    page.locator("#city").fill(city)
    page.locator("#country").select_option(country)
    page.locator("#skills").fill(skills)
    return click_to_page(page, page.get_by_role("button", name="Create account"))


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    visit(page, "/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    click_to_page(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("status").filter(has_text="You are signed in.")).to_be_visible()


def verify_email(page, live_server, address: str) -> None:
    """Open the link of the welcome email and confirm the address (proposing and applying wait for it)."""
    visit(page, link_in_mail(live_server, address, "/auth/verify/"))
    click_to_page(page, page.get_by_role("button", name="Confirm my email address"))
    expect(page.get_by_role("status").filter(has_text="your email address is verified")).to_be_visible()
    expect(page.get_by_role("button", name="Send the link again")).to_have_count(0)


def open_menu(page) -> None:
    """Under 992 px the header's links and forms are in a folded menu (a <details>): open it if it is folded."""
    summary = page.get_by_role("banner").locator("details.site-menu > summary")
    if summary.is_visible() and summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()


def sign_out(page) -> None:
    open_menu(page)
    click_to_page(page, page.get_by_role("banner").get_by_role("button", name="Sign out"))
    expect(page.get_by_role("status").filter(has_text="You are signed out.")).to_be_visible()
    open_menu(page)
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def test_a_chapter_is_proposed_approved_joined_and_read_in_french(page, live_server):
    suffix = unique()
    founder, founder_handle = f"Ada Founder {suffix}", f"ada-{suffix}"
    chapter_name = f"Green Coders {suffix}"

    # 1. A visitor registers and lands on their dashboard.
    register(page, name=founder, handle=founder_handle)
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(page.get_by_role("status").filter(has_text=f"We have sent an email to {founder_handle}@example.org")
           ).to_be_visible()
    sign_in(page, f"{founder_handle}@example.org")
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {founder}")
    verify_email(page, live_server, f"{founder_handle}@example.org")

    # 2. They propose a chapter from the dashboard; it waits for approval.
    click_to_page(page, page.get_by_role("link", name="propose a new chapter"))
    expect(page).to_have_url(re.compile(r"/chapters/new$"))
    page.locator("#name").fill(chapter_name)
    page.locator("#city").fill("Lyon")
    page.locator("#country").select_option("FR")
    page.locator("#description").fill("Freelance developers in Lyon who build tools for local charities.")
    click_to_page(page, page.get_by_role("button", name="Propose the chapter"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(chapter_name)
    expect(page.get_by_text("waiting for approval").first).to_be_visible()
    chapter_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert re.fullmatch(r"/chapters/[\w-]+", chapter_path), chapter_path

    # 3. They sign out.
    sign_out(page)

    # 4. An administrator signs in and approves the chapter from /admin/.
    admin_handle = f"admin-{suffix}"
    with live_server.app_context():
        make_admin(admin_handle)
    sign_in(page, f"{admin_handle}@example.org")
    visit(page, "/admin/")
    click_to_page(page, page.get_by_role("button", name=f"Approve {chapter_name}"))
    expect(page).to_have_url(re.compile(re.escape(chapter_path) + "$"))
    expect(page.get_by_role("status").filter(has_text="The chapter is now active.")).to_be_visible()
    expect(page.get_by_text("waiting for approval")).to_have_count(0)
    visit(page, "/admin/")
    expect(page.get_by_role("button", name=f"Approve {chapter_name}")).to_have_count(0)
    sign_out(page)

    # 5. Another person registers, finds the chapter in the list and joins it.
    joiner, joiner_handle = f"Bea Joiner {suffix}", f"bea-{suffix}"
    register(page, name=joiner, handle=joiner_handle, city="Villeurbanne")
    sign_in(page, f"{joiner_handle}@example.org")
    expect(page).to_have_url(re.compile(r"/me$"))
    visit(page, "/chapters/")
    click_to_page(page, page.get_by_role("link", name=chapter_name, exact=True))
    expect(page).to_have_url(re.compile(re.escape(chapter_path) + "$"))
    click_to_page(page, page.get_by_role("button", name="Join this chapter"))
    expect(page.get_by_role("status").filter(has_text=f"Welcome to {chapter_name}!")).to_be_visible()
    members = page.get_by_role("region", name=re.compile(r"^Members"))
    expect(members.get_by_role("link", name=joiner, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Leave this chapter")).to_be_visible()

    # 6. They switch the site to French with the header's language switcher.
    page.locator("#language-select").select_option("fr")
    click_to_page(page, page.get_by_role("banner").get_by_role("button", name="Change language"))
    expect(page).to_have_url(re.compile(re.escape(chapter_path) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("banner").get_by_role("link", name="Chapitres", exact=True)).to_be_visible()


def test_a_form_error_is_shown_next_to_its_field_and_keeps_what_was_typed(page):
    suffix = unique()
    name = f"Short Password {suffix}"
    response = register(page, name=name, handle=f"short-{suffix}", password="too-short")

    assert response.status == 400
    expect(page).to_have_url(re.compile(r"/auth/register$"))
    expect(page.get_by_role("alert").filter(has_text="Please correct the fields marked below.")).to_be_visible()
    password = page.locator("#password")
    error = page.locator("#password-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("10")
    # Next to the field, in the same group as its label, and announced with it.
    expect(page.locator("#password ~ #password-error")).to_have_count(1)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile(re.escape(error.inner_text())))
    # What was typed is kept, except the passwords.
    expect(page.locator("#name")).to_have_value(name)
    expect(page.locator("#handle")).to_have_value(f"short-{suffix}")
    expect(page.locator("#country")).to_have_value("FR")
    expect(password).to_have_value("")
    # Only the password is in error.
    expect(page.locator("[aria-invalid=true]")).to_have_count(1)


def test_skip_to_content_is_the_first_tab_stop(page):
    visit(page, "/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_visible()
    assert_accessible(page)  # again, with the link shown on focus
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
