"""OAuth 2.0 for partner platforms: the clients an admin registers, the short-lived authorization codes and
the tokens issued to them. Every secret is stored as its SHA-256 only, like personal access tokens."""
from __future__ import annotations

import hmac
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from api.models import SCOPES, hash_secret
from core.audit import as_utc, utcnow
from core.extensions import db

ACCESS_PREFIX = "chpo_"  # an OAuth access token, told apart from a personal one (chp_) by its prefix
REFRESH_PREFIX = "chpr_"
SECRET_PREFIX = "chps_"
GRANT_TYPES = ("authorization_code", "refresh_token")


class OAuthClient(db.Model):
    """A partner platform registered by an admin; confidential when it holds a secret, public (an app that
    cannot keep one) otherwise. Either way PKCE is required."""

    __tablename__ = "oauth_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    homepage: Mapped[str] = mapped_column(String(300))
    redirect_uris: Mapped[str] = mapped_column(Text)  # one a line, matched exactly
    scopes: Mapped[str] = mapped_column(String(60))  # the scopes it may ask for, space-separated
    secret_hash: Mapped[str | None] = mapped_column(String(64))  # None: a public client
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    disabled_at: Mapped[datetime | None]

    @property
    def is_public(self) -> bool:
        return self.secret_hash is None

    @property
    def redirect_uri_list(self) -> list[str]:
        return self.redirect_uris.split()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    # ---- Authlib's ClientMixin ----

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        uris = self.redirect_uri_list
        return uris[0] if len(uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The scope asked for when the client may have all of it; None (invalid_scope) otherwise: a scope is
        never silently dropped, and one must be asked for."""
        wanted = (scope or "").split()
        if not wanted or not set(wanted) <= set(self.scope_list):
            return None
        return " ".join(s for s in SCOPES if s in wanted)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uri_list

    def check_client_secret(self, client_secret: str) -> bool:
        return self.secret_hash is not None and hmac.compare_digest(self.secret_hash, hash_secret(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.is_public:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


class OAuthCode(db.Model):
    """An authorization code: used once, within ten minutes, by the client it was issued to."""

    __tablename__ = "oauth_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("oauth_client.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str | None] = mapped_column(String(500))
    scope: Mapped[str] = mapped_column(String(60))
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()

    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


class OAuthToken(db.Model):
    """An access token with its refresh token, issued to a client for a member. Refreshing revokes this pair
    and issues a new one; revoking either token revokes both."""

    __tablename__ = "oauth_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("oauth_client.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]  # the access token's
    refresh_expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    client: Mapped[OAuthClient] = relationship()

    # The same face as a personal AccessToken, so the API checks either kind the same way (api/auth.py).
    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def is_usable(self, now: datetime) -> bool:
        return (self.revoked_at is None and as_utc(self.expires_at) > now and self.client.disabled_at is None)

    def refresh_usable(self, now: datetime) -> bool:
        return (self.revoked_at is None and as_utc(self.refresh_expires_at) > now
                and self.client.disabled_at is None)

    # ---- Authlib's TokenMixin ----

    def check_client(self, client: OAuthClient) -> bool:
        return self.client_id == client.id

    def get_scope(self) -> str:
        return self.scopes

    def get_expires_in(self) -> int:
        return int((as_utc(self.expires_at) - as_utc(self.created_at)).total_seconds())

    def is_expired(self) -> bool:
        return as_utc(self.expires_at) <= utcnow()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_user(self) -> User:
        return self.user

    def get_client(self) -> OAuthClient:
        return self.client
