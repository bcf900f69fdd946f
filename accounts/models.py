"""Users and their skills."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from core.audit import utcnow
from core.extensions import db
from core.images import KEY_LENGTH, Picture

user_skill = Table(
    "user_skill", db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class Skill(db.Model):
    """A skill, stored once by its code (`slug`) with its name in English and, when known, in French
    (accounts/skill_catalogue.py); typing either name finds it (services.skills_named)."""

    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)  # the code
    name: Mapped[str] = mapped_column(String(60))
    name_fr: Mapped[str | None] = mapped_column(String(60))
    # skill_slug(name_fr): what a French name typed is matched against.
    slug_fr: Mapped[str | None] = mapped_column(String(60), index=True)

    @property
    def label(self) -> str:
        """The skill's name in the reader's language (English when it has no French name)."""
        return label_for(self.name, self.name_fr)


def label_for(name: str, name_fr: str | None) -> str:
    from flask_babel import get_locale

    if name_fr and str(get_locale() or "en").startswith("fr"):
        return name_fr
    return name


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        # Emails are stored lower-cased, so the unique constraint is case-insensitive.
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("handle = lower(handle)", name="handle_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    bio: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    locale: Mapped[str | None] = mapped_column(String(5))
    is_admin: Mapped[bool] = mapped_column(default=False)
    profile_hidden: Mapped[bool] = mapped_column(default=False)
    suspended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session's user id (get_id): raising it ends every session signed in before.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # When the member opened the link sent to their current address; None until then (and after an email change
    # the new address is verified by the link that confirms it). Gated actions need it (core/authz.py).
    email_verified_at: Mapped[datetime | None]
    # When the member deleted their account: the row stays, pseudonymised, for what the community keeps.
    deleted_at: Mapped[datetime | None]
    # Two-factor sign-in (accounts/two_factor.py): the TOTP secret once confirmed, and the last time step
    # a code was accepted for (a code works once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    # An uploaded photo (core/images.py); without one, pages draw the member's initials.
    avatar_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    avatar_widths: Mapped[str | None] = mapped_column(String(40))

    skills: Mapped[list[Skill]] = relationship(secondary=user_skill,
                                               order_by=Skill.name)

    @property
    def avatar(self) -> Picture | None:
        return Picture.of(self.avatar_key, self.avatar_widths, self.name)

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.name.split()[:2]).upper() or "?"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:
        """Flask-Login signs out suspended accounts."""
        return not self.is_suspended

    def get_id(self) -> str:
        """What the session keeps: the id and the session version ("12.3"), so that raising the version
        (sign out everywhere, suspension) makes every older session unknown to the user loader."""
        return f"{self.id}.{self.session_version}"

    def __repr__(self) -> str:
        return f"<User @{self.handle}>"


class Notification(db.Model):
    """Something a member should know about; `params` fill the kind's message when shown."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(300))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # Set in the same transaction as the email (or digest) that carried it: emailed at most once.
    emailed_at: Mapped[datetime | None]


# Loaded with the signed-in user (accounts.views.load_user), so the navigation's badge costs no query of its
# own; a commit expires it, so it is read again after anything that changes it.
User.unread_notifications = column_property(
    select(func.count(Notification.id)).where(Notification.user_id == User.id, Notification.read_at.is_(None))
    .correlate_except(Notification).scalar_subquery(), deferred=True)

CHANNELS = ("app", "email", "digest")


class NotificationPreference(db.Model):
    """How a member wants one kind of notification: in the app only, by email, or in a daily digest.
    No row means the kind's default."""

    __tablename__ = "notification_preference"
    __table_args__ = (CheckConstraint("channel IN ('app', 'email', 'digest')", name="channel_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))


class RecoveryCode(db.Model):
    """One of the ten single-use codes that sign a member in when their authenticator is lost (stored hashed)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class RememberToken(db.Model):
    """A "keep me signed in" cookie of one device: only the SHA-256 of its random value is stored."""

    __tablename__ = "remember_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
