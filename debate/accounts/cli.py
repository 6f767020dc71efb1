"""Account commands."""

import click
from flask.cli import with_appcontext

from debate.accounts.operations import create_or_promote_admin
from debate.core.errors import Invalid
from debate.extensions import db


@click.command("create-admin")
@click.argument("email")
@click.option("--password", help="Password (asked for when not given and the account is new).")
@click.option("--name", "display_name", help="Display name for a new account.")
@with_appcontext
def create_admin(email, password, display_name):
    """Create an administrator, or promote an existing account."""
    from debate.accounts.operations import find_user_by_email

    if password is None and find_user_by_email(email) is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user, created = create_or_promote_admin(email, password, display_name)
    except Invalid as exc:
        options = {"email": "EMAIL", "password": "--password", "display_name": "--name"}
        details = " ".join(
            f"{options.get(name, name)}: {m}" for name, msgs in exc.fields.items() for m in msgs
        ) or str(exc.message)
        raise click.ClickException(details) from None
    db.session.commit()
    click.echo(f"{'Created' if created else 'Promoted'} administrator {user.email} (id {user.id}).")
