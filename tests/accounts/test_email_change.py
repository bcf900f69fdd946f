"""Changing the email address: a link to the new address (signed in to use it), a notice to the old one,
links that fail when expired, altered, reused or for another account, and the database's uniqueness."""
import pytest
from sqlalchemy import select

from accounts import account_services, tokens
from accounts.models import User
from core.extensions import db
from tests.accounts.account_links import altered, link_in
from tests.conftest import fresh
from tests.factories import PASSWORD, make_user

INVALID = "This address link does not work"


@pytest.fixture
def zoe(app):
    return make_user("zoe", email="zoe@example.org", name="Zoé Lambert", locale="en")


def ask(client, email="zoe.new@example.org", password=PASSWORD):
    return client.post("/me/email", data={"email": email, "current_password": password})


def confirmation_link(client, auth, zoe, mail_sink, email="zoe.new@example.org") -> str:
    auth.login_as(zoe)
    assert ask(client, email).status_code == 302
    return link_in(mail_sink.to(email)[-1], "/me/email/confirm/")


def test_the_new_address_confirms_and_the_old_one_is_told(client, auth, zoe, mail_sink):
    zoe.locale = "fr"
    db.session.commit()
    link = confirmation_link(client, auth, zoe, mail_sink)
    assert fresh(zoe).email == "zoe@example.org"  # nothing changes before the link is opened
    [confirm] = mail_sink.to("zoe.new@example.org")
    assert confirm["Subject"] == "Confirmez votre nouvelle adresse e-mail"  # in the member's language
    page = client.get(link)
    assert page.status_code == 200 and "zoe.new@example.org" in page.get_data(as_text=True)
    assert fresh(zoe).email == "zoe@example.org"
    response = client.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/me/security"
    assert fresh(zoe).email == "zoe.new@example.org" and zoe.email_verified_at is not None
    [notice] = mail_sink.to("zoe@example.org")
    assert notice["Subject"] == "L’adresse e-mail de votre compte Chapterhouse a changé"
    text = notice.get_body(("plain",)).get_content()
    assert "zoe.new@example.org" in text and "zoe@example.org" in text


def test_a_used_link_is_refused(client, auth, zoe, mail_sink):
    link = confirmation_link(client, auth, zoe, mail_sink)
    client.post(link)
    again = client.post(link)
    assert again.status_code == 400 and INVALID in again.get_data(as_text=True)
    assert fresh(zoe).email == "zoe.new@example.org" and len(mail_sink.to("zoe@example.org")) == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_altered_link_is_refused(client, auth, zoe, mail_sink, method):
    link = confirmation_link(client, auth, zoe, mail_sink)
    response = getattr(client, method)(altered(link))
    assert response.status_code == 400 and INVALID in response.get_data(as_text=True)
    assert fresh(zoe).email == "zoe@example.org"


def test_an_expired_link_is_refused(app, client, auth, zoe, mail_sink):
    link = confirmation_link(client, auth, zoe, mail_sink)
    app.config["EMAIL_CHANGE_MAX_AGE"] = -1
    assert client.post(link).status_code == 400 and fresh(zoe).email == "zoe@example.org"


def test_a_link_for_another_account_or_purpose_is_refused(client, auth, zoe, mail_sink):
    link = confirmation_link(client, auth, zoe, mail_sink)
    other = make_user("other")
    auth.login_as(other)
    assert client.post(link).status_code == 400
    assert fresh(other).email == "other@example.org" and fresh(zoe).email == "zoe@example.org"
    auth.login_as(zoe)
    assert client.post(f"/me/email/confirm/{tokens.verification_token(zoe)}").status_code == 400


def test_opening_the_link_signed_out_asks_to_sign_in_first(app, client, auth, zoe, mail_sink):
    link = confirmation_link(client, auth, zoe, mail_sink)
    response = app.test_client().get(link)
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_a_wrong_password_or_the_same_address_is_refused_next_to_the_field(client, auth, zoe, mail_sink):
    auth.login_as(zoe)
    wrong = ask(client, password="not my password")
    assert wrong.status_code == 400 and 'id="current_password-error"' in wrong.get_data(as_text=True)
    same = ask(client, email="ZOE@example.org")
    assert same.status_code == 400 and "This is already your email address." in same.get_data(as_text=True)
    invalid = ask(client, email="not an address")
    assert invalid.status_code == 400 and 'id="email-error"' in invalid.get_data(as_text=True)
    assert mail_sink.messages == []


def test_asking_for_a_taken_address_answers_as_for_a_free_one(client, auth, zoe, mail_sink):
    """The form does not tell who is registered; the link, if it ever arrives, fails with a message."""
    make_user("taken", email="taken@example.org")
    auth.login_as(zoe)
    taken, free = ask(client, "taken@example.org"), ask(client, "free@example.org")
    assert (taken.status_code, taken.headers["Location"]) == (free.status_code, free.headers["Location"])


def test_an_address_taken_before_confirmation_is_refused_with_a_message(client, auth, zoe, mail_sink):
    link = confirmation_link(client, auth, zoe, mail_sink)
    make_user("quick", email="zoe.new@example.org")
    response = client.post(link)
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and 'id="email-error"' in body and "Another account uses this address" in body
    assert fresh(zoe).email == "zoe@example.org" and mail_sink.to("zoe@example.org") == []


def test_the_database_has_the_last_word_in_a_race(client, auth, zoe, mail_sink, monkeypatch):
    """Another account takes the address between the check and the commit: the unique constraint refuses it."""
    link = confirmation_link(client, auth, zoe, mail_sink)
    make_user("racer", email="zoe.new@example.org")
    monkeypatch.setattr(account_services, "address_taken", lambda address: False)
    response = client.post(link)
    assert response.status_code == 409 and "Another account uses this address" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User.email).where(User.handle == "zoe")) == "zoe@example.org"
    assert mail_sink.to("zoe@example.org") == []
