"""Whole public pages kept for visitors, invalidated exactly by per-table versions.

Every transaction that writes a table adds one to that table's row in `table_version`, in the same
transaction, just before it commits (the engine's commit event runs it on the same DBAPI connection, so
the new data and the new version become visible together). Any write through SQLAlchemy counts: the
ORM, Core statements, `seed-scale`'s bulk inserts; only Alembic's connections are left out.

A view marked `@cached_page` is rendered once per (address, language, day) for visitors who are not
signed in. While it renders, the tables its SQL statements name are recorded with their versions; the
stored page is served again only while every one of those versions is unchanged. So a new application
makes the project pages render afresh, and a notification (a table no public page reads) leaves them be.

A hit costs one statement (`SELECT name, version FROM table_version`). A page is kept only when its
rendering left the visitor's session alone and produced no CSRF token; a visitor with messages waiting
(flash) or signed in always gets a fresh page. The store is Flask-Caching (`CACHE_TYPE`, per worker by
default); since every entry is checked against the database, any backend stays exact.
"""
from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass
from datetime import date

from flask import current_app, g, has_request_context, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import BigInteger, Column, String, Table, event, select
from sqlalchemy.engine import Engine

from core.extensions import cache, db

table_version = Table(
    "table_version", db.metadata,
    Column("name", String(64), primary_key=True),
    Column("version", BigInteger, nullable=False),
)

UNTRACKED = "page_cache_untracked"  # set on a connection's info to leave its writes out (Alembic)
_WRITTEN = "page_cache_written"
_READS = "page_cache_reads"
_WRITE_VERBS = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "TRUNCATE", "COPY", "WITH"})
_READ_VERBS = frozenset({"SELECT", "WITH", "VALUES"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.lru_cache(maxsize=4096)
def _tables_named(statement: str) -> tuple[str, frozenset[str]]:
    """The statement's first keyword and every table of the schema its text names.

    A word that happens to equal a table's name (a column called `chapter`) only adds a dependency;
    a table a statement uses always appears in its text, so none is ever missed.
    """
    words = _WORD.findall(statement)
    verb = words[0].upper() if words else ""
    return verb, frozenset(w for w in words if w in db.metadata.tables) - {table_version.name}


@event.listens_for(Engine, "before_cursor_execute")
def _note_tables(conn, cursor, statement, parameters, context, executemany) -> None:
    verb, tables = _tables_named(statement)
    if not tables:
        return
    if verb in _WRITE_VERBS and not conn.info.get(UNTRACKED):
        conn.info.setdefault(_WRITTEN, set()).update(tables)
    if verb in _READ_VERBS:
        reads = g.get(_READS) if has_request_context() else None
        if reads is not None:
            reads.update(tables)


@event.listens_for(Engine, "commit")
def _bump_written_tables(conn) -> None:
    written = conn.info.pop(_WRITTEN, None)
    if not written:
        return
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        if _versions_kept(conn.engine, cursor):
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            names = sorted(written)  # one order for every transaction: no deadlock between two of them
            cursor.execute(f"INSERT INTO {table_version.name} (name, version) VALUES "
                           + ", ".join(f"({mark}, 1)" for _ in names)
                           + f" ON CONFLICT (name) DO UPDATE SET version = {table_version.name}.version + 1",
                           names)
    finally:
        cursor.close()


_VERSIONED_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
_TABLE_EXISTS = {"sqlite": f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{table_version.name}'",
                 "postgresql": f"SELECT to_regclass('{table_version.name}')"}


def _versions_kept(engine: Engine, cursor) -> bool:
    """Whether the database has table_version (migration 0009): until it does, nothing is kept or stored.

    Asked again until the answer is yes, so a process started before `flask db upgrade` starts keeping
    versions, and storing pages, once the migration has run: what it wrote before is in what it reads after.
    """
    if engine not in _VERSIONED_ENGINES:
        cursor.execute(_TABLE_EXISTS[engine.dialect.name])
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return False
        _VERSIONED_ENGINES.add(engine)
    return True


@event.listens_for(Engine, "rollback")
def _forget_written_tables(conn) -> None:
    conn.info.pop(_WRITTEN, None)


@dataclass(frozen=True)
class Entry:
    versions: tuple[tuple[str, int], ...]  # the tables the page read, with their versions then
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def fresh(self, current: dict[str, int]) -> bool:
        return all(current.get(name, 0) == version for name, version in self.versions)


def _check_versions_kept() -> bool:
    connection = db.session.connection()
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        return _versions_kept(db.engine, cursor)
    finally:
        cursor.close()


def current_versions() -> dict[str, int]:
    # Outside any transaction: on PostgreSQL a transaction would add a BEGIN and a ROLLBACK round trip to
    # every page served from the cache. Reading the versions before the page's data keeps entries exact.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return dict(connection.execute(select(table_version.c.name, table_version.c.version)).all())


def _visitor_may_share() -> bool:
    return (request.method in ("GET", "HEAD") and not current_user.is_authenticated
            and "_flashes" not in session)


def _key() -> str:
    # The day: pages show what is overdue or upcoming relative to today.
    return f"page:{get_locale()}:{date.today().isoformat()}:{request.url}"


def _storable(response) -> bool:
    return (response.status_code == 200 and not response.direct_passthrough
            and not session.modified and "csrf_token" not in g and "Set-Cookie" not in response.headers)


def cached_page(view):
    """Serve the view's page from the cache to visitors while the tables it read are unchanged."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if (not current_app.config.get("PAGE_CACHE", True) or not _visitor_may_share()
                or db.engine not in _VERSIONED_ENGINES and not _check_versions_kept()):
            return view(*args, **kwargs)
        versions = current_versions()
        key = _key()
        entry = cache.get(key)
        if entry is not None and entry.fresh(versions):
            return current_app.response_class(entry.body, status=entry.status, headers=list(entry.headers))
        g.setdefault(_READS, set()).clear()
        response = make_response(view(*args, **kwargs))
        reads = g.pop(_READS)
        if _storable(response):
            cache.set(key, Entry(
                versions=tuple(sorted((name, versions.get(name, 0)) for name in reads)),
                status=response.status_code,
                headers=tuple((k, v) for k, v in response.headers.items() if k != "Content-Length"),
                body=response.get_data()))
        return response
    return wrapper
