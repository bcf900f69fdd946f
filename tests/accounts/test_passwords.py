"""Passwords: reset by email (no enumeration, one-hour single-use links bound to the password, rate limits,
every session ended) and change from /me/password (the current one asked, weak ones refused next to the field)."""
import re

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from accounts import tokens
from accounts.models import RememberToken
from core.extensions import db
from core.jobs import JobIntent
from tests.accounts.account_links import altered, link_in
from tests.conftest import fresh
from tests.factories import PASSWORD, make_user

NEW = "a brand new passphrase"
INVALID = "This password link does not work"


def answer(app, email: str) -> tuple:
    """What /auth/reset answers, as someone probing for accounts would compare it (a fresh client each time)."""
    client = app.test_client()
    response = client.post("/auth/reset", data={"email": email}, follow_redirects=True)
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", response.get_data(as_text=True))  # signed per second
    return (response.status_code, [r.headers.get("Location") for r in response.history],
            [r.status_code for r in response.history], body.replace(email, "EMAIL"),
            sorted(c.key for c in client._cookies.values()))


def jobs() -> int:
    return db.session.scalar(select(func.count()).select_from(JobIntent))


def test_a_known_and_an_unknown_address_get_the_same_answer_only_the_known_one_a_mail(app, mail_sink):
    make_user("zoe", email="zoe@example.org")
    known = answer(app, "zoe@example.org")
    assert jobs() == 1  # the same work for both: one job, which decides later whether to send
    unknown = answer(app, "nobody@example.org")
    assert jobs() == 2
    assert known == unknown
    assert known[0] == 200 and known[1] == ["/auth/login"]
    assert "If an account uses EMAIL, we have sent it a link" in known[3]
    assert len(mail_sink.messages) == 1
    [mail] = mail_sink.to("zoe@example.org")
    assert mail["Subject"] == "Choose a new Chapterhouse password"


def test_the_sign_in_page_links_to_the_reset(client):
    assert 'href="/auth/reset"' in client.get("/auth/login").get_data(as_text=True)


@pytest.fixture
def zoe(app):
    return make_user("zoe", email="zoe@example.org", name="Zoé Lambert")


def reset_link(client, mail_sink, email="zoe@example.org") -> str:
    client.post("/auth/reset", data={"email": email})
    return link_in(mail_sink.to(email)[-1], "/auth/reset/")


def test_the_link_sets_a_new_password_and_ends_every_session(app, client, auth, zoe, mail_sink):
    other_device = app.test_client()
    other_device.post("/auth/login", data={"email": zoe.email, "password": PASSWORD, "remember": "y"})
    assert other_device.get("/me").status_code == 200 and db.session.scalar(select(func.count(RememberToken.id))) == 1
    link = reset_link(client, mail_sink)
    form = client.get(link)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert check_password_hash(fresh(zoe).password_hash, NEW)
    other_device.delete_cookie("session")  # the remembered device is forgotten too
    assert other_device.get("/me").status_code == 302
    assert db.session.scalar(select(func.count(RememberToken.id))) == 0
    assert auth.login(zoe, PASSWORD).status_code == 400
    assert auth.login(zoe, NEW).status_code == 302


def test_the_link_works_once(client, zoe, mail_sink):
    link = reset_link(client, mail_sink)
    client.post(link, data={"password": NEW, "confirm": NEW})
    changed = fresh(zoe).password_hash
    again = client.post(link, data={"password": "another long passphrase", "confirm": "another long passphrase"})
    assert again.status_code == 400 and INVALID in again.get_data(as_text=True)
    assert fresh(zoe).password_hash == changed


def test_a_link_dies_when_the_password_changes_otherwise(client, zoe, mail_sink):
    link = reset_link(client, mail_sink)
    zoe.password_hash = "scrypt:changed"
    db.session.commit()
    assert client.get(link).status_code == 400


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_altered_link_is_refused_and_changes_nothing(client, zoe, mail_sink, method):
    link = reset_link(client, mail_sink)
    response = getattr(client, method)(altered(link), data={"password": NEW, "confirm": NEW})
    assert response.status_code == 400 and INVALID in response.get_data(as_text=True)
    assert fresh(zoe).password_hash != "" and not check_password_hash(fresh(zoe).password_hash, NEW)


def test_an_expired_link_is_refused(app, client, zoe, mail_sink):
    link = reset_link(client, mail_sink)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 400
    assert not check_password_hash(fresh(zoe).password_hash, NEW)


def test_a_link_for_another_account_or_purpose_is_refused(client, zoe):
    other = make_user("other")
    # Properly signed, but naming another account than the password it was bound to.
    foreign = tokens.make(tokens.RESET, u=other.id, h=tokens.password_fingerprint(zoe.password_hash))
    other.password_hash = "scrypt:other"
    db.session.commit()
    verify = tokens.verification_token(zoe)  # valid, for verification
    for token in (foreign, verify):
        response = client.post(f"/auth/reset/{token}", data={"password": NEW, "confirm": NEW})
        assert response.status_code == 400
    assert not check_password_hash(fresh(zoe).password_hash, NEW) and fresh(other).password_hash == "scrypt:other"


def test_a_weak_new_password_is_refused_next_to_the_field_and_the_link_still_works(client, zoe, mail_sink):
    link = reset_link(client, mail_sink)
    before = zoe.password_hash
    for weak, reason in (("short", "between 10 and 200 characters"),
                         ("zoe@example.org", "must not be your email"),
                         ("password123", "one of the most common")):
        response = client.post(link, data={"password": weak, "confirm": weak})
        body = response.get_data(as_text=True)
        assert response.status_code == 400 and 'id="password-error"' in body and reason in body
    assert fresh(zoe).password_hash == before
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302


def test_resetting_verifies_an_unverified_address(client, mail_sink):
    user = make_user("new", email_verified_at=None)
    link = reset_link(client, mail_sink, "new@example.org")
    client.post(link, data={"password": NEW, "confirm": NEW})
    assert fresh(user).email_verified_at is not None


def test_reset_requests_are_limited_per_address_whatever_the_client(app, zoe):
    for _ in range(3):
        assert app.test_client().post("/auth/reset", data={"email": "zoe@example.org"}).status_code == 302
    assert app.test_client().post("/auth/reset", data={"email": "ZOE@example.org "}).status_code == 429
    assert app.test_client().post("/auth/reset", data={"email": "other@example.org"}).status_code == 302
    assert jobs() == 4


def test_reset_requests_are_limited_per_client_whatever_the_address(app):
    app.config["RESET_RATE_LIMIT"] = "2 per hour"
    client = app.test_client()
    statuses = [client.post("/auth/reset", data={"email": f"n{i}@example.org"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429] and jobs() == 2


def test_the_reset_email_is_in_the_members_language(client, mail_sink):
    make_user("lea", locale="fr")
    client.post("/auth/reset", data={"email": "lea@example.org"})
    [mail] = mail_sink.to("lea@example.org")
    assert mail["Subject"] == "Choisissez un nouveau mot de passe Chapterhouse"
    assert "pendant une heure" in mail.get_body(("plain",)).get_content()


def test_an_invalid_address_is_refused_next_to_the_field(client):
    response = client.post("/auth/reset", data={"email": "not an address"})
    assert response.status_code == 400 and 'id="email-error"' in response.get_data(as_text=True)
    assert jobs() == 0


# --- change, signed in ------------------------------------------------------------------------------------


def change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post("/me/password", data={"current_password": current, "password": new,
                                             "confirm": new if confirm is None else confirm})


def test_changing_keeps_this_session_and_ends_the_others(app, client, auth, zoe):
    auth.login(zoe)
    other_device = app.test_client()
    type(auth)(other_device).login(zoe)
    response = change(client)
    assert response.status_code == 302 and response.headers["Location"] == "/me/security"
    assert check_password_hash(fresh(zoe).password_hash, NEW)
    assert client.get("/me").status_code == 200
    assert other_device.get("/me").status_code == 302


def test_a_wrong_current_password_is_refused_next_to_the_field(client, auth, zoe):
    auth.login_as(zoe)
    version = zoe.session_version
    response = change(client, current="not my password")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="current_password-error"' in body
    assert "This is not your current password." in body
    assert check_password_hash(fresh(zoe).password_hash, PASSWORD) and fresh(zoe).session_version == version


def test_a_weak_or_mistyped_new_password_is_refused_next_to_the_field(client, auth, zoe):
    auth.login_as(zoe)
    for new, confirm, reason in (("Zoé Lambert", None, "must not be your email, handle or name"),
                                 ("1234567890", None, "too easy to guess"),
                                 (NEW, "something else", "The passwords differ.")):
        response = change(client, new=new, confirm=confirm)
        body = response.get_data(as_text=True)
        assert response.status_code == 400 and reason in body
        assert 'id="password-error"' in body or 'id="confirm-error"' in body
    assert check_password_hash(fresh(zoe).password_hash, PASSWORD)


def test_visitors_are_sent_to_sign_in(client):
    for path in ("/me/password", "/me/email", "/me/security"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
