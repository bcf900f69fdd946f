"""Browser tests: a live Chapterhouse server and Debian's Chromium driven by Playwright.

Everything runs on this machine: the app on 127.0.0.1 (a free port, a fresh SQLite file),
Chromium from /usr/bin/chromium (never a downloaded browser) and axe-core from node_modules/.
Outside CI the folder is skipped when Chromium or axe-core is missing; under CI (CI set) the
tests run anyway and fail, so a missing install step cannot pass unnoticed.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app import create_app
from core.config import TEST_CONFIG
from core.extensions import db
from tests.browser.a11y import AXE_SCRIPT
from tests.servers import LiveServer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Playwright's own timeouts, shorter than its 30 s defaults: every page here is local.
TIMEOUT_MS = 10_000


def _missing() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install -y chromium)")
    if not AXE_SCRIPT.exists():
        missing.append(f"{AXE_SCRIPT.relative_to(ROOT)} (npm ci)")
    return missing


def _in_this_folder(item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config, items):
    mine = [item for item in items if _in_this_folder(item)]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    missing = _missing()
    if missing and not os.environ.get("CI"):
        skip = pytest.mark.skip(reason="browser tests need " + " and ".join(missing))
        for item in mine:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    app = create_app({
        **TEST_CONFIG,
        "WTF_CSRF_ENABLED": True,  # real tokens, as a person's browser sends them
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(folder / "browser.db"),
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
        "REGISTER_RATE_LIMIT": "1000 per minute",
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "EXPORT_FOLDER": str(folder / "exports"),
        "MAIL_FOLDER": str(folder / "mail"),  # the emails, as .eml files: journeys open the links they carry
    })
    with app.app_context():
        db.create_all()
        db.session.remove()
    server = LiveServer(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    missing = _missing()
    if missing:  # only reached under CI: outside it the tests were skipped
        pytest.fail("browser tests need " + " and ".join(missing), pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh context (no cookies), with the live server as base URL.

    CSP is bypassed so that axe-core can be injected; requests to any host but the live
    server are refused; and any 5xx answer fails the test at teardown.
    """
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    own_host = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def only_the_live_server(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == own_host:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_the_live_server)
    server_errors: list[str] = []
    context.on("response", lambda r: server_errors.append(f"{r.status} {r.request.method} {r.url}")
               if r.status >= 500 else None)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    assert not server_errors, "the server answered with an error: " + "; ".join(server_errors)
    assert not outside, "the page tried to reach other hosts: " + "; ".join(outside)
