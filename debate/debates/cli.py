"""Debate commands: demo content."""

import click
from flask.cli import with_appcontext


@click.command("demo")
@with_appcontext
def demo():
    """Load the demo 5G debate (idempotent: skips when demo data exists)."""
    from debate.debates.demo import load_demo

    load_demo(echo=click.echo)
