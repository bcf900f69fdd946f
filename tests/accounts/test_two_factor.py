"""Two-factor sign-in: set up with a code, then the password alone no longer signs in; codes work once,
recovery codes once each; wrong codes are refused next to the field and limited; admins need it in production."""
import re
import time

import pyotp
import pytest
from sqlalchemy import select

from accounts import two_factor
from accounts.models import RecoveryCode
from core.extensions import db
from tests.conftest import fresh
from tests.factories import PASSWORD, make_admin, make_user


def secret_on_page(body: str) -> str:
    return re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', body).group(1)


def set_up(client, auth, user) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on through the pages; returns the secret and the recovery codes shown."""
    auth.login_as(user)
    page = client.get("/me/two-factor").get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn on the server
    secret = secret_on_page(page)
    response = client.post("/me/two-factor", data={"code": pyotp.TOTP(secret).at(time.time())})
    assert response.status_code == 200
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(client, user, remember=False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    return client.post("/auth/login?next=/chapters/", data=data)


def test_setting_up_needs_a_right_code_then_stores_the_secret_and_hashed_recovery_codes(client, auth, app):
    user = make_user("tfa")
    auth.login_as(user)
    client.get("/me/two-factor")
    wrong = client.post("/me/two-factor", data={"code": "000000"})
    assert wrong.status_code == 400 and 'id="code-error"' in wrong.get_data(as_text=True)
    assert fresh(user).totp_secret is None
    auth.logout()
    secret, codes = set_up(client, auth, user)
    assert fresh(user).totp_secret == secret and fresh(user).has_two_factor
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept


def test_the_password_alone_no_longer_signs_in(client, auth, app):
    user = make_user("tfa")
    secret, _ = set_up(client, auth, user)
    auth.logout()
    response = password_step(client, user)
    assert response.headers["Location"] == "/auth/two-factor"
    assert client.get("/me").status_code == 302  # half signed in is not signed in
    wrong = client.post("/auth/two-factor", data={"code": "123456"})
    assert wrong.status_code == 400 and 'id="code-error"' in wrong.get_data(as_text=True)
    # The set-up used this 30-second step's code: the next step's is accepted (one step of clock drift).
    right = client.post("/auth/two-factor", data={"code": pyotp.TOTP(secret).at(int(time.time()) + 30)})
    assert right.status_code == 302 and right.headers["Location"] == "/chapters/"
    assert client.get("/me").status_code == 200


def test_a_code_works_once(client, auth, app, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)  # one 30-second step, however slow the run
    user = make_user("tfa")
    secret, _ = set_up(client, auth, user)  # the set-up used the current code already
    auth.logout()
    password_step(client, user)
    assert client.post("/auth/two-factor", data={"code": pyotp.TOTP(secret).at(now)}).status_code == 400


def test_each_recovery_code_signs_in_once(client, auth, app):
    user = make_user("tfa")
    _, codes = set_up(client, auth, user)
    for attempt in ("first", "second"):
        auth.logout()
        password_step(client, user)
        response = client.post("/auth/two-factor", data={"code": codes[0].upper()})
        assert response.status_code == (302 if attempt == "first" else 400), attempt
    assert two_factor.recovery_codes_left(user) == 9


def test_the_second_step_needs_the_first_and_is_rate_limited(client, auth, app):
    assert client.get("/auth/two-factor").headers["Location"] == "/auth/login"
    user = make_user("tfa")
    set_up(client, auth, user)
    auth.logout()
    password_step(client, user)
    app.config["TWO_FACTOR_RATE_LIMIT"] = "3 per minute"
    answers = [client.post("/auth/two-factor", data={"code": "111111"}).status_code for _ in range(4)]
    assert answers == [400, 400, 400, 429]


def test_turning_it_off_needs_the_password(client, auth, app):
    user = make_user("tfa")
    set_up(client, auth, user)
    client.get("/auth/two-factor")
    wrong = client.post("/me/two-factor/disable", data={"password": "not my password"})
    assert wrong.status_code == 400 and fresh(user).has_two_factor
    assert client.post("/me/two-factor/disable", data={"password": PASSWORD}).status_code == 302
    assert not fresh(user).has_two_factor and two_factor.recovery_codes_left(user) == 0


@pytest.mark.parametrize("production", [False, True])
def test_in_production_an_admin_must_set_it_up_first(client, auth, app, production):
    app.config["PRODUCTION"] = production
    auth.login_as(make_admin("boss"))
    response = client.get("/admin/")
    if production:
        assert response.status_code == 302 and response.headers["Location"] == "/me/two-factor"
        assert client.get("/me/two-factor").status_code == 200
    else:
        assert response.status_code == 200
