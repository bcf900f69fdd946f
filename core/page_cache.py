"""Whole public pages kept for visitors, invalidated exactly by per-table versions.

Every transaction that writes a table adds one to that table's row in `table_version`, in the same
transaction, just before it commits (the engine's commit event runs it on the same DBAPI connection, so
the new data and the new version become visible together). Any write through SQLAlchemy counts: the
ORM, Core statements, raw SQL in any letter case, `seed-scale`'s bulk inserts; only Alembic's connections
are left out. A statement outside a transaction (AUTOCOMMIT) raises the versions right after it runs.
A delete also counts as a write of every table the database changes by its ON DELETE actions (CASCADE,
transitively, and SET NULL), computed once from the foreign keys in `db.metadata`.

A view marked `@cached_page` is rendered once per (address, language, day) for visitors who are not
signed in. While it renders, the tables its SQL statements name are recorded with their versions; the
stored page is served again only while every one of those versions is unchanged. So a new application
makes the project pages render afresh, and a notification (a table no public page reads) leaves them be.
What a page depends on outside the database (the credential signing keys) goes into its cache key
through `cached_page(vary=...)`.

A hit costs one statement (`SELECT name, version FROM table_version`). A page is kept only when its
rendering left the visitor's session alone and produced no CSRF token; a visitor with messages waiting
(flash) or signed in always gets a fresh page. The store is Flask-Caching (`CACHE_TYPE`, per worker by
default); since every entry is checked against the database, any backend stays exact.
"""
from __future__ import annotations

import contextlib
import functools
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, has_request_context, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import BigInteger, Column, String, Table, event, select
from sqlalchemy.engine import Engine

from core.audit import utcnow
from core.extensions import cache, db
from core.metrics import PAGE_CACHE

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


_DELETE_VERBS = frozenset({"DELETE", "REPLACE", "TRUNCATE", "MERGE", "WITH"})


@dataclass(frozen=True, eq=False)  # hashed by identity: a key of the lru_cache
class _Schema:
    """What the listener needs about the tables, computed once per set of tables."""

    by_folded_name: dict[str, str]  # table name case-folded → its name in the metadata
    removed_with: dict[str, frozenset[str]]  # table → the tables its row deletions change by ON DELETE


_schema_cache: dict[int, _Schema] = {}


def _schema() -> _Schema:
    """The tables of `db.metadata`, rebuilt only when models add tables (a key of one integer)."""
    tables = db.metadata.tables
    schema = _schema_cache.get(len(tables))
    if schema is None:
        names = {name.casefold(): name for name in tables if name != table_version.name}
        schema = _Schema(names, {name: frozenset(_reached_on_delete(name)) for name in names.values()})
        _schema_cache.clear()
        _schema_cache[len(tables)] = schema
        _tables_named.cache_clear()
    return schema


def _reached_on_delete(name: str, seen: set[str] | None = None) -> set[str]:
    """Every table whose rows the database changes when rows of `name` are deleted: children with
    ON DELETE CASCADE (and, transitively, theirs) and children with ON DELETE SET NULL/SET DEFAULT."""
    seen = set() if seen is None else seen
    for child in db.metadata.tables.values():
        for key in child.foreign_keys:
            action = (key.ondelete or "").upper()
            if key.column.table.name != name or action not in ("CASCADE", "SET NULL", "SET DEFAULT"):
                continue
            if child.name not in seen:
                seen.add(child.name)
                if action == "CASCADE":
                    _reached_on_delete(child.name, seen)
    return seen - {name}


def _tables_of(statement: str) -> tuple[str, frozenset[str], frozenset[str]]:
    schema = _schema()
    return _tables_named(statement, schema)


@functools.lru_cache(maxsize=4096)
def _tables_named(statement: str, schema: _Schema | None = None) -> tuple[str, frozenset[str], frozenset[str]]:
    """The statement's first keyword, every table of the schema its text names, and the tables it writes.

    Names are compared case-folded (SQL folds unquoted names). A word that happens to equal a table's name
    (a column called `chapter`) only adds a dependency. A delete also writes, through the database's
    ON DELETE actions, the tables that reference the tables it names: they are in the written set too.
    """
    schema = schema or _schema()
    words = _WORD.findall(statement)
    verb = words[0].upper() if words else ""
    named = frozenset(schema.by_folded_name[w] for w in map(str.casefold, words) if w in schema.by_folded_name)
    written = frozenset()
    if verb in _WRITE_VERBS:
        written = named
        if verb in _DELETE_VERBS:
            written = written.union(*(schema.removed_with[name] for name in named))
    return verb, named, written


@event.listens_for(Engine, "before_cursor_execute")
def _note_tables(conn, cursor, statement, parameters, context, executemany) -> None:
    verb, named, written = _tables_of(statement)
    if not named:
        return
    if written and not conn.info.get(UNTRACKED):
        conn.info.setdefault(_WRITTEN, set()).update(written)
    if verb in _READ_VERBS:
        reads = g.get(_READS) if has_request_context() else None
        if reads is not None:
            reads.update(named)


def _outside_a_transaction(dbapi_connection) -> bool:
    """Whether the driver committed the last statement itself (AUTOCOMMIT): no commit event will follow."""
    if getattr(dbapi_connection, "autocommit", None) is True:  # psycopg, and sqlite3's new mode
        return True
    return getattr(dbapi_connection, "in_transaction", True) is False  # sqlite3 with isolation_level None


@event.listens_for(Engine, "after_cursor_execute")
def _bump_autocommitted_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if _WRITTEN in conn.info and _outside_a_transaction(conn.connection.dbapi_connection):
        _bump_written_tables(conn)


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


def versions_kept() -> bool:
    """Whether this database keeps table versions (migration 0009 ran): only then can a response be checked."""
    return db.engine in _VERSIONED_ENGINES or _check_versions_kept()


@contextlib.contextmanager
def reading_tables():
    """Collect the tables the statements run inside the block read (a set, filled as they run); the API's
    ETags (api/http.py) remember them with their versions, as `cached_page` does for pages."""
    outer = g.pop(_READS, None)
    reads = g.setdefault(_READS, set())
    try:
        yield reads
    finally:
        g.pop(_READS, None)
        if outer is not None:
            g.setdefault(_READS, outer).update(reads)


def current_versions() -> dict[str, int]:
    # Outside any transaction: on PostgreSQL a transaction would add a BEGIN and a ROLLBACK round trip to
    # every page served from the cache. Reading the versions before the page's data keeps entries exact.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return dict(connection.execute(select(table_version.c.name, table_version.c.version)).all())


def _visitor_may_share() -> bool:
    return (request.method in ("GET", "HEAD") and not current_user.is_authenticated
            and "_flashes" not in session)


def _key(vary: Callable[[], str] | None) -> str:
    # The day (UTC, the platform's clock): pages show what is overdue or upcoming relative to today.
    extra = f"{vary()}:" if vary else ""
    return f"page:{get_locale()}:{utcnow().date().isoformat()}:{extra}{request.url}"


def _storable(response) -> bool:
    return (response.status_code == 200 and not response.direct_passthrough
            and not session.modified and "csrf_token" not in g and "Set-Cookie" not in response.headers)


def _varied(response):
    """A page kept for visitors differs for a signed-in member (the session cookie), in another language (the
    language cookie, the browser's Accept-Language): HTTP caches must key on both, as this cache does."""
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def cached_page(view: Callable | None = None, *, vary: Callable[[], str] | None = None):
    """Serve the view's page from the cache to visitors while the tables it read are unchanged.

    `vary` names what else the page depends on that lives outside the database (the credential
    signing keys, kept in the configuration or a file): its value is part of the cache key, so a
    change of it renders the page afresh. Use as `@cached_page` or `@cached_page(vary=...)`.
    """
    if view is None:
        return functools.partial(cached_page, vary=vary)

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if (not current_app.config.get("PAGE_CACHE", True) or not _visitor_may_share()
                or db.engine not in _VERSIONED_ENGINES and not _check_versions_kept()):
            return _varied(make_response(view(*args, **kwargs)))
        versions = current_versions()
        key = _key(vary)
        entry = cache.get(key)
        if entry is not None and entry.fresh(versions):
            PAGE_CACHE.labels("hit").inc()
            return _varied(current_app.response_class(entry.body, status=entry.status, headers=list(entry.headers)))
        PAGE_CACHE.labels("miss").inc()
        g.setdefault(_READS, set()).clear()
        response = _varied(make_response(view(*args, **kwargs)))
        reads = g.pop(_READS)
        if _storable(response):
            cache.set(key, Entry(
                versions=tuple(sorted((name, versions.get(name, 0)) for name in reads)),
                status=response.status_code,
                headers=tuple((k, v) for k, v in response.headers.items() if k != "Content-Length"),
                body=response.get_data()))
        return response
    return wrapper
