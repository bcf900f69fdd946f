"""A member's webhooks in their data export (never the secret), and gone with their account."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from core import personal_data
from core.extensions import db
from webhooks.models import WebhookSubscription


@personal_data.part("webhooks", _l("subscriptions.json: your webhooks (address, events, status; not their secrets)."))
def subscriptions(user) -> dict:
    rows = db.session.scalars(select(WebhookSubscription).where(WebhookSubscription.user_id == user.id)
                              .order_by(WebhookSubscription.id))
    return {"subscriptions.json": [{"url": s.url, "events": s.event_list, "status": s.status,
                                    "created_at": s.created_at, "disabled_at": s.disabled_at} for s in rows]}


@personal_data.eraser("webhooks")
def _erase_subscriptions(erasure) -> None:
    db.session.execute(delete(WebhookSubscription).where(WebhookSubscription.user_id == erasure.user_id))
