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


# Sessions and "keep me signed in" ------------------------------------------------------------------------------

from accounts.models import RememberToken  # noqa: E402
from accounts.sessions import REMEMBER_COOKIE, end_all_sessions  # noqa: E402
from sqlalchemy import select  # noqa: E402


def test_signing_in_starts_a_new_session_with_a_new_csrf_token(_schema):
    """A CSRF token planted in a visitor's session (session fixation) is worthless once they sign in."""
    import re

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _schema, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        user = make_user("ada")
        client = app.test_client()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                          client.get("/auth/login").get_data(as_text=True)).group(1)
        before = client.get_cookie("session").value
        assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                                "csrf_token": token}).status_code == 302
        assert client.get_cookie("session").value != before
        # The old token is refused now: the session it belonged to is gone.
        refused = client.post("/chapters/new", data={"name": "X", "city": "Lyon", "country": "FR",
                                                     "description": "A description long enough.", "csrf_token": token})
        assert refused.status_code == 400
        db.session.remove()
        db.engine.dispose()


def test_a_csrf_token_expires(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 8 * 3600


def remembered(client, auth, user):
    """Sign in with "keep me signed in" ticked; returns the device's remember-me cookie."""
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    return client.get_cookie(REMEMBER_COOKIE).value


def device(app, raw: str):
    """A browser that holds only the remember-me cookie (its session cookie has expired)."""
    other = app.test_client()
    other.set_cookie(REMEMBER_COOKIE, raw)
    return other


def test_keep_me_signed_in_uses_a_random_token_stored_hashed(app, client, auth):
    user = make_user("ada")
    first = remembered(client, auth, user)
    auth.logout()
    second = remembered(app.test_client(), auth, user)
    assert first != second and len(first) >= 40
    hashes = db.session.scalars(select(RememberToken.token_hash)).all()
    assert first not in hashes and second not in hashes and len(hashes) == 1  # the first ended at sign-out
    assert device(app, second).get("/me").status_code == 200


def test_a_remember_cookie_stops_working_at_sign_out(app, client, auth):
    user = make_user("ada")
    captured = remembered(client, auth, user)
    assert device(app, captured).get("/me").status_code == 200
    auth.logout()
    assert device(app, captured).get("/me").status_code == 302
    assert db.session.scalar(select(RememberToken)) is None


def test_flask_logins_own_remember_cookie_is_never_honoured(app, client):
    """The old cookie (user id and an HMAC, the same at every sign-in) signs no one in."""
    from flask_login.utils import encode_cookie

    user = make_user("ada")
    with app.test_request_context():
        forged = encode_cookie(str(user.id))
    other = app.test_client()
    other.set_cookie("remember_token", forged)
    assert other.get("/me").status_code == 302


def test_sign_out_everywhere_ends_sessions_and_remembered_devices(app, client, auth):
    user = make_user("ada")
    captured = remembered(client, auth, user)
    laptop = app.test_client()
    laptop.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert laptop.get("/me").status_code == 200
    end_all_sessions(user)
    db.session.commit()
    assert laptop.get("/me").status_code == 302 and client.get("/me").status_code == 302
    assert device(app, captured).get("/me").status_code == 302


def test_an_expired_or_suspended_members_token_signs_no_one_in(app, client, auth):
    user = make_user("ada")
    captured = remembered(client, auth, user)
    token = db.session.scalar(select(RememberToken))
    token.expires_at = datetime(2000, 1, 1)
    db.session.commit()
    assert device(app, captured).get("/me").status_code == 302
    fresh_one = remembered(app.test_client(), auth, user)
    user.suspended_at = datetime.now(timezone.utc)
    db.session.commit()
    assert device(app, fresh_one).get("/me").status_code == 302


def test_suspending_a_member_ends_their_sessions(app, client, auth):
    from accounts.services import set_suspended
    from tests.factories import make_admin

    user = make_user("mal")
    captured = remembered(client, auth, user)
    set_suspended(user, make_admin("root"), True, "spam")
    user.suspended_at = None  # even if reinstated, the old sessions stay ended
    db.session.commit()
    assert client.get("/me").status_code == 302 and device(app, captured).get("/me").status_code == 302


def test_sign_in_is_also_limited_per_account_whatever_the_address(_schema):
    """With a proxy trusted, X-Forwarded-For picks the address; rotating it does not escape the account limit."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _schema, "PROXY_COUNT": 1,
                      "LOGIN_RATE_LIMIT": "100 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "3 per hour"})
    client = app.test_client()
    codes = [client.post("/auth/login", data={"email": "Victim@Example.org", "password": "nope"},
                         headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(5)]
    assert codes == [400, 400, 400, 429, 429]
    other = client.post("/auth/login", data={"email": "other@example.org", "password": "nope"},
                        headers={"X-Forwarded-For": "203.0.113.99"})
    assert other.status_code == 400  # another account is not locked
    with app.app_context():
        db.engine.dispose()
