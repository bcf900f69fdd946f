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
    revocation status list is random and stored (see status_list.py)."""

    __tablename__ = "credential"
    __table_args__ = (
        # The database guarantees one credential per person and project, whatever the job does.
        UniqueConstraint("recipient_id", "project_id"),
        CheckConstraint("revoked_at IS NULL OR length(revocation_reason) > 0", name="revocation_has_reason"),
        Index("ix_credential_project", "project_id"),
        Index("ix_credential_recipient_issued", "recipient_id", "issued_at"),
        # The status lists read the revoked credentials of an id range without scanning the documents.
        Index("ix_credential_revoked_at", "revoked_at"),
        # Two credentials never share a place in a status list (issuers racing for one draw again).
        UniqueConstraint("status_list_number", "status_list_index"),
        # A list's first issuance (and the newest list) without reading the rows.
        Index("ix_credential_status_list_number_id", "status_list_number", "id"),
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
    # Where the credential's revocation bit is: list number and index in it (status_list.py).
    status_list_number: Mapped[int]
    status_list_index: Mapped[int]
    # The signed credential (JSON text) and the same credential as a VC-JWT. NULL only inside the
    # issuing transaction: the documents carry the row's uuid, known after the insert.
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
