"""Demo data for webhooks: Lucas's subscription to a receiver on 127.0.0.1 that was never started, turned off
after its failures (harmless: nothing is sent until he turns it on again), with its delivery log."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

from core import audit
from core.audit import utcnow
from core.cli import seeder
from core.extensions import db
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.services import new_secret

DEMO_TARGET = "http://127.0.0.1:9/chapterhouse-demo-hook"  # the discard port: nothing listens there


@seeder(order=95)
def seed_webhook(world: dict) -> None:
    lucas = world["people"]["lucas"]
    now = utcnow()
    subscription = WebhookSubscription(user_id=lucas.id, url=DEMO_TARGET, secret=new_secret(), status="disabled",
                                       events="project.recruiting application.decided", consecutive_failures=3,
                                       disabled_at=now - timedelta(hours=1), created_at=now - timedelta(days=2))
    db.session.add(subscription)
    db.session.flush()
    body = json.dumps({"type": "project.recruiting", "timestamp": (now - timedelta(hours=2)).isoformat() + "Z",
                       "data": {"project": {"id": 0, "title": "Demo"}}}, separators=(",", ":"))
    delivery = WebhookDelivery(subscription_id=subscription.id, message_id="msg_" + uuid.uuid4().hex,
                               announcement=uuid.uuid4().hex, event="project.recruiting", body=body, status="failed",
                               attempts=3, created_at=now - timedelta(hours=2))
    db.session.add(delivery)
    db.session.flush()
    for number, minutes in ((1, 120), (2, 119), (3, 117)):
        db.session.add(WebhookAttempt(delivery_id=delivery.id, number=number, at=now - timedelta(minutes=minutes),
                                      duration_ms=2, status_code=None, error="connection"))
    audit.record(lucas, "webhook", subscription.id, "create", None, "active")
    audit.record(None, "webhook", subscription.id, "disable", "active", "disabled", "3 failed attempts in a row")
    db.session.commit()
