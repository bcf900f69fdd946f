"""Request ids and structured logs: every request gets an id (a valid incoming X-Request-ID, else a new one),
returned in the X-Request-ID header, put on every log line, and carried into the jobs the request enqueues.

With LOG_FORMAT=json every log line (the app's, the jobs', RQ's, gunicorn's error log when it propagates) is
one JSON object: time, level, logger, message, request_id, and the traceback when there is one.
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-ID"
# What an incoming id may be: letters, digits and - _ . : (a UUID, a proxy's hex id), 8 to 128 characters.
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
request_log = logging.getLogger("chapterhouse.request")


def new_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request being served, or of the request whose job is running; None elsewhere."""
    bound_id = _current.get()
    if bound_id is not None:
        return bound_id
    if has_request_context() and "request_id" in g:
        return g.request_id
    return None


@contextlib.contextmanager
def bound(request_id: str | None):
    """Log under `request_id` inside the block (a job carrying the id of the request that enqueued it)."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record that passes the handler (None outside requests and jobs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    EXTRA = ("method", "path", "route", "status", "duration_ms", "job", "intent_id", "outcome")

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                 "request_id": getattr(record, "request_id", None)}
        entry.update({key: getattr(record, key) for key in self.EXTRA if hasattr(record, key)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when a line is written (a server or a test may have replaced it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _configure_handlers(app: Flask) -> None:
    """With LOG_FORMAT=json, one handler on the root logger writes JSON; the app's own logs propagate to it."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "chapterhouse", False)]:
        root.removeHandler(handler)  # create_app may run more than once in a process (tests)
    if app.config.get("LOG_FORMAT") != "json":
        return
    from flask.logging import default_handler

    handler = StderrHandler()
    handler.chapterhouse = True
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    app.logger.removeHandler(default_handler)


def init_app(app: Flask) -> None:
    _configure_handlers(app)

    @app.before_request
    def take_request_id() -> None:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if VALID_ID.fullmatch(incoming) else new_id()
        g.request_started = time.perf_counter()

    @app.after_request
    def give_request_id(response):
        request_id = g.get("request_id") or new_id()  # a before_request hook answered before ours ran
        response.headers[HEADER] = request_id
        if app.config.get("LOG_FORMAT") == "json":
            started = g.get("request_started")
            request_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "request_id": request_id, "method": request.method, "path": request.path,
                "route": request.url_rule.rule if request.url_rule else None, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None})
        return response
