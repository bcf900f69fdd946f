"""Scale data for webhooks: subscriptions of one member in a hundred, each with a long delivery log (every message
with its attempts, some turned off after failures), so the log page is measured where it is longest."""
from __future__ import annotations

from datetime import timedelta

from core.announce import EVENTS
from core.scale import World, scale_generator

LOG_LENGTH = 60  # messages per subscription: more than the page shows


@scale_generator(order=95, label="Webhooks", webhooks=200)
def generate_webhooks(world: World) -> None:
    rng, users = world.rng, world.facts["users"]
    count = world.sizes["webhooks"]
    subscriptions, deliveries, attempts = [], [], []
    for subscription_id in range(1, count + 1):
        disabled = rng.random() < 0.1
        created = world.ago(rng.uniform(30, 400))
        subscriptions.append({
            "id": subscription_id, "user_id": rng.randint(2, users), "created_at": created,
            "url": f"https://hooks.example.org/{subscription_id}",  # never called: scale data is for sizes
            "events": " ".join(rng.sample(EVENTS, rng.randint(1, len(EVENTS)))),
            "secret": f"whsec_scale{subscription_id}", "status": "disabled" if disabled else "active",
            "consecutive_failures": 15 if disabled else 0, "disabled_at": world.ago(1) if disabled else None})
        for n in range(LOG_LENGTH):
            delivery_id = len(deliveries) + 1
            sent = created + timedelta(hours=n)
            tries = 1 if rng.random() < 0.9 else rng.randint(2, 6)
            delivered = tries == 1 or rng.random() < 0.5
            deliveries.append({
                "id": delivery_id, "subscription_id": subscription_id, "message_id": f"msg_scale{delivery_id}",
                "announcement": f"scale{delivery_id}", "event": rng.choice(EVENTS), "body": "{}",
                "status": "delivered" if delivered else "failed", "attempts": tries, "created_at": sent,
                "delivered_at": sent if delivered else None, "next_attempt_at": None})
            for number in range(1, tries + 1):
                status = 200 if delivered and number == tries else rng.choice((500, 502, None))
                attempts.append({"id": len(attempts) + 1, "delivery_id": delivery_id, "number": number,
                                 "at": sent + timedelta(minutes=2 ** number), "duration_ms": rng.randint(20, 900),
                                 "status_code": status, "error": None if status else "timeout"})
    world.insert("webhook_subscription", subscriptions)
    world.insert("webhook_delivery", deliveries)
    world.insert("webhook_attempt", attempts)
