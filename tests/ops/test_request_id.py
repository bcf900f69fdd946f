"""Request ids: taken from a valid X-Request-ID or made, returned, on every JSON log line, carried into jobs."""
from __future__ import annotations

import json
import logging
import re
import signal

import pytest

from app import create_app
from core import logs
from core.config import TEST_CONFIG
from tests.factories import make_user

INCOMING = "req-0123456789abcdef"


@pytest.fixture
def json_app(app, capsys):  # capsys first: the JSON handler writes to the stderr it captures
    """The test app's database, logging one JSON object per line to stderr."""
    root = logging.getLogger()
    level = root.level
    json_app = create_app({**TEST_CONFIG, **{key: app.config[key] for key in (
        "SQLALCHEMY_DATABASE_URI", "MAIL_FOLDER", "CREDENTIAL_KEYS_FILE", "UPLOAD_FOLDER")}, "LOG_FORMAT": "json"})
    yield json_app
    for handler in [h for h in root.handlers if getattr(h, "chapterhouse", False)]:
        root.removeHandler(handler)
    root.setLevel(level)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_request_without_an_id_gets_a_new_one_in_the_response(client):
    first, second = client.get("/projects/"), client.get("/projects/")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_valid_incoming_id_is_kept(client):
    assert client.get("/projects/", headers={"X-Request-ID": INCOMING}).headers["X-Request-ID"] == INCOMING
    assert client.get("/no/such/page", headers={"X-Request-ID": INCOMING}).headers["X-Request-ID"] == INCOMING


@pytest.mark.parametrize("incoming", ["short", "x" * 129, "has space in it", "evil\u2028line-separator",
                                      "<script>alert(1)</script>"])
def test_an_invalid_incoming_id_is_replaced(client, incoming):
    answered = client.get("/projects/", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]
    assert answered != incoming and re.fullmatch(r"[0-9a-f]{32}", answered)


def test_json_logs_carry_the_request_id_on_every_line_and_into_inline_jobs(json_app, capsys):
    user = make_user()
    client = json_app.test_client()
    response = client.post("/auth/reset", data={"email": user.email}, headers={"X-Request-ID": INCOMING})
    assert response.status_code == 302
    lines = json_lines(capsys.readouterr().err)
    assert lines and all(line["request_id"] == INCOMING for line in lines), lines
    request_line = [line for line in lines if line["logger"] == "chapterhouse.request"]
    assert request_line == [{**request_line[0], "method": "POST", "path": "/auth/reset", "route": "/auth/reset",
                             "status": 302, "level": "INFO"}]
    job = [line for line in lines if line["logger"] == "core.jobs"]
    assert job and job[0]["outcome"] == "done"  # the reset email's job ran inline, under the same id


def test_an_error_is_logged_as_json_with_its_traceback_and_request_id(json_app, capsys, monkeypatch):
    from core import views

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(json_app.view_functions, "main.choose_language", broken)
    response = json_app.test_client().get("/language", headers={"X-Request-ID": INCOMING})
    assert response.status_code == 500 and response.headers["X-Request-ID"] == INCOMING
    error = [line for line in json_lines(capsys.readouterr().err) if line["level"] == "ERROR"]
    assert error and error[0]["request_id"] == INCOMING and "RuntimeError: boom" in error[0]["exception"]
    assert views  # the view replaced above lives there


def test_text_logs_stay_plain(app, client, capsys):
    client.get("/projects/", headers={"X-Request-ID": INCOMING})
    assert not json_lines(capsys.readouterr().err)


@pytest.mark.redis
def test_a_job_enqueued_by_a_request_logs_under_that_request_id(json_app, redis_url, capsys):
    from rq import SimpleWorker

    from core import jobs

    json_app.config["REDIS_URL"] = redis_url
    user = make_user()
    response = json_app.test_client().post("/auth/reset", data={"email": user.email},
                                           headers={"X-Request-ID": INCOMING})
    assert response.status_code == 302
    with json_app.app_context():
        queued = jobs.queue().jobs
        assert [job.meta.get("request_id") for job in queued] == [INCOMING]
        capsys.readouterr()
        handlers = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            SimpleWorker([jobs.QUEUE], connection=jobs.redis_connection()).work(burst=True)
        finally:  # RQ's worker keeps its own SIGTERM handler: give the test process its own back
            for number, handler in handlers.items():
                signal.signal(number, handler)
    lines = json_lines(capsys.readouterr().err)
    job = [line for line in lines if line["logger"] == "core.jobs"]
    assert job and job[0]["request_id"] == INCOMING and job[0]["outcome"] == "done", lines
    assert logs.current_request_id() is None  # nothing leaks out of the job
