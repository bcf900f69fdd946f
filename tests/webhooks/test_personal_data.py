"""A member's webhooks are in their data export without the secret, and are deleted with their account."""
import json

from sqlalchemy import select

from core import personal_data
from core.extensions import db
from tests.factories import make_user
from webhooks import services
from webhooks.models import WebhookSubscription


def test_the_export_lists_the_webhooks_without_their_secrets(app):
    member, other = make_user("partner"), make_user("other")
    _, secret = services.create_subscription(member, "https://93.184.215.14/hook", ["credential.issued"])
    services.create_subscription(other, "https://93.184.215.14/other", ["credential.issued"])
    files = {path: content for part, path, content in personal_data.files_of(member) if part == "webhooks"}
    [subscription] = json.loads(files["webhooks/subscriptions.json"])
    assert subscription["url"] == "https://93.184.215.14/hook" and subscription["events"] == ["credential.issued"]
    assert secret.encode() not in files["webhooks/subscriptions.json"]


def test_deleting_an_account_deletes_its_webhooks(app):
    member, other = make_user("partner"), make_user("other")
    services.create_subscription(member, "https://93.184.215.14/hook", ["credential.issued"])
    services.create_subscription(other, "https://93.184.215.14/other", ["credential.issued"])
    personal_data.ERASERS["webhooks"](personal_data.Erasure(member.id, member.name, member.handle, member.email))
    db.session.commit()
    assert db.session.scalars(select(WebhookSubscription.user_id)).all() == [other.id]
