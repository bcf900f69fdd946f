"""Fixtures in the flaskr style: app, client, runner, auth; one database per test session.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import contextvars
import os
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text

os.environ.setdefault("SECRET_KEY", "secret-for-tests-only")

from app import create_app  # noqa: E402
from core.config import TEST_CONFIG  # noqa: E402
from core.extensions import db  # noqa: E402
from tests import factories  # noqa: E402

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_collection_modifyitems(config, items):
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL (make test does)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


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
    db.session.commit()


class IsolatedClient(FlaskClient):
    """Runs each request in a context of its own, as in production: its own app context,
    `g` and database session, separate from the test's (which stays pushed for factories)."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(_schema, tmp_path):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _schema, "UPLOAD_FOLDER": str(tmp_path),
                      "MAIL_FOLDER": str(tmp_path / "mail")})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()


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
            session["_user_id"] = str(user.id)
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
