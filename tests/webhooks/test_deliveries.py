"""Webhook deliveries through the real path: a request announces the event (an outbox intent in its transaction),
a real RQ worker (`flask worker --burst` on a real Redis) fans it out and POSTs it, signed, to a receiver on
127.0.0.1 that verifies the signature with the standardwebhooks package; a receiver that is down is retried with
back-off (intents the sweep hands over when due), then the subscription is turned off and its owner told."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.models import Notification
from core import jobs
from core.audit import AuditEvent, utcnow
from core.extensions import db
from core.jobs import JobIntent
from tests.conftest import fresh
from tests.factories import make_application, make_chapter, make_project, make_user
from tests.servers import free_port, run_worker_burst
from tests.webhooks.receiver import rejects, verified
from webhooks import services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.redis
WORKER = {"WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"}


def webhook_jobs():
    db.session.expire_all()
    return sorted((i.name, i.status) for i in db.session.scalars(select(JobIntent).where(
        JobIntent.name.like("webhooks.%"))))


@pytest.fixture
def queued(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    return app


def test_a_decision_reaches_the_applicant_and_the_leads_signed_and_nobody_else(queued, client, auth, receiver):
    lead = make_user("lead")
    project = make_project(make_chapter(lead), status="recruiting")
    applicant, stranger = make_user("applicant"), make_user("stranger")
    application = make_application(project, applicant)
    secrets = {}
    for user in (applicant, lead, stranger):
        subscription, secrets[user.handle] = services.create_subscription(
            user, f"{receiver.url}?who={user.handle}", ["application.decided"])
    services.create_subscription(stranger, f"{receiver.url}?who=recruiting", ["project.recruiting"])

    auth.login_as(lead)
    assert client.post(f"/projects/{project.id}/applications/{application.id}/accept").status_code == 302
    assert receiver.requests == []  # written in the request's transaction, sent by the worker
    assert webhook_jobs() == [("webhooks.tasks.fan_out", "pending")]
    run_worker_burst(queued, **WORKER)

    assert sorted(r["path"] for r in receiver.requests) == ["/hooks/chapterhouse?who=applicant",
                                                            "/hooks/chapterhouse?who=lead"]
    assert webhook_jobs() == [("webhooks.tasks.deliver", "done")] * 2 + [("webhooks.tasks.fan_out", "done")]
    for handle in ("applicant", "lead"):
        request = next(r for r in receiver.requests if r["path"].endswith(handle))
        payload = verified(secrets[handle], request)
        assert payload["type"] == "application.decided"
        assert payload["data"]["application"] == {"id": application.id, "decision": "accepted", "applicant": "applicant",
                                                  "decided_at": payload["data"]["application"]["decided_at"]}
        assert payload["data"]["project"]["id"] == project.id
        assert request["headers"]["webhook-signature"].startswith("v1,")
        assert rejects(secrets["stranger"], request)  # another subscription's secret does not verify it
        assert rejects(secrets[handle], {**request, "body": request["body"].replace("accepted", "declined")})
        delivery = db.session.scalar(select(WebhookDelivery).where(
            WebhookDelivery.message_id == request["headers"]["webhook-id"]))
        assert delivery.status == "delivered" and delivery.attempts == 1
        attempt = db.session.scalar(select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery.id))
        assert attempt.status_code == 204 and attempt.error is None and attempt.duration_ms >= 0

    applicant_subscription = db.session.scalar(select(WebhookSubscription).where(
        WebhookSubscription.user_id == applicant.id))
    auth.login_as(applicant)
    page = client.get(f"/me/webhooks/{applicant_subscription.id}").get_data(as_text=True)
    assert "HTTP 204" in page and "application.decided" in page


def test_a_receiver_that_is_down_is_retried_with_back_off_then_turned_off(queued, client, auth):
    settings = {"WEBHOOK_RETRY_DELAY": 10, "WEBHOOK_MAX_ATTEMPTS": 5, "WEBHOOK_DISABLE_AFTER": 3}
    queued.config.update(settings)
    worker = {**WORKER, **settings}
    owner = make_user("partner")
    subscription, _ = services.create_subscription(owner, f"http://127.0.0.1:{free_port()}/hook",
                                                   ["project.recruiting"])  # nothing listens on that port
    lead = make_user("lead")
    project = make_project(make_chapter(lead), status="draft")
    auth.login_as(lead)
    assert client.post(f"/projects/{project.id}/transitions/open").status_code == 302
    assert fresh(project).status == "recruiting"
    run_worker_burst(queued, **worker)  # the fan-out, then the first attempt

    delivery = db.session.scalar(select(WebhookDelivery))
    for number, wait in ((1, 10), (2, 20)):
        db.session.expire_all()
        assert (delivery.attempts, delivery.status) == (number, "pending")
        last = db.session.scalar(select(WebhookAttempt).where(WebhookAttempt.number == number))
        assert last.status_code is None and last.error == "connection"
        retry = db.session.scalar(select(JobIntent).where(JobIntent.name == "webhooks.tasks.deliver",
                                                          JobIntent.status == "pending"))
        # The back-off doubles: 10 s after the first failure, 20 s after the second.
        assert abs((retry.run_after - last.at).total_seconds() - wait) < 1
        assert abs((delivery.next_attempt_at - last.at).total_seconds() - wait) < 1
        assert jobs.sweep() == 0  # not due yet: nothing is handed over early
        assert jobs.sweep(now=utcnow() + timedelta(seconds=wait + 1)) == 1
        run_worker_burst(queued, **worker)

    db.session.expire_all()
    assert (delivery.attempts, delivery.status) == (3, "failed")
    assert (subscription.status, subscription.consecutive_failures) == ("disabled", 3)
    note = db.session.scalar(select(Notification).where(Notification.user_id == owner.id))
    assert note.kind == "webhook.disabled" and note.url == f"/me/webhooks/{subscription.id}"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "webhook",
                                                      AuditEvent.action == "disable")).to_state == "disabled"
    assert [status for name, status in webhook_jobs()] == ["done"] * 4  # three tries and the fan-out
    assert jobs.sweep(now=utcnow() + timedelta(days=1)) == 0  # nothing more is tried

    auth.login_as(owner)
    page = client.get(f"/me/webhooks/{subscription.id}").get_data(as_text=True)
    assert "Turn on again" in page and "could not connect" in page
    assert client.post(f"/me/webhooks/{subscription.id}/enable").status_code == 302
    db.session.expire_all()
    assert (subscription.status, subscription.consecutive_failures) == ("active", 0)
