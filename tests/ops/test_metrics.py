"""/metrics: who may read it, what it counts, and the gauges read from the database and Redis at scrape time."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from core import mail
from core.audit import utcnow
from core.config import TEST_CONFIG
from core.extensions import db
from core.jobs import JobIntent
from credentials import tasks as credential_tasks
from tests.conftest import count_queries
from tests.factories import make_chapter, make_delivered_project, make_project, make_user

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}


def scrape(client, **environ) -> dict:
    """{(name, sorted labels): value} of every sample /metrics gives a local client."""
    response = client.get("/metrics", environ_base={**LOCAL, **environ})
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# --- who may read them --------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_metrics_answer_the_local_addresses_by_default(client, address):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": address}).status_code == 200


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "2001:db8::1", "203.0.113.9"])
def test_metrics_are_not_found_for_other_addresses(client, address):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 404 and b"chapterhouse_" not in response.data


def test_the_allowed_addresses_and_networks_come_from_the_configuration(app, client):
    app.config["METRICS_ALLOWED_IPS"] = ["10.0.0.0/8", "192.0.2.7"]
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 404
    assert client.get("/metrics", environ_base=LOCAL).status_code == 404


def test_a_mistyped_allowed_address_stops_the_start(app):
    with pytest.raises(ValueError):
        create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                    "METRICS_ALLOWED_IPS": ["127.0.0.1", "localhost"]})


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(app):
    proxied = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "PROXY_COUNT": 1})
    client = proxied.test_client()
    # The proxy runs on this machine (127.0.0.1), so the address that counts is the one it forwards.
    outside = client.get("/metrics", environ_base=LOCAL, headers={"X-Forwarded-For": "203.0.113.9"})
    inside = client.get("/metrics", environ_base=LOCAL, headers={"X-Forwarded-For": "127.0.0.1"})
    assert outside.status_code == 404 and inside.status_code == 200
    # A forged header in front of the proxy's own is not believed: only the last PROXY_COUNT entries count.
    forged = client.get("/metrics", environ_base=LOCAL, headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.9"})
    assert forged.status_code == 404


def test_metrics_are_served_over_plain_http_in_production(app, monkeypatch):
    monkeypatch.setenv("CHAPTERHOUSE_ENV", "production")
    monkeypatch.setenv("BASE_URL", "https://chapters.example.org")
    production = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    client = production.test_client()
    assert client.get("/projects/", environ_base=LOCAL).status_code == 302  # HTTPS everywhere else
    assert client.get("/metrics", environ_base=LOCAL).status_code == 200


# --- what is counted ----------------------------------------------------------------------------------------


def test_requests_are_counted_by_url_rule_and_status_with_their_latency(client):
    project = make_project(make_chapter())
    before = scrape(client)
    for _ in range(3):
        assert client.get(f"/projects/{project.id}").status_code == 200
    assert client.get("/projects/2147483000").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    after = scrape(client)
    rule = "/projects/<int:project_id>"
    counted = "chapterhouse_http_requests_total"
    assert value(after, counted, route=rule, method="GET", status="200") - \
        value(before, counted, route=rule, method="GET", status="200") == 3
    assert value(after, counted, route=rule, method="GET", status="404") - \
        value(before, counted, route=rule, method="GET", status="404") == 1
    assert value(after, counted, route="<unmatched>", method="GET", status="404") - \
        value(before, counted, route="<unmatched>", method="GET", status="404") == 1
    assert not any(f"/projects/{project.id}" in str(labels) for _, labels in after)  # never the raw path
    latency = "chapterhouse_http_request_duration_seconds"
    assert value(after, latency + "_count", route=rule, method="GET") - \
        value(before, latency + "_count", route=rule, method="GET") == 4
    assert value(after, latency + "_sum", route=rule, method="GET") > value(before, latency + "_sum", route=rule,
                                                                             method="GET")
    assert value(after, latency + "_bucket", route=rule, method="GET", le="+Inf") == value(
        after, latency + "_count", route=rule, method="GET")


def test_page_cache_hits_and_misses_are_counted(client):
    make_project(make_chapter())
    before = scrape(client)
    client.get("/")  # rendered and kept
    client.get("/")  # served from the cache
    client.get("/")
    make_project(make_chapter())  # a write to tables the home page reads: the next visit renders again
    client.get("/")
    after = scrape(client)
    name = "chapterhouse_page_cache_requests_total"
    assert value(after, name, result="miss") - value(before, name, result="miss") == 2
    assert value(after, name, result="hit") - value(before, name, result="hit") == 2


def test_emails_sent_and_failed_are_counted(app, client):
    def message():
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "Hello"
        msg.set_content("Hello")
        return msg

    before = scrape(client)
    mail.send(message())  # written to MAIL_FOLDER
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_TIMEOUT=1)  # nothing listens there
    with pytest.raises(OSError):
        mail.send(message())
    after = scrape(client)
    name = "chapterhouse_emails_total"
    assert value(after, name, outcome="sent") - value(before, name, outcome="sent") == 1
    assert value(after, name, outcome="failed") - value(before, name, outcome="failed") == 1


# --- read from the database at scrape time ------------------------------------------------------------------


def test_job_intents_by_state_and_age_come_from_the_database(client):
    hour_ago = utcnow() - timedelta(hours=1)
    db.session.add_all([JobIntent(name="x.y", status="pending", created_at=hour_ago),
                        JobIntent(name="x.y", status="pending"),
                        JobIntent(name="x.y", status="running"),
                        JobIntent(name="x.y", status="failed", created_at=utcnow() - timedelta(days=2)),
                        *[JobIntent(name="x.y", status="done") for _ in range(4)]])
    db.session.commit()
    samples = scrape(client)
    intents = {state: value(samples, "chapterhouse_job_intents", state=state)
               for state in ("pending", "running", "done", "failed")}
    assert intents == {"pending": 2, "running": 1, "done": 4, "failed": 1}
    age = "chapterhouse_job_intent_oldest_age_seconds"
    assert 3600 <= value(samples, age, state="pending") < 3700
    assert 2 * 86400 <= value(samples, age, state="failed") < 2 * 86400 + 100
    assert value(samples, age, state="running") < 60
    assert value(samples, "chapterhouse_database_up") == 1


def test_credentials_issued_and_revoked_come_from_the_database(client):
    lead = make_user()
    project = make_delivered_project(make_chapter(lead), team=(make_user(), make_user()))
    credential_tasks.issue_for_project(project.id)
    db.session.commit()
    samples = scrape(client)
    issued = value(samples, "chapterhouse_credentials", state="issued")
    assert issued >= 2 and issued == db.session.scalar(db.text("SELECT count(*) FROM credential"))
    assert value(samples, "chapterhouse_credentials", state="revoked") == 0


def test_a_scrape_runs_the_same_few_statements_whatever_the_data(client):
    def statements() -> int:
        with count_queries() as queries:
            scrape(client)
        return len(queries)

    small = statements()
    db.session.add_all([JobIntent(name="x.y", status=status) for status in ("pending", "failed", "done") * 30])
    db.session.commit()
    assert statements() == small <= 2


def test_without_redis_there_is_no_queue_depth_and_no_error(client):
    samples = scrape(client)
    assert not any(name.startswith("chapterhouse_queue_depth") for name, _ in samples)
    assert not any(name == "chapterhouse_redis_up" for name, _ in samples)


@pytest.mark.redis
def test_queue_depth_comes_from_redis(app, client, redis_url):
    from core import jobs

    app.config["REDIS_URL"] = redis_url
    for _ in range(3):
        jobs.queue().enqueue("core.jobs.run_intent", 1)
    samples = scrape(client)
    assert value(samples, "chapterhouse_queue_depth", queue="default") == 3
    assert value(samples, "chapterhouse_redis_up") == 1


def test_redis_down_is_reported_not_an_error(app, client):
    app.config.update(REDIS_URL="redis://127.0.0.1:9/0", REDIS_TIMEOUT=0.5)  # nothing listens there
    samples = scrape(client)
    assert value(samples, "chapterhouse_redis_up") == 0
    assert not any(name == "chapterhouse_queue_depth" for name, _ in samples)


# --- several processes --------------------------------------------------------------------------------------

PROCESS = textwrap.dedent("""
    import sys
    from app import create_app
    from core.config import TEST_CONFIG
    from core.extensions import db
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
    client = app.test_client()
    with app.app_context():
        db.create_all()
    for _ in range(int(sys.argv[2])):
        assert client.get("/no/such/page").status_code == 404
    if len(sys.argv) > 3:  # then scrape: this process's requests and the other's
        sys.stdout.write(client.get("/metrics").get_data(as_text=True))
""")


def test_in_multiprocess_mode_a_scrape_adds_up_every_process(tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    environ = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "SECRET_KEY": "x"}
    url = f"sqlite:///{tmp_path}/multi.db"
    root = Path(__file__).resolve().parents[2]

    def run(*arguments: str) -> str:
        result = subprocess.run([sys.executable, "-c", PROCESS, url, *arguments], cwd=root, env=environ,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("3")
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(run("4", "scrape")) for s in family.samples}
    assert value(samples, "chapterhouse_http_requests_total", route="<unmatched>", method="GET", status="404") == 7
    assert value(samples, "chapterhouse_job_intents", state="pending") == 0  # the gauges are read at scrape time


WORKER = textwrap.dedent("""
    import os
    from core import metrics
    metrics.one_file_per_worker()  # what `flask worker` does before RQ forks a process per job
    for _ in range(3):
        child = os.fork()
        if child == 0:
            metrics.EMAILS.labels("sent").inc()
            os._exit(0)
        os.waitpid(child, 0)
    print(os.getpid())
""")


def test_an_rq_workers_jobs_share_one_metrics_file_and_their_counts_add_up(tmp_path):
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    environ = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", WORKER], cwd=Path(__file__).resolve().parents[2], env=environ,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"counter_rqworker{result.stdout.strip()}.db"]
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(tmp_path))
    assert registry.get_sample_value("chapterhouse_emails_total", {"outcome": "sent"}) == 3


def test_a_missing_multiprocess_folder_stops_the_start(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "missing"))
    with pytest.raises(RuntimeError, match="is not a folder"):
        create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
