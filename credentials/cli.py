"""`flask credentials ...`: manage the signing keys and (re)issue credentials."""
from __future__ import annotations

import click

from core.extensions import db
from credentials import bp, issuing, keys

bp.cli.short_help = "Manage learning credentials and their signing keys."


@bp.cli.command("rotate-key")
def rotate_key() -> None:
    """Add a new signing key (key-N+1) for new credentials; earlier keys stay published."""
    try:
        key = keys.rotate()
    except keys.KeyConfigError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"New signing key {key.key_id} ({key.public_key_multibase}) is published now and signs new "
               f"credentials in {keys.PUBLISH_DELAY // 60} minutes, once cached copies of the issuer's documents "
               f"have expired; {len(keys.all_keys())} key(s) published.")


@bp.cli.command("list-keys")
def list_keys() -> None:
    """Show the published keys, oldest first, and which one signs now."""
    signing = keys.current_key()
    for key in keys.all_keys():
        click.echo(f"{key.key_id} {key.public_key_multibase}{'  (signs now)' if key == signing else ''}")


@bp.cli.command("issue")
@click.argument("project_id", type=int)
def issue(project_id: int) -> None:
    """Issue the missing credentials of a delivered project now (idempotent)."""
    issued = issuing.issue_for_project(project_id)
    db.session.commit()
    click.echo(f"{len(issued)} credential(s) issued.")
