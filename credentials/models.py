"""Issued learning credentials: one signed Open Badges 3.0 credential per person and project."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import utcnow
from core.extensions import db


def new_uuid() -> str:
    return str(uuid.uuid4())


class Credential(db.Model):
    """A credential as issued: the signed JSON document and its VC-JWT are stored once and never
    rewritten, so what a holder downloaded stays byte-for-byte what we serve. Its place in the
    revocation status list is derived from `id` (see status_list.py)."""

    __tablename__ = "credential"
    __table_args__ = (
        # The database guarantees one credential per person and project, whatever the job does.
        UniqueConstraint("recipient_id", "project_id"),
        CheckConstraint("revoked_at IS NULL OR length(revocation_reason) > 0", name="revocation_has_reason"),
        Index("ix_credential_project", "project_id"),
        Index("ix_credential_recipient_issued", "recipient_id", "issued_at"),
        # The status lists read the revoked credentials of an id range without scanning the documents.
        Index("ix_credential_revoked_at", "revoked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    # SET NULL: a deleted account's credentials stay verifiable (they carry a hashed email, not the profile).
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    role: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(5))
    key_id: Mapped[str] = mapped_column(String(40))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The signed credential (JSON text) and the same credential as a VC-JWT. NULL only inside the
    # issuing transaction: the status-list index is derived from `id`, known after the insert.
    document: Mapped[str | None] = mapped_column(Text, deferred=True)
    jwt: Mapped[str | None] = mapped_column(Text, deferred=True)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str | None] = mapped_column(Text)

    recipient = relationship("User", foreign_keys=[recipient_id], lazy="raise")
    project = relationship("Project", lazy="raise")
    revoked_by = relationship("User", foreign_keys=[revoked_by_id], lazy="raise")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
