"""A partner app asks a member for access: the member signs in, reads the consent page (English and French,
checked with axe), presses Allow and the browser is sent to the partner with a code; the admin's registry and
the member's authorized apps are accessible too."""
from __future__ import annotations

import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from playwright.sync_api import expect

from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import sign_in
from tests.factories import make_admin, make_user

pytestmark = pytest.mark.browser



class Partner(BaseHTTPRequestHandler):
    """The partner platform's callback page, on 127.0.0.1: it answers every request with a small page."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>Hub</title>")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def callback():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/callback"
    server.shutdown()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_member_allows_a_partner_app_then_sees_it_among_their_apps(page, live_server, language, callback):
    from api import oauth_services

    suffix = uuid.uuid4().hex[:8]
    with live_server.app_context():
        admin, member = make_admin(f"oadmin-{suffix}"), make_user(f"omember-{suffix}")
        client, secret = oauth_services.register_client(admin, f"Hub {suffix}", "https://hub.example", [callback],
                                                   ["read", "apply"], confidential=True)
        client_id, email, admin_email = client.client_id, member.email, admin.email
    sign_in(page, email)
    if language == "fr":
        page.locator("#language-select").select_option("fr")
        page.get_by_role("button", name="Change language").click()
        page.wait_for_load_state()
    url = "/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": callback, "scope": "read apply",
        "state": "st", "code_challenge": create_s256_code_challenge("v" * 50), "code_challenge_method": "S256"})
    visit(page, url)
    heading = {"en": f"Allow Hub {suffix} to use your account?",
               "fr": f"Autoriser Hub {suffix} à utiliser votre compte ?"}[language]
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    allow = {"en": "Allow", "fr": "Autoriser"}[language]
    # The partner's callback page answers on 127.0.0.1 and has loaded before the next visit (an unanswered one
    # ended on an error page that interrupted it).
    with page.expect_request(lambda request: request.url.startswith(callback)) as sent:
        page.get_by_role("button", name=allow, exact=True).click(no_wait_after=True)
    page.wait_for_url(f"{callback}**")
    query = parse_qs(urlsplit(sent.value.url).query)
    assert query["state"] == ["st"] and query["code"]
    # The partner's server exchanges the code: only then does the member hold a grant to see and revoke.
    exchanged = requests.post(f"{live_server.url}/oauth/token", auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": callback,
        "code_verifier": "v" * 50})
    assert exchanged.status_code == 200, exchanged.text

    visit(page, "/me/apps")
    expect(page.get_by_role("cell", name=f"Hub {suffix}", exact=True)).to_be_visible()
    revoke = {"en": f"Revoke the access of Hub {suffix}", "fr": f"Révoquer l’accès de Hub {suffix}"}[language]
    click_to_page(page, page.get_by_role("button", name=revoke))
    expect(page.get_by_role("cell", name=f"Hub {suffix}", exact=True)).to_have_count(0)
    page.context.clear_cookies()  # signed out: the admin signs in next
    sign_in(page, admin_email)
    visit(page, "/admin/oauth-clients")
