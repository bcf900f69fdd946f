"""The day-before reminder: to the members going (not those waiting), once per event, again when it moves;
through the scheduler's job on a real RQ worker, in the app and by email."""
import pytest
from sqlalchemy import select

from accounts import notifications
from accounts.models import Notification
from core.extensions import db
from core.schedule import PERIODIC
from events import tasks
from tests.conftest import fresh
from tests.factories import make_chapter, make_event, make_rsvp, make_user


def reminded():
    return sorted(db.session.scalars(select(Notification.user_id).where(Notification.kind == "event.reminder")))


def test_members_going_are_reminded_once_the_day_before(app):
    chapter = make_chapter(make_user())
    tomorrow, later = make_event(chapter, starts_in_hours=20), make_event(chapter, starts_in_hours=50)
    going, waiting = make_user(), make_user()
    make_rsvp(tomorrow, going)
    make_rsvp(tomorrow, waiting, status="waiting")
    make_rsvp(later, make_user())
    make_event(chapter, starts_in_hours=10, status="cancelled")
    assert tasks.send_event_reminders() == 1
    db.session.commit()
    assert reminded() == [going.id]
    assert tasks.send_event_reminders() == 0
    db.session.commit()
    assert reminded() == [going.id] and fresh(tomorrow).reminded_at is not None
    assert "events.tasks.send_event_reminders" in PERIODIC


@pytest.mark.redis
def test_the_reminder_goes_out_through_a_real_worker_by_email(app, redis_url, mail_sink):
    from rq import Queue
    from redis import Redis

    from core.jobs import QUEUE, run_periodic
    from tests.servers import run_worker_burst

    app.config["REDIS_URL"] = redis_url
    chapter = make_chapter(make_user())
    event = make_event(chapter, starts_in_hours=20, title="Pricing workshop")
    by_email, in_app = make_user("mailme", locale="en"), make_user("apponly")
    make_rsvp(event, by_email)
    make_rsvp(event, in_app)
    notifications.set_preference(in_app, "event.reminder", "app")
    db.session.commit()
    Queue(QUEUE, connection=Redis.from_url(redis_url)).enqueue(run_periodic, "events.tasks.send_event_reminders")
    run_worker_burst(app)
    db.session.expire_all()
    assert reminded() == sorted([by_email.id, in_app.id])
    recipients = [rcpt for rcpts, _ in mail_sink.messages for rcpt in rcpts]
    assert recipients == [by_email.email]
    assert "Pricing workshop" in str(mail_sink.messages[0][1]["Subject"]) + mail_sink.messages[0][1].as_string()
