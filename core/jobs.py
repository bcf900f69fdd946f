"""Background work through a durable outbox: enqueue("package.tasks.fn", *ids).

`enqueue` writes a JobIntent row in the caller's transaction, so the intent is
exactly as durable as the change that caused it. After the commit the intent
is handed over: to RQ when REDIS_URL is set, otherwise run inline in a fresh
app context. `run_intent` (what RQ executes) claims the intent, runs the task
and marks the intent done in the same transaction as the task's own writes.

Nothing is lost: an intent that is not done when its `run_after` passes (Redis
was down, a worker died, a task failed) is handed over again by `sweep()`.
Nothing is done twice: claiming is one conditional UPDATE, so of two copies of
the same job only one runs, and a done intent is never run again. Every later
write of a run, and every sweep update, is fenced by the attempt number it read:
a run whose lease was taken back cannot finish or reschedule the intent, and a
sweep never takes back an intent finished between its read and its write. Tasks take
ids, never ORM objects, must not commit, and must be idempotent.
"""
from __future__ import annotations

import logging
import traceback
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Index, String, Text, event, func, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import audit, logs, personal_data
from core.audit import utcnow
from core.authz import require
from core.errors import DomainError
from core.extensions import db

PENDING = "chapterhouse_pending_jobs"
STATUSES = ("pending", "running", "done", "failed")
QUEUE = "default"
log = logging.getLogger(__name__)
# Marked for translation: the admin page and the audit log show these names.
NAMES = [_l("job"), _l("pending"), _l("running"), _l("done"), _l("failed")]


class JobIntent(db.Model):
    """One unit of background work that must happen once: the outbox row."""

    __tablename__ = "job_intent"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'running', 'done', 'failed')", name="status_known"),
        Index("ix_job_intent_status_run_after", "status", "run_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    args: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # When the sweep may hand this intent over again (a lease while running, a back-off after a failure).
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _seconds(name: str) -> timedelta:
    return timedelta(seconds=current_app.config[name])


def enqueue(dotted: str, *ids) -> JobIntent:
    """Record the job `dotted(*ids)` in the current transaction; it is handed over after commit."""
    intent = JobIntent(name=dotted, args=list(ids), status="pending",
                       run_after=utcnow() + _seconds("JOBS_SWEEP_AFTER"))
    session = db.session()
    session.add(intent)
    session.info.setdefault(PENDING, []).append(intent)
    return intent


def resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


def claim(intent_id: int) -> int | None:
    """Take a pending intent for one run; returns this run's attempt number, or None if not ours.

    The claim is conditional on the attempt count it read, so of two copies of a job only one
    wins, and every later write of this run is fenced by the attempt number it returns.
    """
    row = db.session.execute(select(JobIntent.status, JobIntent.attempts)
                             .where(JobIntent.id == intent_id)).first()
    if row is None or row.status != "pending":
        db.session.rollback()
        return None
    attempt, now = row.attempts + 1, utcnow()
    claimed = db.session.execute(
        update(JobIntent).where(JobIntent.id == intent_id, JobIntent.status == "pending",
                                JobIntent.attempts == row.attempts)
        .values(status="running", attempts=attempt, updated_at=now,
                run_after=now + _seconds("JOBS_LEASE"))).rowcount
    db.session.commit()
    return attempt if claimed else None


def _write_if_still_ours(intent_id: int, attempt: int, **values) -> bool:
    """Update the intent only while run `attempt` still holds it (running, same attempt number).

    A sweep that took the lease back, or a later attempt, makes this a no-op: a run whose lease
    was lost can neither finish, fail nor reschedule an intent any more.
    """
    return bool(db.session.execute(
        update(JobIntent).where(JobIntent.id == intent_id, JobIntent.status == "running",
                                JobIntent.attempts == attempt)
        .values(updated_at=utcnow(), **values)).rowcount)


def finish(intent_id: int, attempt: int) -> bool:
    """Mark the intent done with the task's writes, if run `attempt` still holds it; else drop them."""
    if not _write_if_still_ours(intent_id, attempt, status="done", last_error=None):
        db.session.rollback()
        return False
    db.session.commit()
    return True


def record_failure(intent_id: int, attempt: int, error: Exception) -> str:
    """Record a failed run (back-off, or failed for good); "retry", "failed", or "skipped" if no longer ours."""
    db.session.rollback()
    give_up = attempt >= current_app.config["JOBS_MAX_ATTEMPTS"]
    backoff = timedelta(seconds=current_app.config["JOBS_RETRY_DELAY"] * 2 ** (attempt - 1))
    detail = "".join(traceback.format_exception_only(type(error), error)).strip()
    recorded = _write_if_still_ours(intent_id, attempt, status="failed" if give_up else "pending",
                                    last_error=detail[:2000], run_after=utcnow() + backoff)
    db.session.commit()
    if not recorded:
        return "skipped"
    return "failed" if give_up else "retry"


def _request_id_of_rq_job() -> str | None:
    """The id of the request that enqueued the RQ job running now (its meta), if any."""
    try:
        from rq import get_current_job
    except ImportError:  # pragma: no cover - rq is a dependency
        return None
    job = get_current_job()
    return job.meta.get("request_id") if job is not None else None


def run_intent(intent_id: int) -> str:
    """Claim intent `intent_id`, run its task and mark it done; what RQ executes.

    Returns what happened: "done", "skipped" (done already, another runner holds it, or this
    run's lease was taken back), "retry" or "failed". Failures are recorded on the intent, not raised.
    Its log lines carry the id of the request that enqueued it.
    """
    request_id = _request_id_of_rq_job() or logs.current_request_id()
    with logs.bound(request_id):
        outcome = _run_intent(intent_id)
        log.info("Job %s: %s", intent_id, outcome, extra={"intent_id": intent_id, "outcome": outcome})
        return outcome


def _run_intent(intent_id: int) -> str:
    attempt = claim(intent_id)
    if attempt is None:
        return "skipped"
    intent = db.session.get(JobIntent, intent_id)
    name, args = intent.name, list(intent.args)
    try:
        resolve(name)(*args)
        return "done" if finish(intent_id, attempt) else "skipped"
    except Exception as error:  # any task failure is recorded on the intent and retried later
        db.session.rollback()
        log.exception("Job %s%r failed (attempt %d)", name, tuple(args), attempt)
        return record_failure(intent_id, attempt, error)


def run_periodic(dotted: str) -> None:
    """What the cron scheduler enqueues: run a registered periodic job now (it enqueues its own intents)."""
    resolve(dotted)()
    db.session.commit()


# --- handing intents over ------------------------------------------------------------------


def redis_connection():
    from redis import Redis

    timeout = current_app.config["REDIS_TIMEOUT"]
    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=timeout,
                          socket_timeout=timeout)


def queue():
    from rq import Queue

    return Queue(QUEUE, connection=redis_connection())


def hand_over(app, intent_ids: list[int]) -> int:
    """Give intents to RQ, or run them inline; returns how many were handed over.

    When Redis cannot be reached the intents simply stay pending: the sweep retries later.
    """
    if not intent_ids:
        return 0
    request_id = logs.current_request_id()  # the jobs log under the id of the request that caused them
    if not app.config.get("REDIS_URL"):
        for intent_id in intent_ids:
            try:
                with logs.bound(request_id), app.app_context():
                    run_intent(intent_id)
            except Exception:  # e.g. the database went away: the intent stays for the sweep
                app.logger.exception("Inline job %s could not run; left for the sweep", intent_id)
        return len(intent_ids)
    from redis.exceptions import RedisError

    try:
        with app.app_context():
            q = queue()
            lease = app.config["JOBS_LEASE"]
            for intent_id in intent_ids:
                # The job must end (RQ kills it) before its lease does, so a sweep never overlaps it.
                q.enqueue("core.jobs.run_intent", intent_id, job_timeout=max(lease - 30, lease // 2),
                          result_ttl=3600, failure_ttl=7 * 86400, meta={"request_id": request_id})
    except RedisError as error:
        app.logger.warning("Redis unavailable, %d job(s) left for the sweep: %s", len(intent_ids), error)
        return 0
    return len(intent_ids)


def overdue(now: datetime, limit: int = 500) -> list[tuple[int, str, int]]:
    """(id, status, attempts) of the intents not done whose `run_after` has passed, oldest first."""
    rows = db.session.execute(
        select(JobIntent.id, JobIntent.status, JobIntent.attempts)
        .where(JobIntent.status.in_(("pending", "running")), JobIntent.run_after <= now)
        .order_by(JobIntent.id).limit(limit))
    return [tuple(row) for row in rows]


def take_back(rows: list[tuple[int, str, int]]) -> list[int]:
    """Put the intents read by `overdue` back to pending; returns the ids actually taken back.

    Each update is fenced by the status and attempt number read: an intent that a worker finished,
    failed or claimed between the read and this write is left alone and not handed over.
    """
    run_after, taken = utcnow() + _seconds("JOBS_SWEEP_AFTER"), []
    for intent_id, status, attempts in rows:
        changed = db.session.execute(
            update(JobIntent).where(JobIntent.id == intent_id, JobIntent.status == status,
                                    JobIntent.attempts == attempts)
            .values(status="pending", run_after=run_after, updated_at=utcnow())).rowcount
        if changed:
            taken.append(intent_id)
    db.session.commit()
    return taken


def sweep(now: datetime | None = None, limit: int = 500) -> int:
    """Hand over again every intent not done whose `run_after` has passed; returns how many.

    A running intent past its lease belongs to a worker that died: it goes back to pending.
    """
    rows = overdue(now or utcnow(), limit)
    if not rows:
        return 0
    return hand_over(current_app._get_current_object(), take_back(rows))


def retry(intent: JobIntent, actor) -> None:
    """Put a failed (or stuck) intent back to pending with fresh attempts and hand it over (admins)."""
    require(actor, "job.retry", intent)
    if intent.status == "done":
        raise DomainError(_("This job is already done."))
    audit.record(actor, "job", intent.id, "retry", intent.status, "pending")
    intent.status, intent.attempts, intent.last_error = "pending", 0, None
    intent.run_after = utcnow() + _seconds("JOBS_SWEEP_AFTER")
    db.session.info.setdefault(PENDING, []).append(intent)
    db.session.commit()


def counts() -> dict[str, int]:
    rows = db.session.execute(select(JobIntent.status, func.count()).group_by(JobIntent.status))
    return {status: 0 for status in STATUSES} | dict(rows.all())


def overdue_count(now: datetime | None = None) -> int:
    return db.session.scalar(select(func.count()).select_from(JobIntent).where(
        JobIntent.status.in_(("pending", "running")), JobIntent.run_after <= (now or utcnow())))


def redis_status() -> dict[str, Any]:
    """Redis reachability and queue depth, for /healthz and the admin page."""
    from redis.exceptions import RedisError

    try:
        q = queue()
        q.connection.ping()
        return {"redis": "ok", "queue_depth": q.count}
    except RedisError:
        current_app.logger.exception("Health check: Redis")
        return {"redis": "error", "queue_depth": None}


# --- after commit ----------------------------------------------------------------------------


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    intents = session.info.pop(PENDING, None)
    if intents:
        # The primary key survives the commit's expiry; reading it needs no SQL.
        ids = [inspect(intent).identity[0] for intent in intents if inspect(intent).identity]
        hand_over(current_app._get_current_object(), ids)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(PENDING, None)


@personal_data.eraser("jobs")
def _erase_from_job_arguments(erasure) -> None:
    """A job may carry an address as its argument (a password reset): it goes with the account."""
    personal_data.scrub_json(JobIntent, JobIntent.args, erasure)


def enqueue_later(dotted: str, *ids, delay: timedelta) -> JobIntent:
    """Record the job `dotted(*ids)` to run no sooner than `delay` from now (a retry's back-off).

    It is not handed over at commit: the sweep (every minute) hands it over once `run_after` has passed,
    so the delay is exact to within the sweep's interval and survives restarts like any intent."""
    intent = JobIntent(name=dotted, args=list(ids), status="pending", run_after=utcnow() + delay)
    db.session.add(intent)
    return intent
