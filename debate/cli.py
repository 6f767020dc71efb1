"""Commands that span domains: `flask --app debate demo`."""

import click
from flask.cli import with_appcontext


@click.command("demo")
@with_appcontext
def demo():
    """Load the demo debates (idempotent: skips when demo data exists)."""
    from debate.core.errors import Invalid
    from debate.demo import load_demo
    from debate.extensions import db

    try:
        load_demo(echo=click.echo)
    except Invalid as exc:
        # Nothing was committed: load_demo commits once, at the very end.
        db.session.rollback()
        details = "; ".join(f"{key}: {m}" for key, msgs in exc.fields.items() for m in msgs)
        raise click.ClickException(f"Démo non chargée : {details or exc.message}") from None
