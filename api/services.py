"""Personal access tokens: create (the secret is shown once), revoke, and note their use."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from api.models import PREFIX, SCOPES, AccessToken, hash_secret
from api.oauth_models import ACCESS_PREFIX, OAuthToken
from core import audit
from core.audit import utcnow
from core.authz import require
from core.errors import FieldError
from core.extensions import db

EXPIRY_CHOICES = (7, 30, 90, 365)  # days
MAX_LIVE_TOKENS = 20
USE_NOTED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token


def create_token(actor, name: str, scopes: list[str], days: int) -> tuple[AccessToken, str]:
    """A new token for `actor`; returns it with its secret, which is never stored and never shown again."""
    require(actor, "api.create_token")
    wanted = [scope for scope in SCOPES if scope in set(scopes)]
    if not wanted or len(wanted) != len(set(scopes)):
        raise FieldError.on("scopes", _("Choose at least one scope from the list."))
    if days not in EXPIRY_CHOICES:
        raise FieldError.on("days", _("Choose an expiry from the list."))
    live = db.session.scalars(select(AccessToken.id).where(
        AccessToken.user_id == actor.id, AccessToken.revoked_at.is_(None), AccessToken.expires_at > utcnow())).all()
    if len(live) >= MAX_LIVE_TOKENS:
        raise FieldError.on("name", _("You have %(count)d active tokens: revoke one first.", count=len(live)))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user_id=actor.id, name=name.strip(), token_hash=hash_secret(secret),
                        hint=secret[len(PREFIX):len(PREFIX) + 6], scopes=" ".join(wanted),
                        expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "access_token", token.id, "create", None, "active")
    db.session.commit()
    return token, secret


def revoke_token(token: AccessToken, actor) -> None:
    """The member revokes one of their tokens: it stops working at once."""
    require(actor, "api.revoke_token", token)
    token.revoked_at = utcnow()
    audit.record(actor, "access_token", token.id, "revoke", "active", "revoked")
    db.session.commit()


def token_for_secret(secret: str) -> AccessToken | OAuthToken | None:
    """The credential (with its user) whose secret this is, usable or not; None for an unknown secret.
    A personal access token (chp_…) or an access token a partner app got by OAuth (chpo_…): both show the
    API the same face (user, scope_list, is_usable), so api/auth.py checks either the same way."""
    if len(secret) > 100:
        return None
    if secret.startswith(ACCESS_PREFIX):
        return db.session.scalar(select(OAuthToken).options(joinedload(OAuthToken.user, innerjoin=True),
                                                            joinedload(OAuthToken.client, innerjoin=True))
                                 .where(OAuthToken.access_token_hash == hash_secret(secret)))
    if not secret.startswith(PREFIX):
        return None
    return db.session.scalar(select(AccessToken).options(joinedload(AccessToken.user, innerjoin=True))
                             .where(AccessToken.token_hash == hash_secret(secret)))


def note_use(token: AccessToken | OAuthToken) -> None:
    """Record when the token was last used, at most once a minute (a write on every call would cost more
    than the call). Called once the response is made: the commit expires nothing the response still needs."""
    now = utcnow()
    if token.last_used_at is not None and now - audit.as_utc(token.last_used_at) < USE_NOTED_EVERY:
        return
    kind = type(token)
    db.session.execute(update(kind).where(kind.id == token.id).values(last_used_at=now)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    token.last_used_at = now


def tokens_of(user) -> list[AccessToken]:
    """The member's tokens, newest first (revoked and expired ones too, for the record)."""
    return list(db.session.scalars(select(AccessToken).where(AccessToken.user_id == user.id)
                                   .order_by(AccessToken.created_at.desc(), AccessToken.id.desc()).limit(100)))


def token_of(user, token_id: int) -> AccessToken | None:
    return db.session.scalar(select(AccessToken).where(AccessToken.id == token_id, AccessToken.user_id == user.id))
