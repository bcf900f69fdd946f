"""Sponsor organisations, their members, and the sponsorships they give to projects."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import memo
from core.audit import as_utc, utcnow
from core.extensions import db

ORGANISATION_STATES = ("pending", "active", "archived")
MEMBER_ROLES = ("admin", "reviewer")
SPONSORSHIP_STATES = ("offered", "requested", "confirmed", "declined", "withdrawn")
OPEN_STATES = ("offered", "requested")
KINDS = ("funding", "in_kind")
IN_KIND_TYPES = ("compute", "data", "mentoring", "venue", "other")
SIDES = ("sponsor", "chapter")
INVITATION_STATES = ("pending", "accepted", "declined", "revoked")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SponsorOrganisation(db.Model):
    __tablename__ = "sponsor_organisation"
    __table_args__ = (
        CheckConstraint(_in("status", ORGANISATION_STATES), name="status_known"),
        Index("ix_sponsor_organisation_status_name", "status", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str] = mapped_column(String(254))
    # An optional logo, checked and stored like other uploads (under a random key, outside static).
    logo_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    logo_type: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by = relationship("User", lazy="raise")

    def role_of(self, user) -> str | None:
        """The user's role in this organisation (one query per user, then remembered on this object)."""
        return memo.per_user(self, "_role_cache", user, lambda: db.session.scalar(select(SponsorMember.role).where(
            SponsorMember.organisation_id == self.id, SponsorMember.user_id == user.id)))

    def remember_role(self, user, role: str | None) -> None:
        """Prime the cache from a query that already loaded the user's roles."""
        memo.remember(self, "_role_cache", user, role)

    def forget_roles(self) -> None:
        memo.forget(self, "_role_cache")

    def is_admin(self, user) -> bool:
        return self.role_of(user) == "admin"

    def has_member(self, user) -> bool:
        return self.role_of(user) is not None


class SponsorMember(db.Model):
    __tablename__ = "sponsor_member"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id"),
        CheckConstraint(_in("role", MEMBER_ROLES), name="role_known"),
        Index("ix_sponsor_member_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("sponsor_organisation.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="reviewer")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[SponsorOrganisation] = relationship(lazy="raise")
    user = relationship("User", lazy="raise")


class SponsorInvitation(db.Model):
    """An organisation admin invites an email address to join as admin or reviewer. The person decides:
    nobody is added to an organisation without accepting, and inviting never tells whether the
    address has an account."""

    __tablename__ = "sponsor_invitation"
    __table_args__ = (
        CheckConstraint(_in("status", INVITATION_STATES), name="status_known"),
        CheckConstraint(_in("role", MEMBER_ROLES), name="role_known"),
        Index("ix_sponsor_invitation_organisation_status", "organisation_id", "status"),
        Index("ix_sponsor_invitation_email_status", "email", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("sponsor_organisation.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20), default="reviewer")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # The language of the email when the address has no account (the inviter's language then).
    locale: Mapped[str | None] = mapped_column(String(10))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]

    organisation: Mapped[SponsorOrganisation] = relationship(lazy="joined", innerjoin=True)
    invited_by = relationship("User", lazy="raise")

    @property
    def is_expired(self) -> bool:
        return as_utc(self.expires_at) <= utcnow()


class Sponsorship(db.Model):
    __tablename__ = "sponsorship"
    __table_args__ = (
        CheckConstraint(_in("status", SPONSORSHIP_STATES), name="status_known"),
        CheckConstraint(_in("kind", KINDS), name="kind_known"),
        CheckConstraint(_in("initiated_by", SIDES), name="side_known"),
        CheckConstraint("in_kind_type IS NULL OR " + _in("in_kind_type", IN_KIND_TYPES), name="in_kind_type_known"),
        CheckConstraint("amount_minor IS NULL OR amount_minor > 0", name="amount_positive"),
        CheckConstraint("(kind = 'funding' AND amount_minor IS NOT NULL AND currency IS NOT NULL)"
                        " OR (kind = 'in_kind' AND in_kind_type IS NOT NULL)", name="kind_complete"),
        Index("ix_sponsorship_project_status", "project_id", "status"),
        Index("ix_sponsorship_organisation_status", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("sponsor_organisation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    in_kind_type: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    initiated_by: Mapped[str] = mapped_column(String(10))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    project = relationship("Project", lazy="joined", innerjoin=True)
    organisation: Mapped[SponsorOrganisation] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES
