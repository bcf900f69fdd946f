"""Read-side queries for the webhook pages: each runs a fixed number of SQL statements."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from webhooks.models import WebhookDelivery, WebhookSubscription

LOG_SIZE = 50


def subscriptions_of(user) -> list[WebhookSubscription]:
    """The member's subscriptions, newest first."""
    return list(db.session.scalars(select(WebhookSubscription).where(WebhookSubscription.user_id == user.id)
                                   .order_by(WebhookSubscription.created_at.desc(), WebhookSubscription.id.desc())))


def subscription_by_id(subscription_id: int) -> WebhookSubscription | None:
    return db.session.get(WebhookSubscription, subscription_id)


def log(subscription: WebhookSubscription, limit: int = LOG_SIZE) -> list[WebhookDelivery]:
    """The latest deliveries of a subscription with every attempt (two statements)."""
    return list(db.session.scalars(
        select(WebhookDelivery).options(selectinload(WebhookDelivery.tries))
        .where(WebhookDelivery.subscription_id == subscription.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit)))
