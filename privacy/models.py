"""A member's data export: built by a job into one zip, downloadable by them alone for a week."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.audit import as_utc, utcnow
from core.extensions import db

EXPORT_STATES = ("pending", "ready")


class DataExport(db.Model):
    __tablename__ = "data_export"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'ready')", name="status_known"),
        Index("ix_data_export_user_id_created_at", "user_id", "created_at"),
        Index("ix_data_export_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # The file's random name, chosen when the export is asked for: a job that runs twice writes the same file.
    file_key: Mapped[str] = mapped_column(String(64), unique=True)
    file_size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and as_utc(self.expires_at) <= utcnow()
