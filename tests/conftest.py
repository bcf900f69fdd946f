"""Fixtures in the flaskr style: app, client, runner, auth; one database per test session.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import contextvars
import os
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.ctx import RequestContext
from flask.testing import EnvironBuilder, FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, text
from werkzeug.datastructures import Headers, MultiDict

os.environ.setdefault("SECRET_KEY", "secret-for-tests-only")

from app import create_app  # noqa: E402
from core.config import TEST_CONFIG  # noqa: E402
from core.extensions import db  # noqa: E402
from tests import factories  # noqa: E402

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")
IN_CI = bool(os.environ.get("CI"))


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL (make test does)")
    # Under CI a missing Redis is a failure (the redis_url fixture says so), never a silent skip.
    skip_redis = pytest.mark.skip(reason="needs Redis: set TEST_REDIS_URL (make test does)")
    for item in items:
        if "postgres_only" in item.keywords and not POSTGRES_URL:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not REDIS_URL and not IN_CI:
            item.add_marker(skip_redis)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return POSTGRES_URL or "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return database_url


def empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
        # seed-scale's ANALYZE leaves statistics of a large data set behind; the next test's query plans
        # (which tests/credentials/test_query_counts.py reads) must be made for its own small tables.
        if db.session.scalar(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")):
            db.session.execute(text("DELETE FROM sqlite_stat1"))
    db.session.commit()


UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class IsolatedClient(FlaskClient):
    """Runs each request in a context of its own, as in production: its own app context,
    `g` and database session, separate from the test's (which stays pushed for factories).

    CSRF protection is on in tests, as in production. Like a browser that loaded the form, the client sends a
    valid token with every POST (PUT, PATCH, DELETE): in the form data when the test gives a dict, else in the
    X-CSRFToken header. `client.post(url, data=..., csrf=False)` sends none, to test the refusal.
    """

    def open(self, *args, csrf: bool = True, **kwargs):
        return contextvars.Context().run(self._open, args, csrf, kwargs)

    def _open(self, args, csrf: bool, kwargs):
        method = str(kwargs.get("method", "GET")).upper()
        if csrf and method in UNSAFE_METHODS and len(args) <= 1 and self.application.config.get(
                "WTF_CSRF_ENABLED", True):
            self._add_csrf_token(kwargs)
        return super().open(*args, **kwargs)

    def _add_csrf_token(self, kwargs) -> None:
        token = self.csrf_token()
        data = kwargs.get("data")
        if (data is None and "json" not in kwargs) or isinstance(data, (dict, MultiDict)):
            form = MultiDict(data) if isinstance(data, MultiDict) else dict(data or {})
            if "csrf_token" not in form:
                form["csrf_token"] = token
            kwargs["data"] = form
        else:
            kwargs["headers"] = Headers(kwargs.get("headers") or {})
            kwargs["headers"].setdefault("X-CSRFToken", token)

    def csrf_token(self) -> str:
        """A token valid for this client's session, made by Flask-WTF itself (the raw value is kept in the
        session, created if the session has none yet, exactly as when a page renders a form)."""
        def make() -> str:
            with self.session_transaction() as session:
                environ = EnvironBuilder(self.application).get_environ()
                with RequestContext(self.application, environ, session=session):
                    return generate_csrf()
        return contextvars.Context().run(make)


# Every app a test builds (fixtures or create_app() in a test) gets this client, so POSTs carry a token.
Flask.test_client_class = IsolatedClient


@pytest.fixture
def app(_schema, tmp_path):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _schema, "UPLOAD_FOLDER": str(tmp_path),
                      "MAIL_FOLDER": str(tmp_path / "mail"),
                      "CREDENTIAL_KEYS_FILE": str(tmp_path / "credential_keys.json")})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()


@pytest.fixture
def redis_url():
    """The shared test Redis (scripts/redis.sh), emptied before and after the test."""
    if not REDIS_URL:
        pytest.fail("TEST_REDIS_URL is not set: CI must run the Redis tests (scripts/test.sh starts Redis).")
    from redis import Redis

    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()
    connection.close()


@pytest.fixture
def mail_sink(app):
    """An SMTP server in this process on 127.0.0.1; the app sends its mail there."""
    from tests.servers import MailSink

    sink = MailSink().start()
    app.config.update(sink.config())
    yield sink
    sink.stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = factories.PASSWORD, **kwargs):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/auth/login", data={"email": email, "password": password}, **kwargs)

    def login_as(self, user) -> None:
        """Sign in without the form (fast); the sign-in itself has its own tests."""
        with self._client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def fresh(obj):
    """Reload `obj` from the database (a request ran in another session)."""
    db.session.refresh(obj)
    return obj


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block: `with count_queries() as queries: ...; len(queries)`."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def queries():
    return count_queries
