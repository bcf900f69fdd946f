"""A deleted account's webhooks go with it (their addresses and secrets are the member's)."""
from __future__ import annotations

from sqlalchemy import delete

from core import personal_data
from core.extensions import db
from webhooks.models import WebhookSubscription


@personal_data.eraser("webhooks")
def _erase_subscriptions(erasure) -> None:
    db.session.execute(delete(WebhookSubscription).where(WebhookSubscription.user_id == erasure.user_id))
