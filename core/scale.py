"""The scale data set (`flask seed-scale`): each package registers a bulk generator, run in order.

A generator is `fn(world)`; it declares its size options (they become `--name N` options of the command,
scaled by `--scale`) and inserts rows with `world.insert(table, rows)`: SQLAlchemy Core `insert()` run with
executemany in batches. Ids are assigned here, not by the database, so that a generator knows the ids of
what it made without reading them back; `flask seed-scale` therefore runs only on an empty database, and
resets PostgreSQL's sequences at the end. Everything random comes from one seeded `random.Random`.

To add a package's data (for example credentials), write `credentials/scale.py`:

    @scale_generator(order=60, label="Credentials", credentials=50_000)
    def generate(world): ...

and import it from the package's `__init__.py`; the command gains `--credentials N`.
"""
from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator

import click
from flask.cli import with_appcontext
from sqlalchemy import Integer, Table, func, insert, select, text

from core.extensions import db
from core.page_cache import table_version

BATCH = 5_000


@dataclass(frozen=True)
class Generator:
    order: int
    label: str
    fn: Callable[["World"], None]
    sizes: dict[str, int]

    @property
    def name(self) -> str:
        return f"{self.fn.__module__}.{self.fn.__qualname__}"


_GENERATORS: list[Generator] = []


def scale_generator(order: int, label: str, **sizes: int):
    """Register `fn(world)` as a bulk generator run at `order`; `sizes` are its options and their defaults."""
    def register(fn):
        generator = Generator(order, label, fn, sizes)
        if all(g.name != generator.name for g in _GENERATORS):
            _GENERATORS.append(generator)
            _GENERATORS.sort(key=lambda g: g.order)
        return fn
    return register


def generators() -> list[Generator]:
    return list(_GENERATORS)


def default_sizes() -> dict[str, int]:
    return {name: default for g in _GENERATORS for name, default in g.sizes.items()}


def scaled_sizes(factor: float, given: dict[str, int | None]) -> dict[str, int]:
    """Every size scaled by `factor` (at least 1), except those given explicitly."""
    return {name: given[name] if given.get(name) is not None else max(1, round(default * factor))
            for name, default in default_sizes().items()}


@dataclass
class World:
    """What generators share: the sizes, one seeded random, the connection, and the facts earlier ones left
    (`world.facts["users"]`...). `now` is today at midnight UTC, so dates are realistic but deterministic
    within a day."""

    connection: object
    sizes: dict[str, int]
    rng: random.Random
    facts: dict = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(
        hour=0, minute=0, second=0, microsecond=0))
    progress: Callable[[int], None] = lambda n: None

    @property
    def today(self) -> date:
        return self.now.date()

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def insert(self, table: Table | str, rows: Iterable[dict]) -> int:
        """Insert `rows` in batches of BATCH (executemany); return how many."""
        table = db.metadata.tables[table] if isinstance(table, str) else table
        statement = insert(table)
        total = 0
        for batch in batched(rows, BATCH):
            self.connection.execute(statement, batch)
            total += len(batch)
            self.progress(len(batch))
        self.counts[table.name] = self.counts.get(table.name, 0) + total
        return total


def batched(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def database_is_empty() -> bool:
    return all(db.session.scalar(select(func.count()).select_from(table)) == 0
               for table in (db.metadata.tables["user"], db.metadata.tables["chapter"]))


def empty_database() -> None:
    """Delete every row of every table (for --force); table versions only ever go up (core/page_cache.py)."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t is not table_version]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE {} RESTART IDENTITY CASCADE".format(
            ", ".join(f'"{t.name}"' for t in tables))))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def reset_sequences(connection) -> None:
    """Ids were given explicitly: move PostgreSQL's sequences past them (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) == 1 and key[0].name == "id" and isinstance(key[0].type, Integer):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))


def run(sizes: dict[str, int], seed: int = 7, echo: Callable[[str], None] = lambda s: None,
        bar: bool = True) -> World:
    """Run every generator in one transaction; the caller checked that the database is empty."""
    with db.engine.begin() as connection:
        world = World(connection=connection, sizes=sizes, rng=random.Random(seed))
        for generator in _GENERATORS:
            started = time.perf_counter()
            before = sum(world.counts.values())
            estimate = max(1, sum(sizes[name] for name in generator.sizes) or 1)
            with click.progressbar(length=estimate, label=f"{generator.label:<14}", show_pos=True,
                                   file=None if bar else io.StringIO()) as progress:
                world.progress = lambda n, p=progress: p.update(n)
                generator.fn(world)
                progress.update(max(0, estimate - progress.pos))
            rows = sum(world.counts.values()) - before
            echo(f"  {generator.label}: {rows:,} rows in {time.perf_counter() - started:.1f} s")
        reset_sequences(connection)
    with db.engine.connect() as connection:
        # Give the query planner the statistics a live database has (PostgreSQL's autovacuum analyses
        # new tables; SQLite keeps none until ANALYZE or PRAGMA optimize).
        connection.execute(text("ANALYZE"))
        connection.commit()
    return world


def size_options(command):
    """Add one `--name N` option per registered size (after the packages registered their generators)."""
    for name, default in default_sizes().items():  # listed in generator order
        command = click.option(f"--{name.replace('_', '-')}", name, type=click.IntRange(min=1), default=None,
                               help=f"How many {name.replace('_', ' ')} (default {default:,}, times --scale).")(command)
    return command


def make_command() -> click.Command:
    """`flask seed-scale`, built once the packages have registered their generators."""

    @click.command("seed-scale")
    @click.option("--scale", "factor", type=click.FloatRange(min=0, min_open=True), default=1.0,
                  help="Multiply every default size (0.01 for a quick run).")
    @click.option("--seed", type=int, default=7, help="Seed of the random generator (same seed, same data).")
    @click.option("--force", is_flag=True, help="Empty every table first when the database holds data.")
    @click.option("--quiet", is_flag=True, help="No progress bars.")
    @with_appcontext
    def seed_scale(factor: float, seed: int, force: bool, quiet: bool, **given):
        """Fill an empty database with a large realistic data set (bulk inserts; minutes, not hours)."""
        if not database_is_empty():
            if not force:
                raise click.ClickException("The database already holds data. Use an empty database "
                                           "(flask db upgrade on a new one), or --force to empty every table.")
            empty_database()
        db.session.close()  # the generators write through a connection of their own
        sizes = scaled_sizes(factor, given)
        click.echo("Sizes: " + ", ".join(f"{k}={v:,}" for k, v in sizes.items()))
        started = time.perf_counter()
        world = run(sizes, seed=seed, echo=click.echo, bar=not quiet)
        click.echo(f"Scale data set loaded: {sum(world.counts.values()):,} rows "
                   f"in {time.perf_counter() - started:.0f} s.")
        for handle, role in world.facts.get("sign_ins", []):
            click.echo(f"  sign in as {handle:<24} {role} (password: {world.facts['password']})")

    return size_options(seed_scale)
