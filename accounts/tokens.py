"""Signed links sent by email: verify an address, reset a password, confirm a new address.

Each purpose has its own salt, so a link made for one never opens another. Each is bound to the state it
changes, so it works once and dies when that state moves on:
- verification: the user id and the address it was sent to (an address changed since, or already verified,
  kills it);
- reset: the user id and a fingerprint of the current password hash (any new password kills it);
- email change: the user id, the current address and the new one (once changed, the current address differs).
The fingerprint is a SHA-256 of the hash, never the hash itself: a token's payload is signed, not encrypted.
"""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

VERIFY, RESET, EMAIL_CHANGE = "verify-email", "reset-password", "change-email"
MAX_AGE = {VERIFY: "VERIFY_EMAIL_MAX_AGE", RESET: "PASSWORD_RESET_MAX_AGE", EMAIL_CHANGE: "EMAIL_CHANGE_MAX_AGE"}


class InvalidToken(Exception):
    """The link was altered, has expired, was made for something else, or was already used."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"account-{purpose}")


def password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def make(purpose: str, **payload) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str) -> dict:
    """The payload of a valid, unexpired token for `purpose`; InvalidToken otherwise."""
    try:
        data = _serializer(purpose).loads(token, max_age=current_app.config[MAX_AGE[purpose]])
    except BadSignature:  # SignatureExpired is a BadSignature
        raise InvalidToken() from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise InvalidToken()
    return data


def verification_token(user) -> str:
    return make(VERIFY, u=user.id, e=user.email)


def reset_token(user) -> str:
    return make(RESET, u=user.id, h=password_fingerprint(user.password_hash))


def email_change_token(user, new_email: str) -> str:
    return make(EMAIL_CHANGE, u=user.id, old=user.email, new=new_email)
