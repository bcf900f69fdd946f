"""Commands for background work: `flask worker`, `flask scheduler`, `flask jobs sweep|run|status`."""
from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext

from core import jobs
from core.schedule import PERIODIC, cron_scheduler


def _require_redis() -> None:
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inline in the web process.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit.")
@click.option("--name", default=None, help="Worker name (defaults to host and pid).")
@with_appcontext
def worker(burst: bool, name: str | None) -> None:
    """Run an RQ worker (with RQ's scheduler for delayed jobs) inside one app context."""
    from rq import Worker

    _require_redis()
    from core import metrics
    from core.extensions import db

    metrics.one_file_per_worker()  # PROMETHEUS_MULTIPROC_DIR: one metrics file per worker, not per job
    db.engine.dispose()
    # Each job runs in a forked child: it must open its own database connections.
    os.register_at_fork(after_in_child=lambda: db.engine.dispose(close=False))
    connection = jobs.redis_connection()
    Worker([jobs.QUEUE], connection=connection, name=name).work(burst=burst, with_scheduler=not burst)


@click.command("scheduler")
@with_appcontext
def scheduler() -> None:
    """Run RQ's cron scheduler with every registered periodic job (run exactly one)."""
    _require_redis()
    cron_scheduler(jobs.redis_connection(), jobs.QUEUE).start()


@click.group("jobs")
def jobs_cli() -> None:
    """Inspect and hand over background jobs."""


@jobs_cli.command("sweep")
@with_appcontext
def sweep() -> None:
    """Hand over again every job not done after its timeout (also run every minute by the scheduler)."""
    click.echo(f"{jobs.sweep()} job(s) handed over.")


@jobs_cli.command("run")
@click.argument("job")
@with_appcontext
def run(job: str) -> None:
    """Run a periodic job now (without Redis, call this from the system's cron)."""
    if job not in PERIODIC:
        raise click.BadParameter(f"choose one of: {', '.join(sorted(PERIODIC))}", param_hint="JOB")
    jobs.run_periodic(job)
    click.echo(f"{job} ran.")


@jobs_cli.command("status")
@with_appcontext
def status() -> None:
    """Count the job intents by status, and show the queue when Redis is configured."""
    for name, count in jobs.counts().items():
        click.echo(f"{name:<8} {count}")
    if current_app.config.get("REDIS_URL"):
        click.echo(jobs.redis_status())


COMMANDS = (worker, scheduler, jobs_cli)
