"""Mentoring: a member's offer to mentor (on business competencies and skills, with a capacity), the
mentorships members request from it, and the sessions the pair logs."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, exists, or_, text
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from core.audit import utcnow
from core.extensions import db

OFFER_STATES = ("active", "paused", "withdrawn")
MENTORSHIP_STATES = ("requested", "active", "declined", "withdrawn", "ended")
# A mentorship holds one of the mentor's places from its request until it is declined, withdrawn or ended.
OPEN_STATES = ("requested", "active")
MAX_COMPETENCIES = 5
MAX_SKILLS = 10
MAX_CAPACITY = 20
MAX_SESSION_MINUTES = 600


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


mentor_offer_skill = Table(
    "mentor_offer_skill", db.metadata,
    Column("offer_id", ForeignKey("mentor_offer.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_mentor_offer_skill_skill_id", "skill_id"),
)


class MentorOffer(db.Model):
    """A member's offer to mentor: one per member. `open_count` counts the mentorships holding a place
    (requested or active); the guarded UPDATE in services.take_place and the CHECK below keep it within
    `capacity`, whatever requests arrive at once."""

    __tablename__ = "mentor_offer"
    __table_args__ = (
        CheckConstraint(_in("status", OFFER_STATES), name="status_known"),
        CheckConstraint(f"capacity >= 1 AND capacity <= {MAX_CAPACITY}", name="capacity_bounds"),
        CheckConstraint("open_count >= 0 AND open_count <= capacity", name="open_within_capacity"),
        Index("ix_mentor_offer_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int] = mapped_column(default=2)
    open_count: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User", lazy="joined", innerjoin=True)
    competencies: Mapped[list["MentorOfferCompetency"]] = relationship(
        cascade="all, delete-orphan", order_by="MentorOfferCompetency.code", lazy="selectin")
    skills = relationship("Skill", secondary=mentor_offer_skill, order_by="Skill.name", lazy="selectin")

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.open_count)

    @property
    def competency_codes(self) -> list[str]:
        return [c.code for c in self.competencies]

    def is_mentor(self, user) -> bool:
        return getattr(user, "id", None) == self.user_id


class MentorOfferCompetency(db.Model):
    """A competency of the business-skills framework the mentor offers (a code of the "competency" vocabulary)."""

    __tablename__ = "mentor_offer_competency"
    __table_args__ = (Index("ix_mentor_offer_competency_code", "code"),)

    offer_id: Mapped[int] = mapped_column(ForeignKey("mentor_offer.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(60), primary_key=True)


class Mentorship(db.Model):
    """A member (the mentee) asks a mentor for help with a goal; the mentor accepts or declines with a message;
    the pair logs sessions until either ends it. One open mentorship per mentee and offer (the partial unique
    index), whatever requests arrive at once."""

    __tablename__ = "mentorship"
    __table_args__ = (
        CheckConstraint(_in("status", MENTORSHIP_STATES), name="status_known"),
        Index("ux_mentorship_open_per_mentee", "offer_id", "mentee_id", unique=True,
              sqlite_where=text("status IN ('requested', 'active')"),
              postgresql_where=text("status IN ('requested', 'active')")),
        Index("ix_mentorship_mentee_status", "mentee_id", "status"),
        Index("ix_mentorship_mentor_status", "mentor_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("mentor_offer.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    goal: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    answer_message: Mapped[str | None] = mapped_column(Text)  # the mentor's words on accepting or declining
    end_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    offer: Mapped[MentorOffer] = relationship(lazy="raise")
    mentor = relationship("User", foreign_keys=[mentor_id], lazy="raise")
    mentee = relationship("User", foreign_keys=[mentee_id], lazy="raise")

    def in_pair(self, user) -> bool:
        return getattr(user, "id", None) in (self.mentor_id, self.mentee_id)

    def other_of(self, user) -> int:
        return self.mentee_id if getattr(user, "id", None) == self.mentor_id else self.mentor_id


class MentoringSession(db.Model):
    """A session the pair had: its day, its length and notes that only the two of them read."""

    __tablename__ = "mentoring_session"
    __table_args__ = (
        CheckConstraint(f"minutes >= 1 AND minutes <= {MAX_SESSION_MINUTES}", name="minutes_bounds"),
        Index("ix_mentoring_session_mentorship_day", "mentorship_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorship.id", ondelete="CASCADE"))
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    day: Mapped[date]
    minutes: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _has_mentorships():
    """Whether the member has any mentorship, on either side: loaded with the signed-in member and with the member
    a portfolio shows (accounts.sessions), so /me and portfolios, at their statement budgets, read mentoring only
    for members who have some."""
    from accounts.models import User
    from accounts.sessions import LOADED_WITH_PROFILE, LOADED_WITH_USER

    User.has_mentorships = column_property(
        exists().where(or_(Mentorship.mentor_id == User.id, Mentorship.mentee_id == User.id))
        .correlate_except(Mentorship), deferred=True)
    LOADED_WITH_USER.append(User.has_mentorships)
    LOADED_WITH_PROFILE.append(User.has_mentorships)


_has_mentorships()
