"""/me/webhooks: subscribing (the secret shown once), bad input refused next to its field with nothing saved, other
members' subscriptions invisible, and the pages' queries bounded."""
import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.extensions import db
from tests.factories import make_admin, make_user
from webhooks import services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


def count():
    return db.session.scalar(select(func.count()).select_from(WebhookSubscription))


def test_a_member_subscribes_and_sees_the_secret_once(client, auth):
    member = make_user("partner")
    auth.login_as(member)
    response = client.post("/me/webhooks", data={"url": "https://93.184.215.14/hooks",
                                                 "events": ["project.recruiting", "credential.issued"]})
    assert response.status_code == 200
    subscription = db.session.scalar(select(WebhookSubscription))
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) > 40
    assert subscription.secret in response.get_data(as_text=True)
    assert (subscription.user_id, subscription.events, subscription.status) == (
        member.id, "project.recruiting credential.issued", "active")
    assert response.headers["Cache-Control"] == "no-store"
    assert subscription.secret not in client.get("/me/webhooks").get_data(as_text=True)
    detail = client.get(f"/me/webhooks/{subscription.id}").get_data(as_text=True)
    assert subscription.secret not in detail and subscription.secret[:10] in detail
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.entity_type == "webhook")) == "create"


@pytest.mark.parametrize("data, field, message", [
    ({"url": "not a url", "events": ["project.recruiting"]}, "url", "Enter a full web address"),
    ({"url": "ftp://93.184.215.14/x", "events": ["project.recruiting"]}, "url", "Enter a full web address"),
    ({"url": "https://user:pw@93.184.215.14/x", "events": ["project.recruiting"]}, "url", "user name or password"),
    ({"url": "http://127.0.0.1:8000/hook", "events": ["project.recruiting"]}, "url", "private or local network"),
    ({"url": "http://10.1.2.3/hook", "events": ["project.recruiting"]}, "url", "private or local network"),
    ({"url": "http://169.254.169.254/latest/meta-data", "events": ["project.recruiting"]}, "url",
     "private or local network"),
    ({"url": "http://[::1]:8000/hook", "events": ["project.recruiting"]}, "url", "private or local network"),
    ({"url": "http://localhost:8000/hook", "events": ["project.recruiting"]}, "url", "private or local network"),
    ({"url": "https://93.184.215.14/hooks"}, "events", "Choose at least one event."),
    ({"url": "https://93.184.215.14/hooks", "events": ["project.deleted"]}, "events", "valid choice"),
    ({"url": "", "events": ["project.recruiting"]}, "url", "Enter the address that receives the events."),
])
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(app, client, auth, data, field, message):
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False  # as in production
    auth.login_as(make_user("partner"))
    response = client.post("/me/webhooks", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert 'id="new-secret"' not in page
    assert count() == 0


def test_a_private_target_is_accepted_only_when_the_configuration_allows_it(app, client, auth):
    auth.login_as(make_user("partner"))
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = True
    response = client.post("/me/webhooks", data={"url": "http://127.0.0.1:8000/hook", "events": ["credential.issued"]})
    assert response.status_code == 200 and count() == 1


def test_the_configuration_refuses_private_targets_by_default(app):
    from core.config import load

    assert load(app.instance_path, {})["WEBHOOK_ALLOW_PRIVATE_TARGETS"] is False
    assert load(app.instance_path, {"WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"})["WEBHOOK_ALLOW_PRIVATE_TARGETS"] is True


def test_a_member_has_at_most_ten_webhooks(client, auth):
    member = make_user("partner")
    for n in range(services.MAX_SUBSCRIPTIONS):
        services.create_subscription(member, f"https://93.184.215.14/hook{n}", ["project.recruiting"])
    auth.login_as(member)
    response = client.post("/me/webhooks", data={"url": "https://93.184.215.14/more", "events": ["credential.issued"]})
    assert response.status_code == 400 and "delete one first" in response.get_data(as_text=True)
    assert count() == services.MAX_SUBSCRIPTIONS


def test_another_members_webhook_looks_like_none_and_admins_only_read_its_log(client, auth):
    owner = make_user("owner")
    subscription, _ = services.create_subscription(owner, "https://93.184.215.14/hook", ["project.recruiting"])
    subscription.status = "disabled"
    db.session.commit()
    auth.login_as(make_user("other"))
    for method, path in (("GET", ""), ("POST", "/enable"), ("POST", "/delete")):
        assert client.open(f"/me/webhooks/{subscription.id}{path}", method=method).status_code == 404
    auth.login_as(make_admin("admin"))
    assert client.get(f"/me/webhooks/{subscription.id}").status_code == 200
    assert client.post(f"/me/webhooks/{subscription.id}/delete").status_code == 404
    db.session.expire_all()
    assert count() == 1 and subscription.status == "disabled"


def test_the_owner_deletes_a_webhook_with_its_log(client, auth):
    owner = make_user("owner")
    subscription, _ = services.create_subscription(owner, "https://93.184.215.14/hook", ["project.recruiting"])
    add_log(subscription, 2)
    auth.login_as(owner)
    assert client.post(f"/me/webhooks/{subscription.id}/delete").status_code == 302
    assert count() == 0
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
    assert db.session.scalar(select(func.count()).select_from(WebhookAttempt)) == 0


def test_turning_on_a_webhook_that_is_on_changes_nothing(client, auth):
    owner = make_user("owner")
    subscription, _ = services.create_subscription(owner, "https://93.184.215.14/hook", ["project.recruiting"])
    auth.login_as(owner)
    assert client.post(f"/me/webhooks/{subscription.id}/enable").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "enable")) == 0


def add_log(subscription, deliveries: int, attempts: int = 3) -> None:
    for n in range(deliveries):
        delivery = WebhookDelivery(subscription_id=subscription.id, message_id=f"msg_{subscription.id}_{n}",
                                   announcement=f"a{n}", event="project.recruiting", body="{}", status="failed",
                                   attempts=attempts)
        db.session.add(delivery)
        db.session.flush()
        db.session.add_all([WebhookAttempt(delivery_id=delivery.id, number=k + 1, duration_ms=3, error="timeout")
                            for k in range(attempts)])
    db.session.commit()


def test_the_webhook_pages_run_a_fixed_number_of_queries(client, auth, queries):
    owner = make_user("owner")
    small, _ = services.create_subscription(owner, "https://93.184.215.14/a", ["project.recruiting"])
    add_log(small, 1)
    auth.login_as(owner)
    with queries() as few:
        assert client.get(f"/me/webhooks/{small.id}").status_code == 200
    with queries() as few_list:
        assert client.get("/me/webhooks").status_code == 200
    big, _ = services.create_subscription(owner, "https://93.184.215.14/b", ["project.recruiting"])
    add_log(big, 40)
    for n in range(6):
        services.create_subscription(owner, f"https://93.184.215.14/c{n}", ["credential.issued"])
    with queries() as many:
        page = client.get(f"/me/webhooks/{big.id}")
    assert page.status_code == 200 and page.get_data(as_text=True).count("timed out") == 40 * 3
    with queries() as many_list:
        assert client.get("/me/webhooks").status_code == 200
    assert len(many) == len(few) <= 6
    assert len(many_list) == len(few_list) <= 5
