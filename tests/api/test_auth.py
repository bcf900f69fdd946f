"""Who may call: tokens in the Authorization header only, never the session cookie or the query string;
401 without a usable token, 403 without the scope, 429 past the allowance of a token."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.models import User
from api import services
from api.models import AccessToken
from core.audit import utcnow
from core.extensions import db
from projects.models import Application
from tests.api.helpers import call, token_for
from tests.conftest import fresh
from tests.factories import make_chapter, make_project, make_user


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = call(client, "GET", "/api/v1/me")
    problem_of(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer chp_unknown", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer ",
                                    "Bearer " + "x" * 500])
def test_a_malformed_or_unknown_token_is_401(client, header):
    problem_of(call(client, "GET", "/api/v1/projects", headers={"Authorization": header}), 401)


def test_an_expired_token_is_401(client):
    user = make_user()
    secret = token_for(user)
    db.session.scalar(select(AccessToken)).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    body = problem_of(call(client, "GET", "/api/v1/me", secret), 401)
    assert "expired" in body["detail"]


def test_a_revoked_token_is_401_and_so_is_a_suspended_members(client):
    user = make_user()
    secret = token_for(user)
    assert call(client, "GET", "/api/v1/me", secret).status_code == 200
    services.revoke_token(db.session.scalar(select(AccessToken)), user)
    problem_of(call(client, "GET", "/api/v1/me", secret), 401)
    other = make_user()
    other_secret = token_for(other)
    other.suspended_at = utcnow()
    db.session.commit()
    problem_of(call(client, "GET", "/api/v1/me", other_secret), 401)


def test_a_token_in_the_query_string_is_refused(client):
    secret = token_for(make_user())
    for name in ("access_token", "token", "api_key"):
        body = problem_of(call(client, "GET", f"/api/v1/me?{name}={secret}"), 400)
        assert "Authorization header" in body["detail"]


def test_the_session_cookie_is_never_read_and_no_cookie_is_set(client, auth):
    user = make_user()
    project = make_project(make_chapter(make_user()))
    auth.login_as(user)
    assert client.get("/me").status_code == 200  # signed in on the site
    problem_of(client.get("/api/v1/me"), 401)
    # A page of another site posting with the member's cookie (and even a CSRF token) applies to nothing.
    response = client.post("/api/v1/me/applications", json={"project_id": project.id, "motivation": "x" * 30})
    problem_of(response, 401)
    assert db.session.scalar(select(Application)) is None
    answered = call(client, "GET", "/api/v1/me", token_for(user))
    assert answered.status_code == 200 and "Set-Cookie" not in answered.headers


def test_a_token_call_needs_no_csrf_token(client):
    project = make_project(make_chapter(make_user()))
    response = call(client, "POST", "/api/v1/me/applications", token_for(make_user(), ["apply"]),
                    json={"project_id": project.id, "motivation": "I would like to learn how to price work."})
    assert response.status_code == 201


@pytest.mark.parametrize("method,url,scope,body", [
    ("GET", "/api/v1/me", "read", None),
    ("PATCH", "/api/v1/me", "manage", {"city": "Paris"}),
    ("GET", "/api/v1/me/applications", "read", None),
    ("POST", "/api/v1/me/applications", "apply", {"project_id": 1, "motivation": "x" * 30}),
    ("POST", "/api/v1/me/applications/1/withdraw", "apply", None),
    ("GET", "/api/v1/me/notifications", "read", None),
    ("POST", "/api/v1/me/notifications/read", "manage", {}),
    ("GET", "/api/v1/projects/1/applications", "read", None),
    ("POST", "/api/v1/projects/1/applications/1/decision", "manage", {"decision": "accept"}),
])
def test_each_operation_needs_its_scope(client, method, url, scope, body):
    user = make_user()
    others = [s for s in ("read", "apply", "manage") if s != scope]
    refused = call(client, method, url, token_for(user, others), json=body)
    detail = problem_of(refused, 403)["detail"]
    assert scope in detail
    assert f'scope="{scope}"' in refused.headers["WWW-Authenticate"]
    problem_of(call(client, method, url, json=body), 401)
    allowed = call(client, method, url, token_for(user, [scope]), json=body)
    assert allowed.status_code not in (401, 403) or "scope" not in (allowed.get_json() or {}).get("detail", "")


def test_the_last_use_is_recorded(client):
    user = make_user()
    secret = token_for(user)
    token = db.session.scalar(select(AccessToken))
    assert token.last_used_at is None
    call(client, "GET", "/api/v1/projects", secret)
    assert fresh(token).last_used_at is not None
    assert token.token_hash != secret and secret not in str(db.session.execute(select(AccessToken.__table__)).all())


def test_each_token_has_its_own_rate_limit(client, app):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    first, second = token_for(make_user()), token_for(make_user())
    for _ in range(3):
        assert call(client, "GET", "/api/v1/projects", first).status_code == 200
    body = problem_of(call(client, "GET", "/api/v1/projects", first), 429)
    assert body["title"]
    assert call(client, "GET", "/api/v1/projects", second).status_code == 200
