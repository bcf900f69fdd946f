"""The OAuth pages: the admin's client registry (every role, bad input), the consent page (sign-in first, bad
requests, CSRF, French), and the member's authorized apps with their revocation."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import func, select

from api import oauth_services
from api.models import hash_secret
from api.oauth_models import OAuthClient, OAuthCode, OAuthToken
from core.audit import AuditEvent, utcnow
from core.extensions import db
from tests.api.helpers import call
from tests.conftest import count_queries
from tests.factories import PASSWORD, make_admin, make_chapter, make_user

REDIRECT = "https://hub.example/callback"
VERIFIER = "v" * 50


def counts():
    db.session.expire_all()
    return {kind.__tablename__: db.session.scalar(select(func.count()).select_from(kind))
            for kind in (OAuthClient, OAuthCode, OAuthToken, AuditEvent)}


def client_form(**changes):
    return {"name": "Freelance Hub", "homepage": "https://hub.example", "redirect_uris": REDIRECT,
            "scopes": ["read", "apply"], "kind": "confidential", **changes}


@pytest.fixture
def partner(app):
    admin = make_admin("admin")
    client, secret = oauth_services.register_client(admin, "Freelance Hub", "https://hub.example",
                                                    [REDIRECT, "http://127.0.0.1:8765/cb"], ["read", "apply"], True)
    return client


def authorize_url(known_client_id: str, **changes) -> str:
    params = {"response_type": "code", "client_id": known_client_id, "redirect_uri": REDIRECT, "scope": "read apply",
              "state": "xyz", "code_challenge": create_s256_code_challenge(VERIFIER),
              "code_challenge_method": "S256", **changes}
    return "/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


# ---- Admin: the client registry ----

@pytest.mark.parametrize("role", ["visitor", "member", "lead", "admin"])
def test_only_admins_open_and_register_clients(role, client, auth):
    users = {"member": make_user("member"), "admin": make_admin("admin")}
    lead = make_user("lead")
    make_chapter(lead)
    users["lead"] = lead
    if role != "visitor":
        auth.login_as(users[role])
    before = counts()
    page = client.get("/admin/oauth-clients")
    posted = client.post("/admin/oauth-clients", data=client_form())
    if role == "admin":
        assert page.status_code == 200 and posted.status_code == 200
        assert counts()[OAuthClient.__tablename__] == 1
        return
    expected = 302 if role == "visitor" else 403
    assert page.status_code == expected and posted.status_code == expected
    if role == "visitor":
        assert page.headers["Location"].startswith("/auth/login")
    assert counts() == before


def test_a_confidential_client_secret_is_shown_once_and_stored_hashed(client, auth):
    auth.login_as(make_admin("admin"))
    response = client.post("/admin/oauth-clients", data=client_form(redirect_uris=f"{REDIRECT}\r\n"
                                                                                  "http://localhost:3000/cb\r\n"))
    html = response.get_data(as_text=True)
    secret = re.search(r'id="new-client-secret">([^<]+)<', html).group(1)
    created = db.session.scalar(select(OAuthClient))
    assert response.headers["Cache-Control"] == "no-store"
    assert created.secret_hash == hash_secret(secret) and created.client_id in html
    assert created.redirect_uri_list == [REDIRECT, "http://localhost:3000/cb"] and created.scopes == "read apply"
    assert secret not in client.get("/admin/oauth-clients").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "oauth_client"))
    assert (event.action, event.to_state) == ("register", "active")


def test_a_public_client_has_no_secret(client, auth):
    auth.login_as(make_admin("admin"))
    html = client.post("/admin/oauth-clients", data=client_form(kind="public")).get_data(as_text=True)
    assert 'id="new-client-secret"' not in html
    assert db.session.scalar(select(OAuthClient)).is_public


@pytest.mark.parametrize("changes,field,message", [
    ({"redirect_uris": "http://hub.example/cb"}, "redirect_uris", "must use https"),
    ({"redirect_uris": "https://hub.example/cb#top"}, "redirect_uris", "without #fragment"),
    ({"redirect_uris": "javascript:alert(1)"}, "redirect_uris", "must be a full address"),
    ({"redirect_uris": "http://127.0.0.1.evil.example/cb"}, "redirect_uris", "must use https"),
    ({"redirect_uris": "https://a:b@hub.example/cb"}, "redirect_uris", "without #fragment or user name"),
    ({"redirect_uris": "\n".join(f"https://hub.example/{n}" for n in range(11))}, "redirect_uris", "at most 10"),
    ({"redirect_uris": ""}, "redirect_uris", "This field is required"),
    ({"homepage": "ftp://hub.example"}, "homepage", "starting with https://"),
    ({"scopes": ["read", "root"]}, "scopes", "not a valid choice"),
    ({"scopes": []}, "scopes", "Choose at least one scope"),
    ({"name": ""}, "name", "This field is required"),
])
def test_bad_client_input_is_refused_next_to_its_field(changes, field, message, client, auth):
    auth.login_as(make_admin("admin"))
    before = counts()
    response = client.post("/admin/oauth-clients", data=client_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(rf'id="{field}-error"[^>]*>([^<]+)<', html)
    assert error and message in error.group(1), html[-3000:]
    assert counts() == before


def test_register_client_refuses_an_unknown_scope_itself(app):
    """The service checks scopes too (the form is one door among others)."""
    from core.errors import FieldError
    with pytest.raises(FieldError) as refused:
        oauth_services.register_client(make_admin(), "X", "https://x.example", [REDIRECT], ["read", "root"], True)
    assert "scopes" in refused.value.errors


def test_an_admin_disables_a_client_and_its_tokens_stop(partner, client, auth, app):
    token = OAuthToken(client_id=partner.id, user_id=make_user("ada").id, scopes="read",
                       access_token_hash=hash_secret("chpo_live"), refresh_token_hash=hash_secret("chpr_live"),
                       expires_at=utcnow() + timedelta(hours=1), refresh_expires_at=utcnow() + timedelta(days=30))
    db.session.add(token)
    db.session.commit()
    api = app.test_client()
    assert call(api, "GET", "/api/v1/me", "chpo_live").status_code == 200
    auth.login_as(make_admin("boss"))
    response = client.post(f"/admin/oauth-clients/{partner.id}/disable")
    assert response.status_code == 302
    db.session.expire_all()
    assert partner.disabled_at is not None and token.revoked_at is not None
    assert call(api, "GET", "/api/v1/me", "chpo_live").status_code == 401
    assert client.post(f"/admin/oauth-clients/{partner.id}/disable").status_code == 403  # already disabled
    assert client.post("/admin/oauth-clients/999999/disable").status_code == 404


# ---- The consent page ----

def test_a_visitor_signs_in_first_and_comes_back_to_the_consent_page(partner, client):
    url = authorize_url(partner.client_id)
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/auth/login"
    back = parse_qs(location.query)["next"][0]
    assert urlsplit(back).path == "/oauth/authorize" and parse_qs(urlsplit(back).query)["client_id"] == [
        partner.client_id]
    member = make_user("ada")
    signed_in = client.post(f"/auth/login?next={quote(back)}", data={"email": member.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == back
    assert client.get(back).status_code == 200  # the consent page, now signed in


def test_the_sign_in_never_sends_to_another_site(partner, client):
    member = make_user("ada")
    signed_in = client.post("/auth/login?next=https://evil.example/oauth/authorize",
                            data={"email": member.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and "evil.example" not in signed_in.headers["Location"]


def test_the_consent_page_names_the_app_and_each_scope_and_allows_its_redirect(partner, client, auth):
    auth.login_as(make_user("ada"))
    response = client.get(authorize_url(partner.client_id))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Allow Freelance Hub to use your account?" in html
    assert "apply: apply to projects and withdraw your applications" in html
    assert "manage:" not in html  # not asked for
    assert 'name="csrf_token"' in html and 'name="allow"' in html and 'name="deny"' in html
    assert "form-action 'self' https://hub.example;" in response.headers["Content-Security-Policy"] + ";"
    other = client.get("/me/tokens").headers["Content-Security-Policy"]
    assert "hub.example" not in other


def test_the_consent_page_is_in_french_for_a_french_member(partner, client, auth):
    auth.login_as(make_user("ada", locale="fr"))
    html = client.get(authorize_url(partner.client_id)).get_data(as_text=True)
    assert "Autoriser Freelance Hub à utiliser votre compte ?" in html
    assert "Refuser" in html and "Autoriser" in html


def test_allowing_needs_the_csrf_token(partner, client, auth):
    auth.login_as(make_user("ada"))
    before = counts()
    response = client.post(authorize_url(partner.client_id), data={"allow": "1"}, csrf=False)
    assert response.status_code == 400
    assert counts() == before


def test_allowing_issues_a_code_bound_to_the_client_and_audits_it(partner, client, auth):
    member = make_user("ada")
    auth.login_as(member)
    response = client.post(authorize_url(partner.client_id), data={"allow": "1"})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    code = db.session.scalar(select(OAuthCode))
    assert code.code_hash == hash_secret(query["code"][0]) and query["state"] == ["xyz"]
    assert (code.user_id, code.client_id, code.scope, code.code_challenge_method) == (member.id, partner.id,
                                                                                       "read apply", "S256")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "authorize"))
    assert (event.actor_id, event.entity_id, event.reason) == (member.id, partner.id, "read apply")


@pytest.mark.parametrize("changes,message", [
    ({"client_id": "unknown"}, "not registered on Chapterhouse"),
    ({"client_id": None}, "not registered on Chapterhouse"),
    ({"redirect_uri": "https://evil.example/callback"}, "did not register"),
    ({"redirect_uri": REDIRECT + "/"}, "did not register"),  # exact match only
])
def test_an_untrusted_request_gets_a_page_not_a_redirect(changes, message, partner, client, auth):
    auth.login_as(make_user("ada"))
    before = counts()
    for method in ("get", "post"):
        response = getattr(client, method)(authorize_url(partner.client_id, **changes), data={"allow": "1"})
        assert response.status_code == 400, method
        assert message in response.get_data(as_text=True) and "Location" not in response.headers
    assert counts() == before


@pytest.mark.parametrize("changes,error", [
    ({"scope": "read root"}, "invalid_scope"),
    ({"scope": "read manage"}, "invalid_scope"),  # not allowed for this client
    ({"scope": None}, "invalid_scope"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
])
def test_a_bad_request_from_a_known_client_goes_back_to_it_with_the_error(changes, error, partner, client, auth):
    auth.login_as(make_user("ada"))
    before = counts()
    response = client.get(authorize_url(partner.client_id, **changes))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    assert parse_qs(urlsplit(location).query)["error"] == [error]
    assert counts() == before


def test_a_disabled_client_cannot_ask_for_consent(partner, client, auth):
    partner.disabled_at = utcnow()
    db.session.commit()
    auth.login_as(make_user("ada"))
    response = client.get(authorize_url(partner.client_id))
    assert response.status_code == 400 and "not registered" in response.get_data(as_text=True)


# ---- The member's authorized apps ----

def grant(client_, user, **fields) -> OAuthToken:
    token = OAuthToken(client_id=client_.id, user_id=user.id, scopes=fields.pop("scopes", "read"),
                       access_token_hash=hash_secret(f"chpo_{user.handle}_{client_.id}_{fields.get('n', 0)}"),
                       expires_at=utcnow() + timedelta(hours=1),
                       refresh_expires_at=fields.pop("refresh_expires_at", utcnow() + timedelta(days=30)),
                       revoked_at=fields.pop("revoked_at", None))
    db.session.add(token)
    db.session.commit()
    return token


def test_a_member_sees_and_revokes_the_apps_they_authorized(partner, client, auth, app):
    member, other = make_user("ada"), make_user("bob")
    mine = grant(partner, member, scopes="read apply")
    theirs = grant(partner, other)
    auth.login_as(member)
    html = client.get("/me/apps").get_data(as_text=True)
    assert "Freelance Hub" in html and "read apply" in html
    assert "/me/apps" in client.get("/me/tokens").get_data(as_text=True)
    response = client.post(f"/me/apps/{partner.id}/revoke")
    assert response.status_code == 302
    db.session.expire_all()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert "No app has access to your account." in client.get("/me/apps").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "revoke_access"))
    assert (event.actor_id, event.entity_id) == (member.id, partner.id)
    assert client.post(f"/me/apps/{partner.id}/revoke").status_code == 404  # nothing left to revoke


def test_expired_and_revoked_grants_are_not_listed(partner, client, auth):
    member = make_user("ada")
    grant(partner, member, revoked_at=utcnow())
    grant(partner, member, n=1, refresh_expires_at=utcnow() - timedelta(days=1))
    auth.login_as(member)
    assert "Freelance Hub" not in client.get("/me/apps").get_data(as_text=True)
    assert client.post(f"/me/apps/{partner.id}/revoke").status_code == 404


def test_the_apps_page_reads_a_fixed_number_of_queries(partner, client, auth):
    member = make_user("ada")
    auth.login_as(member)

    def measured() -> int:
        with count_queries() as queries:
            assert client.get("/me/apps").status_code == 200
        return len(queries)

    grant(partner, member)
    few = measured()
    for n in range(5):
        other, _ = oauth_services.register_client(make_admin(), f"App {n}", "https://x.example", [REDIRECT],
                                                  ["read"], True)
        grant(other, member, n=n + 1)
    assert measured() == few


def test_the_registry_reads_a_fixed_number_of_queries(partner, client, auth):
    auth.login_as(make_admin("boss"))

    def measured() -> int:
        with count_queries() as queries:
            assert client.get("/admin/oauth-clients").status_code == 200
        return len(queries)

    few = measured()
    for n in range(5):
        oauth_services.register_client(make_admin(), f"App {n}", "https://x.example", [REDIRECT], ["read"], True)
    assert measured() == few


def test_a_suspended_members_oauth_token_is_refused_by_the_api(partner, app):
    member = make_user("ada")
    grant(partner, member)
    api = app.test_client()
    secret = f"chpo_{member.handle}_{partner.id}_0"
    assert call(api, "GET", "/api/v1/me", secret).status_code == 200
    member.suspended_at = utcnow()
    db.session.commit()
    refused = call(api, "GET", "/api/v1/me", secret)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert call(api, "GET", f"/api/v1/me?access_token={secret}").status_code == 400  # never from the address


def test_a_token_of_a_disabled_client_is_refused_even_if_not_revoked(partner, app):
    """The client's state is checked on every call, not only through the revocation disabling writes."""
    member = make_user("ada")
    grant(partner, member)
    api = app.test_client()
    secret = f"chpo_{member.handle}_{partner.id}_0"
    partner.disabled_at = utcnow()
    db.session.commit()
    assert call(api, "GET", "/api/v1/me", secret).status_code == 401


def test_the_audit_log_names_the_partner_app(partner, client, auth):
    auth.login_as(make_admin("boss"))
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Freelance Hub" in html and "/admin/oauth-clients" in html
