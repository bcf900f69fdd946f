"""Chapters (a city's freelance community) and their memberships."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from core import memo
from core.audit import utcnow
from core.extensions import db
from core.images import HasCover

LEAD_ROLES = ("lead", "co_lead")
ROLES = ("lead", "co_lead", "member")


class Chapter(HasCover, db.Model):
    __tablename__ = "chapter"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'active', 'archived')", name="status_known"),
        Index("ix_chapter_status_name", "status", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposed_by = relationship("User", lazy="raise")

    def role_of(self, user) -> str | None:
        """The user's role here (one query per user, then remembered on this object)."""
        return memo.per_user(self, "_role_cache", user, lambda: db.session.scalar(
            select(ChapterMembership.role).where(ChapterMembership.chapter_id == self.id,
                                                 ChapterMembership.user_id == user.id)))

    def forget_roles(self) -> None:
        memo.forget(self, "_role_cache")

    def is_led_by(self, user) -> bool:
        return self.role_of(user) in LEAD_ROLES

    def has_member(self, user) -> bool:
        return self.role_of(user) is not None


class ChapterMembership(db.Model):
    __tablename__ = "chapter_membership"
    __table_args__ = (
        UniqueConstraint("chapter_id", "user_id"),
        CheckConstraint("role IN ('lead', 'co_lead', 'member')", name="role_known"),
        Index("ix_chapter_membership_user_id", "user_id"),
        Index("ix_chapter_membership_chapter_role", "chapter_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="member")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    chapter: Mapped[Chapter] = relationship(lazy="raise")
    user = relationship("User", lazy="raise")


# Loaded only where asked for: .options(undefer(Chapter.member_count)).
Chapter.member_count = column_property(
    select(func.count(ChapterMembership.id)).where(ChapterMembership.chapter_id == Chapter.id)
    .correlate_except(ChapterMembership).scalar_subquery(),
    deferred=True, raiseload=True)
