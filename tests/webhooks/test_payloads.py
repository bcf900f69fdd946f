"""What each event carries and to whom (core.authz rules asked for the subscriber), with jobs run inline; the
target checked again at every attempt; giving up after the last attempt; no intent when nobody subscribes."""
from sqlalchemy import func, select

from core.audit import utcnow
from core.extensions import db
from core.jobs import JobIntent
from projects import milestones as milestone_services
from projects import services as project_services
from projects.models import Milestone, Submission
from tests.factories import (issue_credentials, make_application, make_chapter, make_delivered_project,
                             make_project, make_user)
from tests.servers import free_port
from tests.webhooks.receiver import verified
from webhooks import services
from webhooks.models import WebhookAttempt, WebhookDelivery


def subscribe(user, receiver, *events):
    subscription, secret = services.create_subscription(user, f"{receiver.url}?who={user.handle}", list(events))
    return subscription, secret


def received_by(receiver) -> list[str]:
    return sorted(request["path"].rsplit("=", 1)[1] for request in receiver.requests)


def test_a_project_opening_recruiting_reaches_every_subscriber_with_its_public_fields(app, receiver):
    lead, partner = make_user("lead"), make_user("partner")
    _, secret = subscribe(partner, receiver, "project.recruiting")
    subscribe(make_user("other"), receiver, "credential.issued")
    project = make_project(make_chapter(lead, name="Lyon Freelancers"), status="draft", title="Water map")
    project_services.transition_project(project, lead, "open")
    assert received_by(receiver) == ["partner"]
    payload = verified(secret, receiver.requests[0])
    assert payload["type"] == "project.recruiting"
    data = payload["data"]["project"]
    assert (data["id"], data["title"], data["status"]) == (project.id, "Water map", "recruiting")
    assert data["url"] == f"{app.config['BASE_URL']}/projects/{project.id}"
    assert data["chapter"]["name"] == "Lyon Freelancers" and "problem" not in data


def test_a_credential_of_a_hidden_profile_reaches_only_its_holder(app, receiver):
    lead = make_user("lead")
    shown, hidden = make_user("shown"), make_user("hidden", profile_hidden=True)
    for user in (shown, hidden, make_user("partner")):
        subscribe(user, receiver, "credential.issued")
    project = make_delivered_project(make_chapter(lead), team=(shown, hidden))
    issue_credentials(project)
    holders = sorted((r["path"].rsplit("=", 1)[1], r["body"]) for r in receiver.requests)
    # The partner and the shown member hear of the shown member's credential; the hidden member of both.
    assert sorted((who, '"holder":"hidden"' in body) for who, body in holders) == [
        ("hidden", False), ("hidden", True), ("partner", False), ("shown", False)]


def test_a_milestone_review_carries_the_decision_not_the_comment(app, receiver):
    lead, member, partner = make_user("lead"), make_user("member"), make_user("partner")
    _, secret = subscribe(partner, receiver, "milestone.reviewed")
    project = make_project(make_chapter(lead), status="active", team=(member,))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    milestone.status = "submitted"
    db.session.add(Submission(milestone_id=milestone.id, author_id=member.id, note="Here it is"))
    db.session.commit()
    milestone_services.review_milestone(milestone, lead, "request_changes", "Secret remark for the team")
    payload = verified(secret, receiver.requests[0])
    assert payload["data"]["milestone"]["decision"] == "changes_requested"
    assert "Secret remark" not in receiver.requests[0]["body"]


def test_an_application_decision_is_not_sent_to_a_suspended_applicant(app, receiver):
    lead, applicant = make_user("lead"), make_user("applicant")
    subscribe(applicant, receiver, "application.decided")
    subscribe(lead, receiver, "application.decided")
    application = make_application(make_project(make_chapter(lead)), applicant)
    applicant.suspended_at = utcnow()
    db.session.commit()
    project_services.decide_application(application, lead, "decline")
    assert received_by(receiver) == ["lead"]


def test_nothing_is_queued_when_nobody_subscribes(app):
    lead = make_user("lead")
    project = make_project(make_chapter(lead), status="draft")
    project_services.transition_project(project, lead, "open")
    assert db.session.scalar(select(func.count()).select_from(JobIntent)
                             .where(JobIntent.name.like("webhooks.%"))) == 0


def test_the_target_is_checked_again_at_every_attempt(app, receiver):
    partner, lead = make_user("partner"), make_user("lead")
    subscribe(partner, receiver, "project.recruiting")
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False  # as if the name now led to a private address
    project = make_project(make_chapter(lead), status="draft")
    project_services.transition_project(project, lead, "open")
    assert receiver.requests == []
    attempt = db.session.scalar(select(WebhookAttempt))
    assert (attempt.status_code, attempt.error) == (None, "target")


def test_a_delivery_is_given_up_after_its_last_attempt(app):
    app.config.update(WEBHOOK_MAX_ATTEMPTS=2, WEBHOOK_DISABLE_AFTER=10)
    partner, lead = make_user("partner"), make_user("lead")
    subscription, _ = services.create_subscription(partner, f"http://127.0.0.1:{free_port()}/down",
                                                   ["project.recruiting"])
    project_services.transition_project(make_project(make_chapter(lead), status="draft"), lead, "open")
    delivery = db.session.scalar(select(WebhookDelivery))
    assert (delivery.attempts, delivery.status) == (1, "pending")
    assert services.deliver(delivery.id) == "failed"
    db.session.commit()
    db.session.expire_all()
    assert (delivery.attempts, delivery.status, delivery.next_attempt_at) == (2, "failed", None)
    assert (subscription.status, subscription.consecutive_failures) == ("active", 2)
    assert services.deliver(delivery.id) == ""  # a failed delivery is not tried again
    pending = db.session.scalar(select(func.count()).select_from(JobIntent).where(
        JobIntent.name == "webhooks.tasks.deliver", JobIntent.status == "pending"))
    assert pending == 1  # the retry of the first failure, which will find it failed and do nothing


def test_a_success_starts_the_failure_count_over(app, receiver):
    partner, lead = make_user("partner"), make_user("lead")
    subscription, _ = subscribe(partner, receiver, "project.recruiting")
    subscription.consecutive_failures = 4
    db.session.commit()
    project_services.transition_project(make_project(make_chapter(lead), status="draft"), lead, "open")
    db.session.expire_all()
    assert subscription.consecutive_failures == 0 and len(receiver.requests) == 1
