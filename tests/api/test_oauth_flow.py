"""OAuth 2.0 for partner platforms, end to end over real HTTP: Authlib's own client (OAuth2Session) against the
app served on 127.0.0.1, a member who signs in and answers the consent page, then the API called with the
token: PKCE, consent refused, refresh with rotation, revocation, scopes."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.integrations.requests_client import OAuthError
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from sqlalchemy import func, select

from api import oauth_services
from api.oauth_models import OAuthCode, OAuthToken
from core.audit import AuditEvent
from core.extensions import db
from projects.models import Application
from tests.factories import PASSWORD, make_admin, make_chapter, make_project, make_user
from tests.servers import LiveServer

REDIRECT_URI = "http://127.0.0.1:9/callback"  # never opened: the test reads the redirect's Location


@pytest.fixture
def live(app):
    app.config.update(API_RATE_LIMIT="100000 per minute")
    server = LiveServer(app)
    with server.app_context():
        admin, member = make_admin("admin"), make_user("ada")
        project = make_project(make_chapter(make_user("lead")), status="recruiting")
        confidential, secret = oauth_services.register_client(admin, "Freelance Hub", "https://hub.example",
                                                              [REDIRECT_URI], ["read", "apply"], confidential=True)
        public, _ = oauth_services.register_client(admin, "Pocket app", "https://pocket.example", [REDIRECT_URI],
                                                   ["read"], confidential=False)
        facts = {"member": member.email, "project": project.id, "client_id": confidential.client_id,
                 "secret": secret, "public_id": public.client_id, "confidential_pk": confidential.id}
    server.start()
    server.facts = facts
    yield server
    server.stop()


def signed_in_browser(live) -> requests.Session:
    """A member's browser: signed in through the real login form."""
    browser = requests.Session()
    page = browser.get(f"{live.url}/auth/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = browser.post(f"{live.url}/auth/login", data={"email": live.facts["member"], "password": PASSWORD,
                                                          "csrf_token": token}, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    return browser


def session_for(live, public: bool = False, scope: str = "read apply") -> OAuth2Session:
    if public:
        return OAuth2Session(live.facts["public_id"], redirect_uri=REDIRECT_URI, scope=scope,
                             code_challenge_method="S256", token_endpoint_auth_method="none")
    return OAuth2Session(live.facts["client_id"], live.facts["secret"], redirect_uri=REDIRECT_URI, scope=scope,
                         code_challenge_method="S256")


def consent(live, browser, url: str, decision: str = "allow") -> requests.Response:
    """Open the consent page at `url` and press Allow or Deny; the answer is the redirect to the partner."""
    page = browser.get(url, allow_redirects=False)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    action = re.search(r'<form method="post" action="([^"]+)" id="consent">', page.text).group(1).replace("&amp;", "&")
    return browser.post(live.url + action, data={"csrf_token": token, decision: "1"}, allow_redirects=False)


def authorize(live, oauth: OAuth2Session, verifier: str, browser=None) -> str:
    """Go through the consent page as the member; the callback URL the partner receives."""
    url, state = oauth.create_authorization_url(f"{live.url}/oauth/authorize", code_verifier=verifier)
    answer = consent(live, browser or signed_in_browser(live), url)
    assert answer.status_code == 302
    callback = answer.headers["Location"]
    assert callback.startswith(REDIRECT_URI + "?") and parse_qs(urlsplit(callback).query)["state"] == [state]
    return callback


def api(live, token: str, method: str = "GET", path: str = "/api/v1/me", **kwargs) -> requests.Response:
    return requests.request(method, f"{live.url}{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs)


def apply(live, token: str) -> requests.Response:
    return api(live, token, "POST", "/api/v1/me/applications",
               json={"project_id": live.facts["project"], "motivation": "I want to learn pricing by doing it."})


def test_the_whole_flow_code_with_pkce_then_the_api_then_refresh_then_revocation(live):
    verifier = generate_token(64)
    oauth = session_for(live)
    callback = authorize(live, oauth, verifier)
    token = oauth.fetch_token(f"{live.url}/oauth/token", authorization_response=callback, code_verifier=verifier)
    assert token["token_type"].lower() == "bearer" and token["scope"] == "read apply"
    assert token["access_token"].startswith("chpo_") and token["refresh_token"].startswith("chpr_")
    assert 0 < token["expires_in"] <= 3600

    me = api(live, token["access_token"])
    assert me.status_code == 200 and me.json()["handle"] == "ada"
    applied = apply(live, token["access_token"])
    assert applied.status_code == 201, applied.text
    with live.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 1
        stored = db.session.scalar(select(OAuthToken))
        assert token["access_token"] not in (stored.access_token_hash, stored.refresh_token_hash)  # hashes only

    # Refresh: a new pair; the old refresh token and the old access token no longer work.
    old = dict(token)
    new = oauth.refresh_token(f"{live.url}/oauth/token", refresh_token=old["refresh_token"])
    assert new["access_token"] != old["access_token"] and new["refresh_token"] != old["refresh_token"]
    assert api(live, new["access_token"]).status_code == 200
    assert api(live, old["access_token"]).status_code == 401
    replayed = requests.post(f"{live.url}/oauth/token", data={"grant_type": "refresh_token",
                                                              "refresh_token": old["refresh_token"]},
                             auth=(live.facts["client_id"], live.facts["secret"]))
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"

    # Revocation (RFC 7009) of the refresh token: the access token of that pair is refused by the API.
    revoked = oauth.revoke_token(f"{live.url}/oauth/revoke", new["refresh_token"], token_type_hint="refresh_token")
    assert revoked.status_code == 200
    refused = api(live, new["access_token"])
    assert refused.status_code == 401 and refused.headers["Content-Type"] == "application/problem+json"
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    with live.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.entity_type == "oauth_token", AuditEvent.action == "revoke")) == 1


def test_a_wrong_code_verifier_gets_invalid_grant_and_no_token(live):
    oauth = session_for(live)
    callback = authorize(live, oauth, generate_token(64))
    with pytest.raises(OAuthError) as refused:
        oauth.fetch_token(f"{live.url}/oauth/token", authorization_response=callback, code_verifier=generate_token(64))
    assert refused.value.error == "invalid_grant"
    with live.app_context():
        assert db.session.scalar(select(func.count()).select_from(OAuthToken)) == 0


def test_a_code_works_once(live):
    verifier, oauth = generate_token(64), session_for(live)
    callback = authorize(live, oauth, verifier)
    oauth.fetch_token(f"{live.url}/oauth/token", authorization_response=callback, code_verifier=verifier)
    with pytest.raises(OAuthError) as again:
        session_for(live).fetch_token(f"{live.url}/oauth/token", authorization_response=callback,
                                      code_verifier=verifier)
    assert again.value.error == "invalid_grant"


def test_a_public_client_exchanges_with_pkce_alone_and_gets_only_its_scope(live):
    verifier, oauth = generate_token(64), session_for(live, public=True, scope="read")
    callback = authorize(live, oauth, verifier)
    token = oauth.fetch_token(f"{live.url}/oauth/token", authorization_response=callback, code_verifier=verifier)
    assert api(live, token["access_token"]).status_code == 200
    missing = apply(live, token["access_token"])  # the token holds read only
    assert missing.status_code == 403 and missing.json()["detail"] == "This token lacks the apply scope."
    assert 'scope="apply"' in missing.headers["WWW-Authenticate"]
    with live.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_pkce_is_required_and_plain_is_refused(live):
    browser = signed_in_browser(live)
    base = (f"{live.url}/oauth/authorize?response_type=code&client_id={live.facts['client_id']}"
            f"&redirect_uri={REDIRECT_URI}&scope=read&state=s1")
    for extra in ("", "&code_challenge=" + "a" * 43 + "&code_challenge_method=plain", "&code_challenge=" + "a" * 43):
        answer = browser.get(base + extra, allow_redirects=False)
        assert answer.status_code == 302, extra
        query = parse_qs(urlsplit(answer.headers["Location"]).query)
        assert query["error"] == ["invalid_request"] and query["state"] == ["s1"]
    with live.app_context():
        assert db.session.scalar(select(func.count()).select_from(OAuthCode)) == 0


def test_consent_refused_sends_access_denied_and_issues_nothing(live):
    oauth = session_for(live)
    url, state = oauth.create_authorization_url(f"{live.url}/oauth/authorize", code_verifier=generate_token(64))
    answer = consent(live, signed_in_browser(live), url, decision="deny")
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert answer.headers["Location"].startswith(REDIRECT_URI)
    assert query["error"] == ["access_denied"] and query["state"] == [state] and "code" not in query
    with live.app_context():
        assert db.session.scalar(select(func.count()).select_from(OAuthCode)) == 0


def test_a_disabled_client_cannot_exchange_or_use_its_tokens(live):
    verifier, oauth = generate_token(64), session_for(live)
    token = oauth.fetch_token(f"{live.url}/oauth/token", authorization_response=authorize(live, oauth, verifier),
                              code_verifier=verifier)
    with live.app_context():
        from api.oauth_models import OAuthClient
        from accounts.models import User
        admin = db.session.scalar(select(User).where(User.handle == "admin"))
        oauth_services.disable_client(db.session.get(OAuthClient, live.facts["confidential_pk"]), admin)
    assert api(live, token["access_token"]).status_code == 401
    refresh = requests.post(f"{live.url}/oauth/token", data={"grant_type": "refresh_token",
                                                             "refresh_token": token["refresh_token"]},
                            auth=(live.facts["client_id"], live.facts["secret"]))
    assert refresh.status_code in (400, 401) and refresh.json()["error"] == "invalid_client"


def test_token_endpoint_errors_are_rfc_6749_json(live):
    cases = [({"grant_type": "password", "username": "a", "password": "b"}, "unsupported_grant_type"),
             ({"grant_type": "authorization_code", "code": "nope", "redirect_uri": REDIRECT_URI,
               "code_verifier": generate_token(64)}, "invalid_grant")]
    for data, error in cases:
        answer = requests.post(f"{live.url}/oauth/token", data=data, auth=(live.facts["client_id"], live.facts["secret"]))
        assert answer.status_code == 400 and answer.headers["Content-Type"].startswith("application/json")
        assert answer.json()["error"] == error
    wrong_secret = requests.post(f"{live.url}/oauth/token", data=cases[1][0], auth=(live.facts["client_id"], "x"))
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "invalid_client"
    get = requests.get(f"{live.url}/oauth/token")
    assert get.status_code == 405 and get.json()["error"] == "invalid_request"


def test_the_server_metadata_is_valid_rfc_8414(live):
    answer = requests.get(f"{live.url}/.well-known/oauth-authorization-server")
    assert answer.status_code == 200
    document = answer.json()
    AuthorizationServerMetadata(document).validate()
    assert document["issuer"] == live.url
    assert document["authorization_endpoint"] == f"{live.url}/oauth/authorize"
    assert document["token_endpoint"] == f"{live.url}/oauth/token"
    assert document["revocation_endpoint"] == f"{live.url}/oauth/revoke"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["scopes_supported"] == ["read", "apply", "manage"]
    assert set(document["grant_types_supported"]) == {"authorization_code", "refresh_token"}
    assert "none" in document["token_endpoint_auth_methods_supported"]
