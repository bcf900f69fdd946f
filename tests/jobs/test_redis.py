"""Jobs on a real Redis with real RQ worker processes (`flask worker`), sharing the test's
database; the faults: Redis down during a request, a worker killed mid-job. Each fault test
asserts that nothing is lost and nothing is done twice."""
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from core import jobs
from core.audit import utcnow
from core.config import TEST_CONFIG
from core.extensions import db
from core.jobs import JobIntent
from tests.factories import make_admin, make_user
from tests.jobs.conftest import join, make_lyon
from tests.jobs.tasks import bio_of
from tests.servers import RedisServer, kill_worker, run_worker_burst, start_worker, wait_for

pytestmark = pytest.mark.redis


def statuses():
    db.session.expire_all()
    return sorted((i.name, i.status) for i in db.session.scalars(select(JobIntent)))


def received(sink):
    """(recipient, subject) of every message, in order."""
    return sorted((rcpt, str(msg["Subject"])) for rcpts, msg in sink.messages for rcpt in rcpts)


@pytest.fixture
def queued(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    return app


def test_a_job_enqueued_by_a_request_runs_on_a_real_worker(queued, client, auth, chapter, mail_sink):
    join(client, auth, chapter)
    assert mail_sink.messages == []  # queued, not run in the request
    assert jobs.queue().count == 2
    auth.login_as(make_admin())
    assert "Redis reachable, 2 jobs waiting in the queue." in client.get("/admin/jobs").get_data(as_text=True)
    health = client.get("/healthz").json
    assert health["checks"] == {"database": "ok", "redis": "ok"} and health["queue_depth"] == 2
    run_worker_burst(queued)
    assert received(mail_sink) == [("lea@example.org", "Ada Lovelace a rejoint Lyon Freelancers."),
                                   ("sam@example.org", "Ada Lovelace joined Lyon Freelancers.")]
    assert statuses() == [("accounts.tasks.email_notification", "done")] * 2
    assert jobs.queue().count == 0


def test_redis_down_during_a_request_then_back_loses_and_duplicates_nothing(app, client, auth, chapter, mail_sink):
    server = RedisServer().start()
    try:
        app.config["REDIS_URL"] = server.url
        server.stop()
        join(client, auth, chapter)  # the request succeeds: the intents are in the database
        assert mail_sink.messages == []
        assert statuses() == [("accounts.tasks.email_notification", "pending")] * 2
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json["status"] == "degraded", health.json
        assert health.json["checks"]["redis"] == "error"
        server.start()  # an empty Redis: whatever it held is gone
        assert jobs.sweep() == 0  # not overdue yet
        assert jobs.sweep(now=utcnow() + timedelta(seconds=app.config["JOBS_SWEEP_AFTER"] + 1)) == 2
        run_worker_burst(app)
        assert received(mail_sink) == [("lea@example.org", "Ada Lovelace a rejoint Lyon Freelancers."),
                                       ("sam@example.org", "Ada Lovelace joined Lyon Freelancers.")]
        assert statuses() == [("accounts.tasks.email_notification", "done")] * 2
        # Sweeping and working again later changes nothing.
        assert jobs.sweep(now=utcnow() + timedelta(days=1)) == 0
        run_worker_burst(app)
        assert len(mail_sink.messages) == 2
    finally:
        server.remove()


def test_a_worker_killed_mid_job_leaves_work_the_sweep_finishes_exactly_once(queued, tmp_path):
    user = make_user(bio="")
    flag = tmp_path / "slow"
    flag.write_text("wait")
    jobs.enqueue("tests.jobs.tasks.slow_mark", user.id)
    db.session.commit()
    worker = start_worker(queued, SLOW_JOB_FLAG=flag)
    started = Path(f"{flag}.started")
    try:
        wait_for(lambda: started.exists() and started.read_text(), timeout=30, what="the job to start")
    finally:
        # SIGKILL to the worker and to the child running the job, in the middle of the job.
        output = kill_worker(worker, job_pid=int(started.read_text()) if started.exists() else None)
    assert statuses() == [("tests.jobs.tasks.slow_mark", "running")], output
    assert bio_of(user.id) == ""
    flag.unlink()
    worker = start_worker(queued, SLOW_JOB_FLAG=flag)
    try:
        assert jobs.sweep() == 0  # the lease still runs: the sweep cannot know the worker died
        assert jobs.sweep(now=utcnow() + timedelta(seconds=queued.config["JOBS_LEASE"] + 1)) == 1
        wait_for(lambda: statuses() == [("tests.jobs.tasks.slow_mark", "done")], what="the job to finish")
        assert jobs.sweep(now=utcnow() + timedelta(days=1)) == 0
    finally:
        kill_worker(worker, signal.SIGTERM)
    assert bio_of(user.id) == "x"  # "xx" would mean it ran twice
    assert db.session.scalar(select(JobIntent.attempts)) == 2


def scenario(client, auth, runner, sink, worker=None):
    chapter = make_lyon()
    join(client, auth, chapter)
    join(client, auth, chapter, name="Bob Builder", handle="bob")
    if worker:
        worker()
    runner.invoke(args=["jobs", "run", "accounts.tasks.send_daily_digests"], catch_exceptions=False)
    if worker:
        worker()
    return received(sink), statuses()


def test_inline_and_queued_modes_give_the_same_results(app, client, auth, runner, mail_sink, redis_url):
    from tests.conftest import empty_tables

    inline = scenario(client, auth, runner, mail_sink)
    assert len(inline[0]) == 5  # 2 joins × 2 email leads, 1 digest
    empty_tables()
    mail_sink.messages.clear()
    app.config["REDIS_URL"] = redis_url
    queued = scenario(client, auth, runner, mail_sink, worker=lambda: run_worker_burst(app))
    assert queued == inline


def test_sign_in_rate_limit_is_kept_in_redis_and_shared_by_web_processes(_schema, redis_url):
    from redis import Redis

    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _schema, "RATELIMIT_STORAGE_URI": redis_url,
              "LOGIN_RATE_LIMIT": "3 per minute"}
    web1, web2 = create_app(config).test_client(), create_app(config).test_client()
    attempt = {"email": "nobody@example.org", "password": "wrong password"}
    codes = [web1.post("/auth/login", data=attempt).status_code,
             web2.post("/auth/login", data=attempt).status_code,
             web1.post("/auth/login", data=attempt).status_code,
             web2.post("/auth/login", data=attempt).status_code]
    assert codes == [400, 400, 400, 429]
    assert any(b"login" in key for key in Redis.from_url(redis_url).keys("LIMIT*"))


def test_the_same_notification_job_run_twice_sends_one_mail(queued, client, auth, chapter, mail_sink):
    """Two outbox intents for the same notification, both run by a real RQ worker: one mail each lead."""
    join(client, auth, chapter)
    for args in db.session.scalars(select(JobIntent.args)).all():
        jobs.enqueue("accounts.tasks.email_notification", *args)
    db.session.commit()
    assert jobs.queue().count == 4
    run_worker_burst(queued)
    assert received(mail_sink) == [("lea@example.org", "Ada Lovelace a rejoint Lyon Freelancers."),
                                   ("sam@example.org", "Ada Lovelace joined Lyon Freelancers.")]
    assert statuses() == [("accounts.tasks.email_notification", "done")] * 4


def test_the_same_rq_job_delivered_twice_runs_the_task_once(queued):
    """RQ holds two copies of one intent's job (a sweep raced a slow hand-over): the task runs once."""
    user = make_user(bio="")
    intent = jobs.enqueue("tests.jobs.tasks.mark", user.id)
    db.session.commit()
    jobs.hand_over(queued, [intent.id])
    assert jobs.queue().count == 2
    run_worker_burst(queued)
    assert bio_of(user.id) == "x"  # "xx" would mean both copies ran it
    assert statuses() == [("tests.jobs.tasks.mark", "done")]
    assert db.session.scalar(select(JobIntent.attempts)) == 1

