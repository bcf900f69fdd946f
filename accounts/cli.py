"""`flask create-admin EMAIL`: create or promote a platform administrator."""
import click
from flask.cli import with_appcontext

from accounts.services import make_admin
from core.errors import DomainError


@click.command("create-admin")
@click.argument("email")
@click.option("--name", help="Full name, when the account is created.")
@click.option("--handle", help="Public handle, when the account is created.")
@click.option("--password", help="Password, when the account is created (asked for when missing).")
@with_appcontext
def create_admin(email: str, name: str | None, handle: str | None, password: str | None) -> None:
    """Promote the account with EMAIL to admin, creating it when it does not exist."""
    from accounts.models import User
    from core.extensions import db
    from sqlalchemy import select

    exists = db.session.scalar(select(User.id).where(User.email == email.strip().lower()))
    if not exists and not password:
        password = click.prompt("Password for the new admin", hide_input=True, confirmation_prompt=True)
    try:
        user, created = make_admin(email, name=name, handle=handle, password=password)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(("Created admin " if created else "Promoted to admin: ") + f"{user.email} (@{user.handle})")
