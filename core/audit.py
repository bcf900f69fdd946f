"""The audit log: one row for every state change, written in the same transaction as the change."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import personal_data
from core.extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A moment read back from the database, where SQLite drops the zone: every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)

    actor = relationship("User", lazy="raise")


def record(actor, entity_type: str, entity_id: int, action: str,
           from_state: str | None = None, to_state: str | None = None,
           reason: str | None = None) -> AuditEvent:
    """Add an audit event to the current session; the caller's commit makes it durable."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None), entity_type=entity_type, entity_id=entity_id,
        action=action, from_state=from_state, to_state=to_state, reason=reason or None,
    )
    db.session.add(event)
    return event


@dataclass(frozen=True)
class Subject:
    """What an audit event was about, for the reader: a name or title, and the page to see it (or None)."""

    label: str
    url: str | None = None


# entity type → function(ids) → {id: Subject}, one bounded query per type: registered by the package that
# owns the entity (core imports no domain package).
SUBJECTS: dict[str, Callable[[set[int]], dict[int, Subject]]] = {}


def subjects_of(entity_type: str):
    """Register the function naming the subjects of `entity_type` (a decorator)."""
    def register(resolve: Callable[[set[int]], dict[int, Subject]]):
        SUBJECTS[entity_type] = resolve
        return resolve
    return register


def describe_subjects(events: Iterable[AuditEvent]) -> dict[tuple[str, int], Subject]:
    """The subject of each event, by (entity type, id): one query per entity type on the page, whatever the
    number of events; a subject deleted since, or of a type nobody names, is left out."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.entity_type in SUBJECTS:
            wanted[event.entity_type].add(event.entity_id)
    found = {}
    for entity_type, ids in wanted.items():
        for entity_id, subject in SUBJECTS[entity_type](ids).items():
            found[(entity_type, entity_id)] = subject
    return found


@personal_data.eraser("audit")
def _erase_from_reasons(erasure) -> None:
    """The log keeps who did what by account number; a reason that named the member loses the name."""
    personal_data.scrub_text(AuditEvent.reason, erasure)
