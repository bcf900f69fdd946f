"""Webhook services: subscribe, delete, re-enable; announce events (outbox intents in the caller's transaction);
fan an event out to its subscribers; deliver one message, signed the Standard Webhooks way, with back-off."""
from __future__ import annotations

import base64
import json
import secrets
import uuid
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import joinedload
from standardwebhooks.webhooks import Webhook

from accounts.notifications import notify, register_kind
from core import announce as announcements
from core import audit, jobs
from core.announce import EVENTS
from core.audit import utcnow
from core.authz import can, require
from core.errors import DomainError, FieldError
from core.extensions import db
from core.urls import path_for
from webhooks import targets
from webhooks.models import SECRET_PREFIX, WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.payloads import EVENT_KINDS

MAX_SUBSCRIPTIONS = 10
EVENT_LABELS = {
    "project.recruiting": _l("A project opens recruiting"),
    "application.decided": _l("An application is decided (yours, or to a project you lead)"),
    "credential.issued": _l("A credential is issued"),
    "milestone.reviewed": _l("A milestone is reviewed"),
}

register_kind("webhook.disabled", _l("A webhook of yours was turned off after repeated failures"),
              _l("Your webhook to %(target)s was turned off after %(failures)d failed attempts in a row."),
              default="app")


def _like(event: str):
    """Subscriptions to `event` (event names never contain one another)."""
    return WebhookSubscription.events.contains(event)


# ---- the member's subscriptions ------------------------------------------------------------------


def new_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def create_subscription(actor, url: str, events: list[str]) -> tuple[WebhookSubscription, str]:
    """A new subscription of `actor`; returns it with its secret (shown once on the page)."""
    require(actor, "webhook.create")
    wanted = [event for event in EVENTS if event in set(events)]
    if not wanted or len(wanted) != len(set(events)):
        raise FieldError.on("events", _("Choose at least one event from the list."))
    url = url.strip()
    try:
        targets.check(url)
    except targets.TargetRefused as refused:
        raise FieldError.on("url", str(refused.message)) from None
    count = db.session.scalar(select(func.count()).select_from(WebhookSubscription)
                              .where(WebhookSubscription.user_id == actor.id))
    if count >= MAX_SUBSCRIPTIONS:
        raise FieldError.on("url", _("You have %(count)d webhooks: delete one first.", count=count))
    secret = new_secret()
    subscription = WebhookSubscription(user_id=actor.id, url=url, events=" ".join(wanted), secret=secret,
                                       status="active")
    db.session.add(subscription)
    db.session.flush()
    audit.record(actor, "webhook", subscription.id, "create", None, "active")
    db.session.commit()
    return subscription, secret


def delete_subscription(subscription: WebhookSubscription, actor) -> None:
    """The owner deletes a subscription, with its log; nothing more is sent to it."""
    require(actor, "webhook.delete", subscription)
    audit.record(actor, "webhook", subscription.id, "delete", subscription.status, None)
    db.session.delete(subscription)
    db.session.commit()


def enable_subscription(subscription: WebhookSubscription, actor) -> None:
    """The owner turns a subscription disabled after failures on again; its failure count starts over."""
    require(actor, "webhook.enable", subscription)
    changed = db.session.execute(
        update(WebhookSubscription).where(WebhookSubscription.id == subscription.id,
                                          WebhookSubscription.status == "disabled")
        .values(status="active", consecutive_failures=0, disabled_at=None)
        .execution_options(synchronize_session=False)).rowcount
    if not changed:
        db.session.rollback()
        raise DomainError(_("This webhook is already on."))
    audit.record(actor, "webhook", subscription.id, "enable", "disabled", "active")
    db.session.commit()
    db.session.refresh(subscription)


# ---- announcing and fanning out ----------------------------------------------------------------


@announcements.listen
def announce(event: str, obj) -> None:
    """Called (through core.announce) where `event` happens, in that transaction: when any active subscription
    wants the event, one fan-out intent is written with it. Costs one query when nobody subscribes."""
    wanted = db.session.scalar(select(exists().where(WebhookSubscription.status == "active", _like(event))))
    if wanted:
        jobs.enqueue("webhooks.tasks.fan_out", event, obj.id, uuid.uuid4().hex, getattr(obj, "status", None),
                     utcnow().isoformat())


def fan_out(event: str, object_id: int, announcement: str, state: str | None, occurred_at: str) -> int:
    """One delivery (and its job) per active subscription to `event` whose owner may see the subject; idempotent
    (one delivery per subscription and announcement). Returns how many deliveries were made now."""
    kind = EVENT_KINDS[event]
    subject = kind.load(object_id)
    if subject is None:
        return 0
    subscriptions = db.session.scalars(
        select(WebhookSubscription).options(joinedload(WebhookSubscription.user))
        .where(WebhookSubscription.status == "active", _like(event),
               ~exists().where(WebhookDelivery.subscription_id == WebhookSubscription.id,
                               WebhookDelivery.announcement == announcement))
        .order_by(WebhookSubscription.id)).all()
    body = None
    made = 0
    for subscription in subscriptions:
        owner = subscription.user
        if not (can(owner, "webhook.view", subscription) and kind.may_receive(owner, subject)):
            continue
        if body is None:  # the same data for every subscriber allowed to receive it
            timestamp = datetime.fromisoformat(occurred_at).replace(microsecond=0)
            body = json.dumps({"type": event, "timestamp": timestamp.isoformat() + "Z",
                               "data": kind.data(subject, state)}, ensure_ascii=False, separators=(",", ":"))
        delivery = WebhookDelivery(subscription_id=subscription.id, message_id="msg_" + uuid.uuid4().hex,
                                   announcement=announcement, event=event, body=body, status="pending")
        db.session.add(delivery)
        db.session.flush()
        jobs.enqueue("webhooks.tasks.deliver", delivery.id)
        made += 1
    return made


# ---- delivering ------------------------------------------------------------------------------------


def signed_headers(subscription: WebhookSubscription, delivery: WebhookDelivery, now: datetime) -> dict[str, str]:
    """The Standard Webhooks headers: webhook-id, webhook-timestamp (seconds) and webhook-signature
    ("v1," + base64 HMAC-SHA256 of "id.timestamp.body" with the secret), signed by the standardwebhooks package."""
    signature = Webhook(subscription.secret).sign(delivery.message_id, now, delivery.body)
    return {"webhook-id": delivery.message_id, "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature}


def backoff(attempt: int) -> timedelta:
    """The wait after failed attempt number `attempt`: WEBHOOK_RETRY_DELAY, doubling."""
    return timedelta(seconds=current_app.config["WEBHOOK_RETRY_DELAY"] * 2 ** (attempt - 1))


def deliver(delivery_id: int) -> str:
    """Try a pending delivery once and log the attempt; on failure, schedule the next try (back-off) through the
    outbox, or give up; too many failures in a row turn the subscription off and tell its owner. Returns what
    happened: "delivered", "retry", "failed", "disabled", "skipped" or "" (nothing to do)."""
    delivery = db.session.scalar(select(WebhookDelivery).options(
        joinedload(WebhookDelivery.subscription).joinedload(WebhookSubscription.user))
        .where(WebhookDelivery.id == delivery_id))
    if delivery is None or delivery.status != "pending":
        return ""
    subscription = delivery.subscription
    if subscription.status != "active" or not can(subscription.user, "webhook.view", subscription):
        delivery.status, delivery.next_attempt_at = "skipped", None
        return "skipped"
    now = utcnow()
    outcome = targets.post(subscription.url, delivery.body.encode(), signed_headers(subscription, delivery, now))
    number = delivery.attempts + 1
    db.session.add(WebhookAttempt(delivery_id=delivery.id, number=number, at=now, duration_ms=outcome.duration_ms,
                                  status_code=outcome.status_code, error=outcome.error))
    delivery.attempts = number
    if outcome.status_code is not None and 200 <= outcome.status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", utcnow(), None
        db.session.execute(update(WebhookSubscription).where(WebhookSubscription.id == subscription.id)
                           .values(consecutive_failures=0).execution_options(synchronize_session=False))
        return "delivered"
    failures = db.session.scalar(
        update(WebhookSubscription).where(WebhookSubscription.id == subscription.id)
        .values(consecutive_failures=WebhookSubscription.consecutive_failures + 1)
        .returning(WebhookSubscription.consecutive_failures).execution_options(synchronize_session=False))
    if failures >= current_app.config["WEBHOOK_DISABLE_AFTER"]:
        delivery.status, delivery.next_attempt_at = "failed", None
        _disable(subscription, failures)
        return "disabled"
    if number >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status, delivery.next_attempt_at = "failed", None
        return "failed"
    wait = backoff(number)
    delivery.next_attempt_at = now + wait
    jobs.enqueue_later("webhooks.tasks.deliver", delivery.id, delay=wait)
    return "retry"


def _disable(subscription: WebhookSubscription, failures: int) -> None:
    changed = db.session.execute(
        update(WebhookSubscription).where(WebhookSubscription.id == subscription.id,
                                          WebhookSubscription.status == "active")
        .values(status="disabled", disabled_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not changed:
        return
    audit.record(None, "webhook", subscription.id, "disable", "active", "disabled",
                 f"{failures} failed attempts in a row")
    notify([subscription.user], "webhook.disabled",
           url=path_for("webhooks.detail", subscription_id=subscription.id), target=subscription.url,
           failures=failures)
