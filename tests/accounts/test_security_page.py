"""/me/security: what the account's address and password look like, and "sign out everywhere"."""
from sqlalchemy import func, select

from accounts.models import RememberToken
from core.audit import AuditEvent
from core.extensions import db
from tests.conftest import fresh
from tests.factories import PASSWORD, make_user


def test_the_page_says_what_signing_out_everywhere_does(client, auth):
    auth.login_as(make_user("zoe", email_verified_at=None))
    body = client.get("/me/security").get_data(as_text=True)
    assert "zoe@example.org" in body and "not verified yet" in body
    assert "every session of your account ends, on every browser and device, this one included" in body
    assert "every device where you chose “Keep me signed in” is forgotten" in body
    assert 'action="/me/security/sign-out-everywhere"' in body
    assert 'href="/me/password"' in body and 'href="/me/email"' in body
    assert 'href="/me/security"' in client.get("/me").get_data(as_text=True)


def test_signing_out_everywhere_ends_every_session_and_remembered_device(app, client):
    user = make_user("zoe")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    laptop = app.test_client()
    laptop.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert db.session.scalar(select(func.count(RememberToken.id))) == 1
    version = user.session_version
    response = client.post("/me/security/sign-out-everywhere")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert fresh(user).session_version == version + 1
    assert db.session.scalar(select(func.count(RememberToken.id))) == 0
    assert client.get("/me").status_code == 302
    assert laptop.get("/me").status_code == 302
    laptop.delete_cookie("session")
    assert laptop.get("/me").status_code == 302  # the remember cookie no longer signs it in
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.entity_id == user.id)) == "sign_out_everywhere"


def test_signing_out_everywhere_needs_the_csrf_token(client, auth):
    user = make_user("zoe")
    auth.login_as(user)
    response = client.post("/me/security/sign-out-everywhere", csrf=False)
    assert response.status_code == 400 and fresh(user).session_version == 1


def test_account_pages_run_a_bounded_number_of_statements(app, client, auth, queries):
    """Each page reads the signed-in member (and the reset page its link's account): no query per anything."""
    from accounts import tokens

    user = make_user("zoe", email_verified_at=None)
    reset = f"/auth/reset/{tokens.reset_token(user)}"
    auth.login_as(user)
    for path, bound in (("/me/security", 2), ("/me/password", 2), ("/me/email", 2)):
        with queries() as statements:
            assert client.get(path).status_code == 200
        assert len(statements) <= bound, (path, statements)
    visitor = app.test_client()
    for path, bound in (("/auth/reset", 0), (reset, 1)):
        with queries() as statements:
            assert visitor.get(path).status_code == 200
        assert len(statements) <= bound, (path, statements)
