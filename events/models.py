"""Chapter events, the competencies a workshop covers, members' answers (RSVPs) and their calendar feeds."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import as_utc, utcnow
from core.extensions import db

KINDS = ("workshop", "meetup", "fireside_chat", "demo_day")
MODES = ("in_person", "online")
EVENT_STATES = ("scheduled", "cancelled")
RSVP_STATES = ("going", "waiting", "not_going")
INVITATION_ROLES = ("team", "sponsor")  # why someone is invited to a demo day: they present, or they sponsor
MAX_COMPETENCIES = 5
MAX_PRESENTING = 20
# Projects that may present at a demo day: those with work to show.
PRESENTING_STATES = ("active", "delivered")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind_known"),
        CheckConstraint(_in("mode", MODES), name="mode_known"),
        CheckConstraint(_in("status", EVENT_STATES), name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        # The last line of defence behind the guarded UPDATE in services.take_place: never more going than places.
        CheckConstraint("going_count >= 0 AND going_count <= capacity", name="going_within_capacity"),
        Index("ix_event_chapter_starts", "chapter_id", "starts_at"),
        Index("ix_event_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    # Stored in UTC; `timezone` (an IANA name) is the zone the lead entered them in and the event happens in.
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int]
    going_count: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # When the day-before reminder went out (once per event; a moved event is reminded again).
    reminded_at: Mapped[datetime | None]
    # Raised on every edit: the .ics SEQUENCE, so calendars replace the old copy.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # A demo day, once held: when each presenting project's activity feed recorded it (once).
    presentations_recorded_at: Mapped[datetime | None]

    chapter = relationship("Chapter", lazy="joined", innerjoin=True)
    competencies: Mapped[list["EventCompetency"]] = relationship(
        cascade="all, delete-orphan", order_by="EventCompetency.code")
    presenting: Mapped[list["EventProject"]] = relationship(cascade="all, delete-orphan")

    @property
    def starts(self) -> datetime:
        return as_utc(self.starts_at)

    @property
    def ends(self) -> datetime:
        return as_utc(self.ends_at)

    @property
    def has_ended(self) -> bool:
        return self.ends <= utcnow()

    @property
    def has_started(self) -> bool:
        return self.starts <= utcnow()

    @property
    def is_open_demo_day(self) -> bool:
        """A demo day still to come (or under way) and not cancelled: the one fact behind rule event.invite and
        the invitation job."""
        return self.kind == "demo_day" and self.status == "scheduled" and not self.has_ended

    @property
    def presenting_ids(self) -> list[int]:
        return [p.project_id for p in self.presenting]

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.going_count)

    @property
    def competency_codes(self) -> list[str]:
        return [c.code for c in self.competencies]

    def is_led_by(self, user) -> bool:
        return self.chapter.is_led_by(user)


class EventCompetency(db.Model):
    """A business competency of the learning framework a workshop covers (a code of the "competency"
    vocabulary, core/vocabularies.py: events does not import learning)."""

    __tablename__ = "event_competency"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(60), primary_key=True)


class EventProject(db.Model):
    """A project of the chapter presenting at a demo day."""

    __tablename__ = "event_project"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)

    project = relationship("Project", lazy="raise")


class EventInvitation(db.Model):
    """A person invited to a demo day: a member of a presenting team, or a reviewer (or admin) of one of its
    confirmed sponsors. One row per person and event, so editing the demo day never invites anyone twice;
    `project_id` is the presenting project they were first invited for."""

    __tablename__ = "event_invitation"
    __table_args__ = (
        CheckConstraint(_in("role", INVITATION_ROLES), name="role_known"),
        Index("ix_event_invitation_user", "user_id"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(10))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)


class Rsvp(db.Model):
    """A member's answer to an event: going, on the waiting list (in order of `waiting_since`), or not going;
    after the event the organiser marks `attended`."""

    __tablename__ = "rsvp"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint(_in("status", RSVP_STATES), name="status_known"),
        Index("ix_rsvp_event_status_waiting", "event_id", "status", "waiting_since"),
        Index("ix_rsvp_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))
    waiting_since: Mapped[datetime | None]
    attended: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(lazy="raise")
    user = relationship("User", lazy="raise")


class MemberCalendar(db.Model):
    """A member's calendar settings: the secret token of their personal feed (a random 256-bit value, compared in
    constant time; kept so /me/calendar can show the address again, and replaced when the member resets it) and
    the time zone in which event pages show them times."""

    __tablename__ = "member_calendar"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str | None] = mapped_column(String(64))
    timezone: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
