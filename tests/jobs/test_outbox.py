"""The outbox (core/jobs.py) without Redis: intents written in the caller's transaction, run
inline after commit, idempotent, retried with back-off, swept, retried by admins."""
from datetime import timedelta

from sqlalchemy import func, select

from core import jobs
from core.audit import utcnow
from core.extensions import db
from core.jobs import JobIntent
from tests.factories import make_admin, make_user
from tests.jobs.tasks import bio_of


def intents():
    db.session.expire_all()
    return db.session.scalars(select(JobIntent).order_by(JobIntent.id)).all()


def test_the_intent_is_written_in_the_callers_transaction_and_run_after_commit(app):
    user = make_user(bio="")
    jobs.enqueue("tests.jobs.tasks.mark", user.id)
    assert bio_of(user.id) == ""
    db.session.commit()
    assert bio_of(user.id) == "x"
    [intent] = intents()
    assert (intent.name, intent.args, intent.status, intent.attempts) == ("tests.jobs.tasks.mark", [user.id], "done", 1)


def test_a_rolled_back_transaction_leaves_no_intent_and_runs_nothing(app):
    user = make_user(bio="")
    jobs.enqueue("tests.jobs.tasks.mark", user.id)
    db.session.rollback()
    db.session.commit()
    assert intents() == [] and bio_of(user.id) == ""


def test_a_done_intent_never_runs_again(app):
    user = make_user(bio="")
    jobs.enqueue("tests.jobs.tasks.mark", user.id)
    db.session.commit()
    intent_id = intents()[0].id
    assert jobs.run_intent(intent_id) == "skipped"
    assert jobs.sweep(now=utcnow() + timedelta(days=1)) == 0
    assert bio_of(user.id) == "x"


def test_a_failing_task_is_retried_with_back_off_then_marked_failed(app):
    app.config["JOBS_MAX_ATTEMPTS"] = 2
    user = make_user()
    jobs.enqueue("tests.jobs.tasks.boom", user.id)
    db.session.commit()  # the request that caused it still succeeds
    [intent] = intents()
    assert (intent.status, intent.attempts) == ("pending", 1)
    assert "the task failed" in intent.last_error
    assert intent.run_after.replace(tzinfo=None) > utcnow().replace(tzinfo=None) + timedelta(seconds=50)
    assert jobs.sweep() == 0  # not due yet
    assert jobs.sweep(now=utcnow() + timedelta(hours=1)) == 1
    [intent] = intents()
    assert (intent.status, intent.attempts) == ("failed", 2)
    assert jobs.sweep(now=utcnow() + timedelta(days=30)) == 0  # failed intents wait for an admin


def test_the_sweep_takes_back_a_running_intent_whose_lease_expired(app):
    """A worker died mid-job: its intent stays "running" until the lease ends, then runs once."""
    user = make_user(bio="")
    intent = JobIntent(name="tests.jobs.tasks.mark", args=[user.id], status="running", attempts=1,
                       run_after=utcnow() + timedelta(seconds=app.config["JOBS_LEASE"]))
    db.session.add(intent)
    db.session.commit()
    assert jobs.sweep() == 0  # the lease still runs: maybe the worker is only slow
    assert jobs.sweep(now=utcnow() + timedelta(seconds=app.config["JOBS_LEASE"] + 1)) == 1
    assert bio_of(user.id) == "x" and intents()[0].status == "done"


def test_after_the_sweep_took_a_lease_back_a_second_copy_of_the_job_does_nothing(app):
    """The job runs once after the takeover; a late copy of it (from RQ) finds it done."""
    user = make_user(bio="")
    db.session.add(JobIntent(name="tests.jobs.tasks.mark", args=[user.id], status="pending"))
    db.session.commit()
    intent_id = intents()[0].id
    # Another runner claims it first (attempt 1) and its lease is taken back by the sweep.
    db.session.execute(JobIntent.__table__.update().values(status="running", attempts=1,
                                                          run_after=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    jobs.sweep()
    assert bio_of(user.id) == "x"
    assert jobs.run_intent(intent_id) == "skipped"
    assert bio_of(user.id) == "x"


def test_flask_jobs_sweep_and_status(app, runner):
    user = make_user(bio="")
    db.session.add(JobIntent(name="tests.jobs.tasks.mark", args=[user.id], status="pending",
                             run_after=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    result = runner.invoke(args=["jobs", "sweep"])
    assert result.exit_code == 0 and "1 job(s) handed over." in result.output
    assert bio_of(user.id) == "x"
    status = runner.invoke(args=["jobs", "status"])
    assert "done     1" in status.output


def test_flask_worker_needs_redis(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_an_admin_sees_failed_jobs_and_retries_one(client, auth):
    user = make_user(bio="")
    intent = JobIntent(name="tests.jobs.tasks.mark", args=[user.id], status="failed", attempts=6,
                       last_error="SMTPServerDisconnected: gone")
    db.session.add(intent)
    db.session.commit()
    auth.login_as(make_admin())
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "tests.jobs.tasks.mark" in page and "SMTPServerDisconnected: gone" in page
    assert "No Redis configured" in page
    response = client.post(f"/admin/jobs/{intent.id}/retry")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/jobs"
    assert bio_of(user.id) == "x" and intents()[0].status == "done"
    assert "No failed or unfinished jobs." in client.get("/admin/jobs").get_data(as_text=True)
    refused = client.post(f"/admin/jobs/{intent.id}/retry")  # done jobs are not run again
    assert refused.status_code == 302 and bio_of(user.id) == "x"


def test_the_periodic_jobs_are_registered_for_the_cron_scheduler():
    from core.schedule import PERIODIC

    assert PERIODIC["core.jobs.sweep"].interval == 60
    assert PERIODIC["accounts.tasks.send_daily_digests"].cron == "0 7 * * *"


def test_no_overdue_intents_counted_when_all_are_done(app):
    assert db.session.scalar(select(func.count()).select_from(JobIntent)) == 0
    assert jobs.overdue_count() == 0


# --- lease fencing: every write of a run and of the sweep is conditional on the attempt it read ---


def claimed_intent(app, task="tests.jobs.tasks.mark"):
    """A user and an intent for `task` that a worker has claimed (attempt 1, lease running)."""
    user = make_user(bio="")
    intent = JobIntent(name=task, args=[user.id], status="pending")
    db.session.add(intent)
    db.session.commit()
    assert jobs.claim(intent.id) == 1
    return user, intent.id


def after_the_lease(app):
    return utcnow() + timedelta(seconds=app.config["JOBS_LEASE"] + 1)


def test_the_sweep_does_not_rerun_an_intent_a_worker_finished_between_its_read_and_its_write(app, monkeypatch):
    """Interleaving: the sweep reads the expired running intent, the worker finishes, the sweep writes."""
    user, intent_id = claimed_intent(app)
    read_overdue = jobs.overdue

    def worker_finishes_right_after_the_read(now, limit=500):
        rows = read_overdue(now, limit)
        assert [row[0] for row in rows] == [intent_id]
        from tests.jobs.tasks import mark

        mark(user.id)  # the slow worker's task ends and it marks its attempt done
        assert jobs.finish(intent_id, 1)
        return rows

    monkeypatch.setattr(jobs, "overdue", worker_finishes_right_after_the_read)
    assert jobs.sweep(now=after_the_lease(app)) == 0
    [intent] = intents()
    assert (intent.status, intent.attempts) == ("done", 1)
    assert bio_of(user.id) == "x"  # "xx" would mean the sweep ran it again


def test_a_worker_whose_lease_was_taken_back_cannot_finish_the_new_attempt(app):
    user, intent_id = claimed_intent(app)
    assert jobs.take_back(jobs.overdue(after_the_lease(app))) == [intent_id]
    assert jobs.claim(intent_id) == 2  # the new run, handed over by the sweep
    from tests.jobs.tasks import mark

    mark(user.id)
    assert jobs.finish(intent_id, 1) is False  # the old worker wakes up: its writes are dropped
    [intent] = intents()
    assert (intent.status, intent.attempts) == ("running", 2) and bio_of(user.id) == ""
    mark(user.id)
    assert jobs.finish(intent_id, 2) is True
    assert intents()[0].status == "done" and bio_of(user.id) == "x"


def test_a_worker_whose_lease_was_taken_back_cannot_record_a_failure_over_the_hand_over(app):
    """The old run fails after the sweep put the intent back to pending: the intent stays pending
    for its new run instead of being marked failed (or pushed back by a back-off)."""
    app.config["JOBS_MAX_ATTEMPTS"] = 1
    user, intent_id = claimed_intent(app)
    assert jobs.take_back(jobs.overdue(after_the_lease(app))) == [intent_id]
    assert jobs.record_failure(intent_id, 1, RuntimeError("late failure")) == "skipped"
    [intent] = intents()
    assert (intent.status, intent.attempts, intent.last_error) == ("pending", 1, None)
    assert jobs.run_intent(intent_id) == "done" and bio_of(user.id) == "x"


def test_the_sweep_does_not_take_back_an_intent_a_worker_claimed_after_its_read(app):
    user = make_user(bio="")
    intent = JobIntent(name="tests.jobs.tasks.mark", args=[user.id], status="pending",
                       run_after=utcnow() - timedelta(seconds=1))
    db.session.add(intent)
    db.session.commit()
    rows = jobs.overdue(utcnow())
    assert jobs.claim(intent.id) == 1  # a worker (a copy from RQ) claims it meanwhile
    assert jobs.take_back(rows) == []
    [intent] = intents()
    assert (intent.status, intent.attempts) == ("running", 1)
    assert jobs.finish(intent.id, 1)


def test_two_claims_of_the_same_intent_give_one_attempt(app):
    user, intent_id = claimed_intent(app)
    assert jobs.claim(intent_id) is None
    assert intents()[0].attempts == 1
