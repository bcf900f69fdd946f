"""Background work: enqueue("package.tasks.fn", *ids) runs after the current transaction commits.

With REDIS_URL set the job goes to RQ; without it, it runs inline in a fresh
app context (so it gets its own database session). Jobs take ids, never ORM
objects, and must be idempotent. A rolled-back transaction enqueues nothing.
"""
from __future__ import annotations

from importlib import import_module

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

PENDING = "chapterhouse_pending_jobs"


def enqueue(dotted: str, *ids) -> None:
    """Queue the job `dotted` with `ids` for when the current transaction commits."""
    from core.extensions import db

    db.session().info.setdefault(PENDING, []).append((dotted, ids))


def resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


def run_inline(app, dotted: str, ids) -> None:
    with app.app_context():
        resolve(dotted)(*ids)


def dispatch(app, jobs: list) -> None:
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        queue = Queue(connection=Redis.from_url(app.config["REDIS_URL"]))
        for dotted, ids in jobs:
            queue.enqueue(dotted, *ids)
    else:
        for dotted, ids in jobs:
            run_inline(app, dotted, ids)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    jobs = session.info.pop(PENDING, None)
    if jobs:
        dispatch(current_app._get_current_object(), jobs)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(PENDING, None)
