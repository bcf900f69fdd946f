"""Personal access tokens: a member's key to the API, stored as the SHA-256 of its secret."""
from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.audit import as_utc, utcnow
from core.extensions import db

# What a token may do besides reading public data: read the member's own private data (profile,
# applications, notifications), apply and withdraw, and manage (edit the profile, mark notifications read,
# decide the applications of projects the member leads, submit and review milestones, answer sponsorships). Each operation names the scope it needs.
SCOPES = ("read", "apply", "manage")
PREFIX = "chp_"  # every token starts with it, so secret scanners and people recognise one


def hash_secret(secret: str) -> str:
    """What is stored of a secret (token, client secret, authorization code): its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessToken(db.Model):
    """A personal access token: shown once when created, then only its name, scopes, prefix and dates."""

    __tablename__ = "access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))  # the first characters after the prefix, to tell tokens apart
    scopes: Mapped[str] = mapped_column(String(60))  # space-separated, as in OAuth
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and as_utc(self.expires_at) > now
