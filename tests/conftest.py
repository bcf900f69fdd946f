"""Fixtures in the flaskr style: app, client, runner, auth; one database per test session.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import contextvars
import os
import sqlite3
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.ctx import RequestContext
from flask.testing import EnvironBuilder, FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from werkzeug.datastructures import Headers, MultiDict

os.environ.setdefault("SECRET_KEY", "secret-for-tests-only")

from app import create_app  # noqa: E402
from core.config import TEST_CONFIG  # noqa: E402
from core.extensions import db  # noqa: E402
from tests import factories  # noqa: E402

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")
IN_CI = bool(os.environ.get("CI"))


@event.listens_for(Engine, "connect")
def _sqlite_test_databases_skip_fsync(dbapi_connection, connection_record) -> None:
    """The tests' SQLite files are thrown away: no commit waits for the disk (fsync, ~4 ms each here).
    Only durability across a power cut changes; what a commit makes visible, to this connection or any
    other (worker processes, the live server), does not. PostgreSQL runs with fsync=off likewise
    (scripts/postgres.sh)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


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
        # What TRUNCATE ... RESTART IDENTITY did, at a fraction of its cost: TRUNCATE gives each of the ~50
        # tables a new file (0.25 s a test here), whereas a test fills a handful of small tables. So: find the
        # tables that hold rows (one statement), delete them children first, and restart the sequences used.
        probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
        filled = set(db.session.scalars(text(probe)))
        for table in tables:
            if table.name in filled:
                db.session.execute(table.delete())
        # Every sequence back to its start, in one statement (seed-scale leaves some at setval(n, false)).
        db.session.execute(text("SELECT count(setval(format('%I.%I', schemaname, sequencename), start_value, false))"
                                " FROM pg_sequences"))
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


def _test_paths(tmp_path) -> dict:
    return {"UPLOAD_FOLDER": str(tmp_path), "MAIL_FOLDER": str(tmp_path / "mail"),
            "EXPORT_FOLDER": str(tmp_path / "exports"), "CREDENTIAL_KEYS_FILE": str(tmp_path / "credential_keys.json")}


class ReusedApp:
    """One app for the whole session, handed to each test as create_app() had just built it.

    create_app() costs about 0.15 s here (159 routes compiled, the OpenAPI document built), once per test it
    was most of a small test's time. The app is built once; before each test, everything a test or a request
    can change is put back as it was right after create_app(): the configuration (deep copy), the app's
    attributes and `app.extensions` (entries added since, like the cached credential keys, are dropped), the
    module-level extension objects that create_app() initialises (Flask-Limiter, Talisman, Babel, ... which
    another test's own create_app() may have re-bound to its app), the rate limits' storage (new, empty, as
    create_app() makes it) and the page cache (emptied: its entries name table versions that restart in each
    test). Adding a route or a hook to it raises Flask's "setup method ... can no longer be called" error:
    such a test asks for an app of its own with `@pytest.mark.fresh_app`.
    """

    def __init__(self, app):
        import copy

        from core import extensions

        self.app = app
        self._config = copy.deepcopy(dict(app.config))
        self._attributes = dict(vars(app))
        self._extensions = dict(app.extensions)
        self._globals = {ext: dict(vars(ext)) for ext in (extensions.limiter, extensions.talisman,
                                                          extensions.login_manager, extensions.csrf,
                                                          extensions.babel, extensions.bootstrap,
                                                          extensions.migrate, extensions.cache)}

    def reset(self, tmp_path):
        import copy

        from core.extensions import cache, limiter

        app = self.app
        for name, value in self._attributes.items():
            if vars(app).get(name, self) is not value:
                setattr(app, name, value)
        app._got_first_request = True  # routes and hooks can never be added to it, whatever ran before
        for name in set(app.extensions) - set(self._extensions):
            del app.extensions[name]
        app.extensions.update(self._extensions)
        app.config.clear()
        app.config.update(copy.deepcopy(self._config))
        app.config.update(_test_paths(tmp_path))
        for ext, attributes in self._globals.items():
            vars(ext).clear()
            vars(ext).update(attributes)
        limiter.init_app(app)  # a new storage from the configuration, as create_app() makes (hooks stay once)
        app.extensions["cache"][cache].clear()
        return app


@pytest.fixture(scope="session")
def _reused_app(_schema, tmp_path_factory):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _schema,
                      **_test_paths(tmp_path_factory.mktemp("reused-app"))})
    app.test_client_class = IsolatedClient
    return ReusedApp(app)


@pytest.fixture
def app(request, _schema, tmp_path):
    if request.node.get_closest_marker("fresh_app"):
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _schema, **_test_paths(tmp_path)})
        app.test_client_class = IsolatedClient
    else:
        app = request.getfixturevalue("_reused_app").reset(tmp_path)
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


class DatabaseTemplate:
    """A data set built once by its factory code, then given to every later test that asks for it as it was
    right after that build: the same rows (same ids), the same sequence positions, the same files in the
    test's tmp_path (uploads, credential keys, mail), and the same objects, loaded fresh in the test's
    session. Restoring copies rows instead of re-running hundreds of factory commits per test."""

    def __init__(self, tmp_path_factory):
        self._tmp_path_factory = tmp_path_factory
        self._saved: dict[str, dict] = {}

    def get(self, name: str, build, app, tmp_path):
        """`build()` returns a dict (nested dicts allowed) of ORM objects and plain values. The data depends
        on the app's configuration (BASE_URL is in credentials): one template per configuration."""
        name = f"{name}@{app.config.get('BASE_URL')}@{app.config['SQLALCHEMY_DATABASE_URI']}"
        saved = self._saved.get(name)
        if saved is None:
            world = build()
            self._saved[name] = self._save(world, tmp_path)
            return world
        self._restore(saved, tmp_path)
        return self._reload(saved["refs"])

    def _save(self, world: dict, tmp_path) -> dict:
        import shutil

        db.session.commit()
        files = self._tmp_path_factory.mktemp("template")
        shutil.copytree(tmp_path, files, dirs_exist_ok=True, symlinks=True)
        rows = {table.name: [dict(row) for row in db.session.execute(
                    table.select().order_by(*table.primary_key.columns)).mappings()]
                for table in db.metadata.sorted_tables}
        return {"rows": rows, "sequences": self._sequences(), "files": files, "refs": self._refs(world)}

    @staticmethod
    def _sequences():
        if db.engine.dialect.name == "postgresql":
            return db.session.execute(text(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
                "FROM pg_sequences")).all()
        if db.session.scalar(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")):
            return db.session.execute(text("SELECT name, seq FROM sqlite_sequence")).all()
        return []

    def _refs(self, value):
        from sqlalchemy import inspect as inspect_object

        if isinstance(value, dict):
            return {key: self._refs(item) for key, item in value.items()}
        if hasattr(value, "_sa_instance_state"):  # a mapped object: kept as its class and primary key
            return ("orm", type(value), inspect_object(value).identity)
        return ("value", value)

    def _reload(self, ref):
        if isinstance(ref, dict):
            return {key: self._reload(item) for key, item in ref.items()}
        if ref[0] == "orm":
            return db.session.get(ref[1], ref[2])
        return ref[1]

    def _restore(self, saved: dict, tmp_path) -> None:
        import shutil

        from core.page_cache import UNTRACKED

        shutil.copytree(saved["files"], tmp_path, dirs_exist_ok=True, symlinks=True)
        # Written as saved, table_version included: these copies must not raise the page cache's versions.
        info = db.session.connection().info
        info[UNTRACKED] = True
        try:
            self._copy_rows(saved)
        finally:
            info.pop(UNTRACKED, None)  # info belongs to the pooled connection, which outlives the test

    def _copy_rows(self, saved: dict) -> None:
        tables = db.metadata.sorted_tables
        for table in reversed(tables):  # the last teardown's commit left table_version rows behind
            db.session.execute(table.delete())
        for table in tables:  # parents first
            if saved["rows"][table.name]:
                db.session.execute(table.insert(), saved["rows"][table.name])
        if db.engine.dialect.name == "postgresql":
            for sequence, last_value in saved["sequences"]:
                db.session.execute(text("SELECT setval(:s, :v, :called)"),
                                   {"s": sequence, "v": last_value or 1, "called": last_value is not None})
        elif saved["sequences"]:
            db.session.execute(text("DELETE FROM sqlite_sequence"))
            for name, seq in saved["sequences"]:
                db.session.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:n, :s)"),
                                   {"n": name, "s": seq})
        db.session.commit()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory):
    return DatabaseTemplate(tmp_path_factory)


# The SQL statements a page may run, flat at every data size: 10; 12 for the pages that gather one section
# per package (the project page, the chapter page seen by its lead, the member's /me seen by a lead or a team
# member, and a portfolio seen by its owner). Issue 16 (render cost) is to bring those back to 10.
STATEMENT_BUDGET = 10
GATHERING_PAGE_BUDGET = 12
# /me gathers the most: with mentoring's section (issue 14) it runs 13 for a lead. It ran 12 for members with no
# mentorship and 13 for the others, a count that depended on the data; it is 13 for everyone until issue 16
# folds its sections' statements.
DASHBOARD_BUDGET = 13


def over_budget(counts: dict[str, int]) -> dict[str, int]:
    """The pages of `counts` (named "<viewer> <page>") that run more statements than their budget."""
    def budget(name: str) -> int:
        if name.endswith("dashboard") or name.endswith("me (signed in)"):
            return DASHBOARD_BUDGET
        gathering = name.endswith("project") or name.endswith("chapter") or name.endswith("portfolio")
        return GATHERING_PAGE_BUDGET if gathering else STATEMENT_BUDGET
    return {name: n for name, n in counts.items() if n > budget(name)}
