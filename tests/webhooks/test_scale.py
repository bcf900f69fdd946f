"""`flask seed-scale` makes webhooks with long delivery logs; the log page reads the same few statements there."""
from sqlalchemy import func, select

from accounts.models import User
from core.extensions import db
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.scale import LOG_LENGTH


def test_seed_scale_makes_webhook_logs_and_the_log_page_stays_at_a_few_statements(runner, client, auth, queries):
    result = runner.invoke(args=["seed-scale", "--scale", "0.001", "--projects", "20", "--applications", "50",
                                 "--milestones", "40", "--webhooks", "3", "--quiet"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(WebhookSubscription)) == 3
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 3 * LOG_LENGTH
    assert db.session.scalar(select(func.count()).select_from(WebhookAttempt)) >= 3 * LOG_LENGTH
    subscription = db.session.scalar(select(WebhookSubscription).order_by(WebhookSubscription.id))
    auth.login_as(db.session.get(User, subscription.user_id))
    with queries() as statements:
        page = client.get(f"/me/webhooks/{subscription.id}")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('class="font-monospace text-break">msg_scale') == 50
    assert len(statements) <= 6
