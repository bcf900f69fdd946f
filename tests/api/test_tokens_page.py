"""/me/tokens: a member creates a token (shown once, stored hashed) and revokes their own."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from api.models import AccessToken
from api.services import hash_secret
from core.audit import as_utc, utcnow
from core.extensions import db
from tests.api.helpers import call, token_for
from tests.factories import make_user


def created_secret(response) -> str:
    match = re.search(r'id="new-token">(chp_[^<]+)<', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1)


def test_a_visitor_is_asked_to_sign_in(client):
    response = client.get("/me/tokens")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post("/me/tokens", data={"name": "x", "scopes": ["read"], "days": "30"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0


def test_a_member_creates_a_token_shown_once_and_stored_hashed(client, auth):
    member = make_user()
    auth.login_as(member)
    assert client.get("/me/tokens").status_code == 200
    response = client.post("/me/tokens", data={"name": "Freelance Hub", "scopes": ["read", "apply"], "days": "30"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = created_secret(response)
    token = db.session.scalar(select(AccessToken))
    assert (token.name, token.scopes, token.user_id) == ("Freelance Hub", "read apply", member.id)
    assert token.token_hash == hash_secret(secret) and secret not in token.token_hash
    assert 29 <= (as_utc(token.expires_at) - utcnow()).days <= 30
    listing = client.get("/me/tokens").get_data(as_text=True)
    assert "Freelance Hub" in listing and secret not in listing and f"chp_{token.hint}" in listing
    assert call(client.application.test_client(), "GET", "/api/v1/me", secret).status_code == 200


def test_bad_input_is_shown_next_to_the_field(client, auth):
    auth.login_as(make_user())
    for data, message in [({"name": "", "scopes": ["read"], "days": "30"}, "name"),
                          ({"name": "x", "days": "30"}, "scopes"),
                          ({"name": "x", "scopes": ["root"], "days": "30"}, "scopes"),
                          ({"name": "x", "scopes": ["read"], "days": "3650"}, "days"),
                          ({"name": "x" * 81, "scopes": ["read"], "days": "30"}, "name")]:
        response = client.post("/me/tokens", data=data)
        assert response.status_code == 400, data
        assert f'id="{message}-error"' in response.get_data(as_text=True), data
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0


def test_the_form_needs_its_csrf_token(client, auth):
    auth.login_as(make_user())
    response = client.post("/me/tokens", data={"name": "x", "scopes": ["read"], "days": "30"}, csrf=False)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0


def test_a_member_revokes_their_token_and_not_anothers(client, auth):
    member, other = make_user(), make_user()
    secret = token_for(member)
    token_for(other)
    mine, theirs = db.session.scalars(select(AccessToken).order_by(AccessToken.id)).all()
    auth.login_as(member)
    assert client.post(f"/me/tokens/{theirs.id}/revoke").status_code == 404
    assert client.post(f"/me/tokens/{mine.id}/revoke").status_code == 302
    db.session.expire_all()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert call(client.application.test_client(), "GET", "/api/v1/me", secret).status_code == 401
    assert client.post(f"/me/tokens/{mine.id}/revoke").status_code == 403  # already revoked
    assert "revoked" in client.get("/me/tokens").get_data(as_text=True)
