from datetime import datetime, timezone

import pytest

from app import create_app
from core.config import TEST_CONFIG
from core.extensions import db
from tests.factories import PASSWORD, make_user


def test_sign_in_and_out(client, auth):
    user = make_user("ada")
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/me"
    assert "@ada" in client.get("/me").get_data(as_text=True)
    assert auth.logout().status_code == 302
    assert client.get("/me").headers["Location"].startswith("/auth/login")


def test_sign_out_needs_a_post(client, auth):
    auth.login(make_user())
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/me").status_code == 200


def test_email_is_case_insensitive(client, auth):
    make_user("ada", email="ada@example.org")
    assert auth.login("  ADA@Example.ORG ").headers["Location"] == "/me"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, auth):
    make_user("ada")
    wrong = auth.login("ada@example.org", "wrong password")
    unknown = auth.login("nobody@example.org", "wrong password")
    assert wrong.status_code == unknown.status_code == 400
    message = "Email or password is incorrect."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_a_suspended_member_cannot_sign_in(client, auth):
    make_user("mal", suspended_at=datetime.now(timezone.utc))
    response = auth.login("mal@example.org")
    assert response.status_code == 400 and "suspended" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_suspension_ends_an_open_session(client, auth):
    user = make_user("mal")
    auth.login(user)
    user.suspended_at = datetime.now(timezone.utc)
    db.session.commit()
    assert client.get("/me").headers["Location"].startswith("/auth/login")


def test_next_is_followed_when_it_stays_on_this_site(client, auth):
    user = make_user()
    response = client.post("/auth/login?next=/chapters/%3Fq%3Dlyon", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/chapters/?q=lyon"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_next_never_leaves_the_site(client, target):
    user = make_user()
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/me"


def test_a_protected_page_sends_visitors_to_sign_in_and_back(client):
    response = client.get("/chapters/new")
    assert response.headers["Location"] == "/auth/login?next=%2Fchapters%2Fnew"


def test_sign_in_is_rate_limited(_schema):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _schema, "LOGIN_RATE_LIMIT": "3 per minute"})
    client = app.test_client()
    codes = [client.post("/auth/login", data={"email": "x@example.org", "password": "nope"}).status_code
             for _ in range(5)]
    assert codes == [400, 400, 400, 429, 429]
    assert "Too many requests" in client.post("/auth/login", data={}).get_data(as_text=True)
    assert client.get("/auth/login").status_code == 200  # only attempts are limited
    with app.app_context():
        db.engine.dispose()
