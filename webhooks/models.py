"""Webhook subscriptions, the deliveries made for them and every attempt of each delivery."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.audit import utcnow
from core.extensions import db

SUBSCRIPTION_STATES = ("active", "disabled")
DELIVERY_STATES = ("pending", "delivered", "failed", "skipped")
SECRET_PREFIX = "whsec_"
MAX_URL = 500


class WebhookSubscription(db.Model):
    """A member's subscription: events sent to `url`, signed with `secret`.

    The secret is kept as it is (the app has no encryption helper, and signing needs it in clear): it is shown
    once when the subscription is made, and only its first characters afterwards."""

    __tablename__ = "webhook_subscription"
    __table_args__ = (CheckConstraint("status IN ('active', 'disabled')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(MAX_URL))
    events: Mapped[str] = mapped_column(String(200))  # space-separated, from core.announce.EVENTS
    secret: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="active")
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    @property
    def secret_hint(self) -> str:
        return self.secret[:len(SECRET_PREFIX) + 4]


class WebhookDelivery(db.Model):
    """One event for one subscription: a message (its `message_id` is the `webhook-id` header, the same on every
    attempt, so receivers can drop duplicates) tried until delivered, failed for good or skipped."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed', 'skipped')", name="status_known"),
        # One delivery per subscription and announcement, however often the fan-out job runs.
        UniqueConstraint("subscription_id", "announcement", name="uq_webhook_delivery_announcement"),
        Index("ix_webhook_delivery_subscription_created", "subscription_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscription.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    announcement: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)  # the exact JSON sent and signed
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]

    subscription: Mapped[WebhookSubscription] = relationship()
    tries: Mapped[list["WebhookAttempt"]] = relationship(order_by="WebhookAttempt.number",
                                                         cascade="all, delete-orphan", passive_deletes=True)


class WebhookAttempt(db.Model):
    """One try of a delivery: when, how long, and the receiver's status code or the error."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int] = mapped_column(default=0)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(300))

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
