"""Two-factor sign-in: a TOTP authenticator (RFC 6238) and ten single-use recovery codes.

Set-up: the secret waits in the session until the member proves their authenticator has it (a code), then it
is stored. Sign-in: after the password, the member is "half signed in" (the session holds who, for a few
minutes); a code, or a recovery code, finishes it. A code works once: the time step it was accepted for is
kept, and an older or equal step is refused.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app, session
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash

from accounts.models import RecoveryCode, User
from core.audit import record, utcnow
from core.errors import FieldError
from core.extensions import db

ISSUER = "Chapterhouse"
RECOVERY_CODES = 10
PENDING_SECRET = "two_factor_setup"
PENDING_SIGN_IN = "two_factor_sign_in"
SIGN_IN_WINDOW = 300  # seconds between the password and the code


def _hash(code: str) -> str:
    normalised = code.replace("-", "").replace(" ", "").lower()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), normalised.encode(), hashlib.sha256).hexdigest()


def pending_secret() -> str:
    """The secret being set up in this session (a new one the first time)."""
    if not session.get(PENDING_SECRET):
        session[PENDING_SECRET] = pyotp.random_base32()
    return session[PENDING_SECRET]


def qr_svg(user: User, secret: str) -> str:
    """The otpauth:// address of `secret` as an inline SVG QR code (drawn here: no outside service)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", title=_("QR code to scan"))


def _matching_step(secret: str, code: str) -> int | None:
    """The time step `code` is valid for: now, or one step either side for clock drift."""
    code = code.replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), int(time.time())
    for drift in (0, -1, 1):
        step = totp.timecode(now) + drift
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enable(user: User, code: str) -> list[str]:
    """Store the pending secret once `code` proves the authenticator has it; returns the recovery codes
    (shown once, stored hashed)."""
    secret = session.get(PENDING_SECRET)
    step = _matching_step(secret, code) if secret else None
    if step is None:
        raise FieldError.on("code", _("This code is not right. Check the time on your phone and try the new code."))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    record(user, "user", user.id, "two_factor_on")
    db.session.commit()
    session.pop(PENDING_SECRET, None)
    return codes


def disable(user: User, password: str) -> None:
    if not check_password_hash(user.password_hash, password):
        raise FieldError.on("password", _("This is not your current password."))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    record(user, "user", user.id, "two_factor_off")
    db.session.commit()


def start_sign_in(user: User, remember: bool, next_url: str) -> None:
    """The password was right: remember who is half signed in, for a few minutes."""
    session[PENDING_SIGN_IN] = {"user": user.id, "remember": bool(remember), "next": next_url,
                                "until": int(time.time()) + SIGN_IN_WINDOW}


def pending_sign_in() -> dict | None:
    pending = session.get(PENDING_SIGN_IN)
    if not pending or pending["until"] < time.time():
        session.pop(PENDING_SIGN_IN, None)
        return None
    return pending


def check_second_step(user: User, code: str) -> bool:
    """Whether `code` (from the authenticator, or an unused recovery code) finishes signing `user` in; a code
    is used up by succeeding."""
    step = _matching_step(user.totp_secret, code)
    if step is not None:  # taken in one conditional UPDATE: of two requests with the same code, one wins
        used = db.session.execute(update(User).where(User.id == user.id, (User.totp_last_step.is_(None))
                                                     | (User.totp_last_step < step))
                                  .values(totp_last_step=step)).rowcount
        db.session.commit()
        return bool(used)
    used = db.session.execute(update(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                         RecoveryCode.code_hash == _hash(code),
                                                         RecoveryCode.used_at.is_(None))
                              .values(used_at=utcnow())).rowcount
    if used:
        record(user, "user", user.id, "recovery_code_used")
    db.session.commit()
    return bool(used)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
