"""Periodic jobs: packages register them here; `flask scheduler` runs them with RQ's cron scheduler.

Like core.pages and core.cli seeders, this is a registry so `core` never
imports a domain package: `accounts` registers its daily digest, `projects`
will register milestone reminders and the weekly lead summary.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Periodic:
    """`job` (a dotted name, called with no arguments) runs on `cron` (5 fields, UTC) or every `interval` seconds."""

    job: str
    cron: str | None = None
    interval: int | None = None


PERIODIC: dict[str, Periodic] = {}


def periodic(job: str, *, cron: str | None = None, interval: int | None = None) -> Periodic:
    """Register `job` to run on a schedule; registering the same job again replaces its schedule."""
    if (cron is None) == (interval is None):
        raise ValueError("Give exactly one of cron or interval.")
    PERIODIC[job] = Periodic(job, cron, interval)
    return PERIODIC[job]


# The sweep that hands over intents nobody finished: the outbox's safety net.
periodic("core.jobs.sweep", interval=60)


def cron_scheduler(connection, queue_name: str):
    """An RQ CronScheduler with every registered periodic job (each wrapped by core.jobs.run_periodic)."""
    from rq.cron import CronScheduler

    from core.jobs import run_periodic

    scheduler = CronScheduler(connection=connection)
    for item in PERIODIC.values():
        scheduler.register(run_periodic, queue_name, args=(item.job,), cron=item.cron,
                           interval=item.interval, name=item.job, job_timeout=600)
    return scheduler
