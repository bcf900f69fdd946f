"""Threads, their messages and each reader's last-read position."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import utcnow
from core.extensions import db

# A thread is about one thing: an application (the applicant and the chapter's leads), a milestone (the team, the
# leads and the confirmed sponsors' members) or a project (its team's discussion, with the leads).
THREAD_KINDS = ("application", "milestone", "project")
MAX_MESSAGE_LENGTH = 4000


def thread_key(kind: str, subject_id: int) -> str:
    """The unique name of a thread: one per application, per milestone, per project."""
    return f"{kind}:{subject_id}"


class Thread(db.Model):
    """One conversation; created with its first message (a page may show one that has no row yet)."""

    __tablename__ = "thread"
    __table_args__ = (
        CheckConstraint("kind IN ('application', 'milestone', 'project')", name="kind_known"),
        CheckConstraint("(kind = 'application') = (application_id IS NOT NULL)", name="application_thread"),
        CheckConstraint("(kind = 'milestone') = (milestone_id IS NOT NULL)", name="milestone_thread"),
        Index("ix_thread_project_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "application:12", "milestone:5", "project:3": the database keeps one thread per subject.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"),
                                                       index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The newest message: readers whose last-read position is lower have something new.
    last_message_id: Mapped[int] = mapped_column(default=0, server_default="0")
    message_count: Mapped[int] = mapped_column(default=0, server_default="0")

    # Pages give a thread the subject they loaded (queries.attach); otherwise each loads when first asked.
    project = relationship("Project")
    application = relationship("Application")
    milestone = relationship("Milestone")


class Message(db.Model):
    """A message in a thread: plain text. A removed message keeps its row (and place) but not its text."""

    __tablename__ = "message"
    __table_args__ = (Index("ix_message_thread", "thread_id", "id"),
                      Index("ix_message_author_id", "author_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    thread: Mapped[Thread] = relationship()
    author = relationship("User", foreign_keys=[author_id], lazy="raise")

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None


class ThreadRead(db.Model):
    """How far one reader has read one thread (the id of the last message they saw); a row also makes the
    thread one of theirs on /me."""

    __tablename__ = "thread_read"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    last_read_id: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
