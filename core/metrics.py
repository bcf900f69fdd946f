"""Prometheus metrics at /metrics (prometheus_client), for the addresses in METRICS_ALLOWED_IPS only.

Counted in each process: requests by route (the URL rule, never the raw path) and status with latency
histograms, page-cache hits and misses (core/page_cache.py), emails sent and failed (core/mail.py). Under
several gunicorn workers each process counts its own: with PROMETHEUS_MULTIPROC_DIR set, prometheus_client's
multiprocess mode writes every process's values into that folder and a scrape adds them up (empty the folder
when the service starts). Read from the database and Redis at scrape time, whichever process answers, in a
fixed number of queries: job intents by state with the age of the oldest, credentials issued and revoked, and
the RQ queue's depth when REDIS_URL is set (Redis down is reported, not an error).

Who may read the metrics is network configuration, not a member permission: METRICS_ALLOWED_IPS lists client
addresses and networks (as the app sees them, after PROXY_COUNT's X-Forwarded-For handling); every other
client gets 404, as if there were nothing there.
"""
from __future__ import annotations

import ipaddress
import os
import time
from datetime import timezone
from functools import lru_cache

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from core.audit import utcnow
from core.extensions import db

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
# generate_latest writes the classic text format, which every Prometheus reads (2.x and 3.x).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REQUESTS = Counter("chapterhouse_http_requests", "HTTP requests answered, by URL rule, method and status.",
                   ["route", "method", "status"])
LATENCY = Histogram("chapterhouse_http_request_duration_seconds", "Time to answer a request, by URL rule.",
                    ["route", "method"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
PAGE_CACHE = Counter("chapterhouse_page_cache_requests", "Cacheable public pages asked for: served from the "
                     "cache (hit) or rendered (miss).", ["result"])
EMAILS = Counter("chapterhouse_emails", "Emails handed to the mail server (sent) or refused by it (failed).",
                 ["outcome"])


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_ENV))


def one_file_per_worker() -> None:
    """In multiprocess mode, an RQ worker's job processes (one fork per job, one at a time) write to one file
    named after the worker rather than one file per job's pid, so the folder does not grow with every job."""
    if not multiprocess():
        return
    from prometheus_client import values

    worker = os.getpid()
    values.ValueClass = values.MultiProcessValue(process_identifier=lambda: f"rqworker{worker}")


# --- values read at scrape time ---------------------------------------------------------------------------


class DatabaseCollector:
    """Gauges read from the database and Redis when scraped: two SQL statements and one Redis call."""

    def collect(self):
        up = GaugeMetricFamily("chapterhouse_database_up", "Whether the database answered this scrape.")
        try:
            gauges = list(self._intents()) + list(self._credentials())
        except SQLAlchemyError:  # the counters are still worth scraping while the database is away
            current_app.logger.exception("Metrics: database")
            db.session.rollback()
            gauges = []
        up.add_metric([], 1 if gauges else 0)
        yield up
        yield from gauges
        yield from self._queue()

    @staticmethod
    def _intents():
        from core import jobs

        now = utcnow()
        intents = GaugeMetricFamily("chapterhouse_job_intents", "Job intents (the outbox) by state.",
                                    labels=["state"])
        oldest = GaugeMetricFamily("chapterhouse_job_intent_oldest_age_seconds",
                                   "Age of the oldest job intent in each unfinished state.", labels=["state"])
        rows = {status: (0, None) for status in jobs.STATUSES}
        rows.update({status: (count, first) for status, count, first in db.session.execute(
            select(jobs.JobIntent.status, func.count(), func.min(jobs.JobIntent.created_at))
            .group_by(jobs.JobIntent.status))})
        for status, (count, first) in sorted(rows.items()):
            intents.add_metric([status], count)
            if status != "done":
                if first is not None and first.tzinfo is None:
                    first = first.replace(tzinfo=timezone.utc)  # stored naive, in UTC
                oldest.add_metric([status], max(0.0, (now - first).total_seconds()) if first else 0)
        yield intents
        yield oldest

    @staticmethod
    def _credentials():
        table = db.metadata.tables.get("credential")  # core imports no domain package: the table by name
        if table is None:
            return
        issued, revoked = db.session.execute(select(func.count(), func.count(table.c.revoked_at))).one()
        gauge = GaugeMetricFamily("chapterhouse_credentials", "Credentials issued, and of them revoked.",
                                  labels=["state"])
        gauge.add_metric(["issued"], issued)
        gauge.add_metric(["revoked"], revoked)
        yield gauge

    @staticmethod
    def _queue():
        if not current_app.config.get("REDIS_URL"):
            return
        from redis.exceptions import RedisError

        from core import jobs

        up = GaugeMetricFamily("chapterhouse_redis_up", "Whether Redis answered this scrape.")
        depth = GaugeMetricFamily("chapterhouse_queue_depth", "Jobs waiting in the RQ queue.", labels=["queue"])
        try:
            depth.add_metric([jobs.QUEUE], jobs.queue().count)
            up.add_metric([], 1)
        except RedisError:
            up.add_metric([], 0)
        yield up
        if depth.samples:
            yield depth


def exposition() -> bytes:
    """The metrics in Prometheus' text format: this process's (or all processes') counters, then the gauges."""
    if multiprocess():
        from prometheus_client import multiprocess as mp

        registry = CollectorRegistry()
        mp.MultiProcessCollector(registry)
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    scraped = CollectorRegistry(auto_describe=False)
    scraped.register(DatabaseCollector())
    return counted + generate_latest(scraped)


# --- who may read them ------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _networks(allowed: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed)


def allowed(address: str | None) -> bool:
    """Whether `address` (the client as the app sees it) is in METRICS_ALLOWED_IPS."""
    if not address:
        return False
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    if client.version == 6 and client.ipv4_mapped:
        client = client.ipv4_mapped
    return any(client in network for network in _networks(tuple(current_app.config["METRICS_ALLOWED_IPS"])))


def metrics_view():
    if not allowed(request.remote_addr):
        abort(404)
    return Response(exposition(), content_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})


# --- counting requests ------------------------------------------------------------------------------------


def _count_request(response):
    route = request.url_rule.rule if request.url_rule else "<unmatched>"
    REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    started = g.get("request_started")
    if started is not None:
        LATENCY.labels(route, request.method).observe(time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    """Count every request, and serve /metrics (call after core.logs.init_app, which times requests)."""
    for entry in app.config["METRICS_ALLOWED_IPS"]:
        ipaddress.ip_network(entry, strict=False)  # a typo in the configuration stops the start, loudly
    if multiprocess() and not os.path.isdir(os.environ[MULTIPROCESS_ENV]):
        # Else every request would fail when it counts itself.
        raise RuntimeError(f"{MULTIPROCESS_ENV}={os.environ[MULTIPROCESS_ENV]} is not a folder: create it (empty) "
                           "before starting the processes.")
    from core.extensions import talisman

    app.after_request(_count_request)
    # Scrapers reach a web process directly on the private network, over HTTP: no redirect to HTTPS here.
    app.add_url_rule("/metrics", "metrics", talisman(force_https=False)(metrics_view))
