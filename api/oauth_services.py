"""OAuth 2.0 for partner platforms, the writes: an admin registers and disables clients; a member revokes the
access a partner app holds; the consent the member gives or refuses."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from api.models import SCOPES, hash_secret
from api.oauth_models import SECRET_PREFIX, OAuthClient, OAuthToken
from core import audit
from core.audit import utcnow
from core.authz import require
from core.errors import FieldError
from core.extensions import db

MAX_REDIRECT_URIS = 10
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` cannot be a redirect URI, or None: https with a host, or http on this machine only (a native
    app's loopback), no fragment, no user or password."""
    if len(uri) > 500:
        return _("%(uri)s is longer than 500 characters.", uri=uri[:40] + "…")
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return _("%(uri)s is not an address.", uri=uri)
    if parts.fragment or "#" in uri or parts.username or parts.password or not parts.hostname:
        return _("%(uri)s must be a full address without #fragment or user name.", uri=uri)
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and parts.netloc.rsplit(":", 1)[0].lower() in LOOPBACK_HOSTS:
        return None
    return _("%(uri)s must use https (http only for 127.0.0.1 or localhost).", uri=uri)


def register_client(actor, name: str, homepage: str, redirect_uris: list[str], scopes: list[str],
                    confidential: bool) -> tuple[OAuthClient, str | None]:
    """A new partner client; returns it with its secret (confidential clients only), which is stored hashed
    and never shown again."""
    require(actor, "oauth.manage_clients")
    errors = {}
    uris = list(dict.fromkeys(uri.strip() for uri in redirect_uris if uri.strip()))
    if not uris:
        errors["redirect_uris"] = _("Give at least one redirect URI, one a line.")
    elif len(uris) > MAX_REDIRECT_URIS:
        errors["redirect_uris"] = _("Give at most %(count)d redirect URIs.", count=MAX_REDIRECT_URIS)
    else:
        problems = [problem for problem in map(redirect_uri_problem, uris) if problem]
        if problems:
            errors["redirect_uris"] = " ".join(problems)
    if redirect_uri_problem(homepage.strip()):
        errors["homepage"] = _("Give the platform's address, starting with https://.")
    wanted = [scope for scope in SCOPES if scope in set(scopes)]
    if not wanted or len(wanted) != len(set(scopes)):
        errors["scopes"] = _("Choose at least one scope from the list.")
    if errors:
        raise FieldError(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32) if confidential else None
    client = OAuthClient(client_id=secrets.token_urlsafe(18), name=name.strip(), homepage=homepage.strip(),
                         redirect_uris="\n".join(uris), scopes=" ".join(wanted), created_by_id=actor.id,
                         secret_hash=hash_secret(secret) if secret else None)
    db.session.add(client)
    db.session.flush()
    audit.record(actor, "oauth_client", client.id, "register", None, "active")
    db.session.commit()
    return client, secret


def disable_client(client: OAuthClient, actor) -> None:
    """The admin disables a client: it can no longer ask for consent or tokens, and every token it holds
    stops working at once."""
    require(actor, "oauth.disable_client", client)
    now = utcnow()
    client.disabled_at = now
    db.session.execute(update(OAuthToken).where(OAuthToken.client_id == client.id, OAuthToken.revoked_at.is_(None))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    audit.record(actor, "oauth_client", client.id, "disable", "active", "disabled")
    db.session.commit()


def clients() -> list[OAuthClient]:
    return list(db.session.scalars(select(OAuthClient).order_by(OAuthClient.created_at.desc(), OAuthClient.id.desc())
                                   .limit(200)))


# ---- The partner apps a member has authorized ----

@dataclass
class PartnerAccess:
    """What a partner app holds for one member: live tokens, the scopes they carry, since when."""

    user_id: int
    client: OAuthClient
    scopes: list[str]
    since: datetime
    last_used_at: datetime | None


def _live_tokens(user_id: int, client_id: int | None = None):
    query = (select(OAuthToken).options(joinedload(OAuthToken.client, innerjoin=True))
             .where(OAuthToken.user_id == user_id, OAuthToken.revoked_at.is_(None),
                    OAuthToken.refresh_expires_at > utcnow()))
    if client_id is not None:
        query = query.where(OAuthToken.client_id == client_id)
    return db.session.scalars(query.order_by(OAuthToken.created_at).limit(500)).all()


def _accesses(tokens) -> list[PartnerAccess]:
    found: dict[int, PartnerAccess] = {}
    for token in tokens:
        if token.client.disabled_at is not None:
            continue
        access = found.setdefault(token.client_id, PartnerAccess(token.user_id, token.client, [], token.created_at,
                                                                   None))
        access.scopes = [s for s in SCOPES if s in set(access.scopes) | set(token.scope_list)]
        if token.last_used_at and (access.last_used_at is None or token.last_used_at > access.last_used_at):
            access.last_used_at = token.last_used_at
    return sorted(found.values(), key=lambda access: access.client.name.lower())


def accesses_of(user) -> list[PartnerAccess]:
    """The partner apps holding live tokens of `user` (disabled clients' are dead already)."""
    return _accesses(_live_tokens(user.id))


def access_of(user, client_id: int) -> PartnerAccess | None:
    found = _accesses(_live_tokens(user.id, client_id))
    return found[0] if found else None


def revoke_access(access: PartnerAccess, actor) -> None:
    """The member takes back what they granted a partner app: every token it holds for them is revoked."""
    require(actor, "oauth.revoke_access", access)
    db.session.execute(update(OAuthToken).where(OAuthToken.user_id == access.user_id,
                                                OAuthToken.client_id == access.client.id,
                                                OAuthToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    audit.record(actor, "oauth_client", access.client.id, "revoke_access", "authorized", "revoked")
    db.session.commit()


@audit.subjects_of("oauth_client")
def _name_clients(ids: set[int]) -> dict[int, audit.Subject]:
    """How the audit log names a partner app: its name, linked to the registry."""
    from flask import url_for
    rows = db.session.execute(select(OAuthClient.id, OAuthClient.name).where(OAuthClient.id.in_(ids))).all()
    return {row.id: audit.Subject(row.name, url_for("api_pages.oauth_clients")) for row in rows}
