from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from accounts.models import User
from core.extensions import db
from tests.factories import make_user

VALID = {"name": "Zoé Lambert", "handle": "zoe", "email": "Zoe@Example.org", "password": "a long password",
         "confirm": "a long password", "city": "Nantes", "country": "FR", "skills": "Python, bookkeeping, python"}


def users():
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_creates_the_account_and_signs_in(client):
    response = client.post("/auth/register", data=VALID)
    assert response.status_code == 302 and response.headers["Location"] == "/me"
    user = db.session.scalar(select(User))
    assert (user.email, user.handle, user.city, user.country) == ("zoe@example.org", "zoe", "Nantes", "FR")
    assert sorted(s.name for s in user.skills) == ["Python", "bookkeeping"]
    assert user.password_hash.startswith("scrypt:") and check_password_hash(user.password_hash, "a long password")
    assert client.get("/me").status_code == 200


def test_missing_fields_are_shown_next_to_the_field_and_typed_values_kept(client):
    response = client.post("/auth/register", data={**VALID, "email": "", "password": "short", "confirm": "short"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-error"' in body and 'aria-describedby="email-error"' in body
    assert 'id="password-error"' in body
    assert 'value="Zoé Lambert"' in body and 'value="Nantes"' in body
    assert users() == 0


def test_invalid_handle_email_and_country_are_refused(client):
    body = client.post("/auth/register", data={**VALID, "handle": "a b", "email": "nope", "country": "XX"}
                       ).get_data(as_text=True)
    for field in ("handle", "email", "country"):
        assert f'id="{field}-error"' in body
    assert users() == 0


def test_email_is_unique_whatever_its_case(client):
    make_user("first", email="zoe@example.org")
    response = client.post("/auth/register", data={**VALID, "email": "ZOE@EXAMPLE.ORG"})
    assert response.status_code == 400
    assert "An account with this email already exists" in response.get_data(as_text=True)
    assert users() == 1


def test_handle_is_unique(client):
    make_user("zoe")
    response = client.post("/auth/register", data={**VALID, "handle": "ZOE"})
    assert response.status_code == 400 and "This handle is taken" in response.get_data(as_text=True)
    assert users() == 1


def test_the_database_enforces_unique_lowercase_emails(app):
    import pytest
    from sqlalchemy.exc import IntegrityError

    make_user("one", email="same@example.org")
    with pytest.raises(IntegrityError):
        make_user("two", email="same@example.org")
    db.session.rollback()
    with pytest.raises(IntegrityError):
        make_user("three", email="Upper@Example.org")
    db.session.rollback()


def test_a_signed_in_member_is_sent_to_the_dashboard(client, auth):
    auth.login_as(make_user())
    assert client.get("/auth/register").headers["Location"] == "/me"
