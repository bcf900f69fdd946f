"""Webhook jobs (run through core.jobs: ids only, no commit, idempotent)."""
from __future__ import annotations

from webhooks import services


def fan_out(event: str, object_id: int, announcement: str, state: str | None, occurred_at: str) -> int:
    """Make one delivery per subscriber allowed to receive the event (enqueued by webhooks.services.announce)."""
    return services.fan_out(event, object_id, announcement, state, occurred_at)


def deliver(delivery_id: int) -> str:
    """Try one delivery once; a failure schedules the next try itself (the job does not fail)."""
    return services.deliver(delivery_id)
