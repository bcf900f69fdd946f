"""The daily job that writes the open-data files, and `flask open-data` to write them now."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.schedule import periodic
from opendata import exports


def write_open_data() -> int:
    """Write every open-data file (a periodic job: it only reads the database); returns how many."""
    return len(exports.write_all())


periodic("opendata.tasks.write_open_data", cron="30 3 * * *")  # every day at 03:30 UTC


@click.command("open-data")
@with_appcontext
def open_data_command() -> None:
    """Write the open-data files (public projects and chapters, JSON Lines and CSV) now."""
    for path in exports.write_all():
        click.echo(f"{path} ({path.stat().st_size} bytes)")
