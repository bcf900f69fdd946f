"""The demo-data command; packages contribute seeders in dependency order."""
from __future__ import annotations

from typing import Callable

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from core.extensions import db

Seeder = Callable[[dict], None]
_SEEDERS: list[tuple[int, str, Seeder]] = []
_SIGN_INS: list[Callable[[], list[str]]] = []


def seeder(order: int):
    """Register `fn(world)` to add demo data; `world` carries what earlier seeders made."""
    def register(fn: Seeder) -> Seeder:
        name = f"{fn.__module__}.{fn.__qualname__}"
        if name not in {n for _, n, _ in _SEEDERS}:
            _SEEDERS.append((order, name, fn))
            _SEEDERS.sort(key=lambda item: item[0])
        return fn
    return register


def sign_ins(fn: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """Register `fn() -> lines` that seed-demo prints: how to sign in to the demo accounts."""
    if fn not in _SIGN_INS:
        _SIGN_INS.append(fn)
    return fn


def database_is_empty() -> bool:
    users = db.metadata.tables["user"]
    return db.session.scalar(select(func.count()).select_from(users)) == 0


def run_seeders() -> dict:
    """Run every seeder in order, inside a request context so that services can build URLs."""
    world: dict = {"accounts": []}
    with current_app.test_request_context("/"):
        for _, _, fn in _SEEDERS:
            fn(world)
        db.session.commit()
    return world


@click.command("seed-demo")
@click.option("--quiet", is_flag=True, help="Do not print the demo accounts.")
@with_appcontext
def seed_demo(quiet: bool) -> None:
    """Load demo data when the database is empty, then print the demo sign-ins."""
    if current_app.config["PRODUCTION"]:
        raise click.ClickException("seed-demo creates accounts with a published password; it does not run when "
                                   "CHAPTERHOUSE_ENV=production.")
    if database_is_empty():
        world = run_seeders()
        click.echo(f"Demo data loaded: {len(world['accounts'])} accounts.")
    else:
        click.echo("The database already holds data; demo data not loaded.")
    if not quiet:
        for lines in _SIGN_INS:
            for line in lines():
                click.echo(line)
