"""`flask --app debate demo`: declared as a `flask.commands` entry point in pyproject.toml, so that the
application itself never imports the sample data."""

import time

import click
from flask.cli import with_appcontext

from debate.core.errors import Invalid
from debate.demo import load_demo, scale
from debate.extensions import db


@click.command("demo")
@click.option(
    "--scale",
    "scale",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Instead of the demo, generate a large data set of N arguments (e.g. 1000, 10000, 100000).",
)
@with_appcontext
def demo(scale):
    """Load the demo debates (idempotent: skips when demo data exists); --scale N generates a large
    data set for load tests instead."""
    if scale is not None:
        return _scale(scale)
    try:
        load_demo(echo=click.echo)
    except Invalid as exc:
        # Nothing was committed: load_demo commits once, at the very end.
        db.session.rollback()
        details = "; ".join(f"{key}: {m}" for key, msgs in exc.fields.items() for m in msgs)
        raise click.ClickException(f"Démo non chargée : {details or exc.message}") from None


def _scale(arguments: int) -> None:
    """Generate the scale data set with a progress bar (see debate/demo/scale.py)."""
    if scale.already_generated():
        click.echo("Données d'échelle déjà présentes : rien n'est ajouté.")
        return
    plan = scale.Plan(arguments)
    started = time.monotonic()
    with click.progressbar(
        length=plan.rows(),
        label=f"Génération ({arguments} arguments)",
        show_pos=True,
        show_eta=True,
    ) as bar:
        written = scale.generate(arguments, progress=bar.update)
    click.echo(
        f"Écrit en {time.monotonic() - started:.1f} s : "
        + ", ".join(f"{k} {v}" for k, v in written.items())
    )
