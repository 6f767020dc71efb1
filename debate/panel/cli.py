"""`flask --app debate panel …`: verify a published draw record; run draws' jobs."""

import json

import click
from flask.cli import AppGroup

from debate.extensions import db
from debate.panel import engine, jobs

panel_cli = AppGroup("panel", help="The citizens' panel: verify a draw, run draws' jobs.")


@panel_cli.command("verify")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def verify(file):
    """Re-run a published draw record (DRAW.json, from the draw page or GET …/panel/draw) and say
    whether it gives the same panel; exit status 1 and the first difference otherwise."""
    try:
        record = json.load(file)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"Not a JSON file: {exc}") from None
    if not isinstance(record, dict):
        raise click.ClickException("Not a draw record: a JSON object is expected.")
    parts = 1 + len(record.get("replacements") or [])
    click.echo(
        f"Re-running the draw of {record.get('debate', '?')} ({parts} draw(s)) with "
        f"{engine.LIBRARY} {engine.library_versions()['version']}…",
        err=True,
    )

    def progress(where, event):
        if event.get("message"):
            click.echo(f"  {where or 'draw: '}{event['message']}", err=True)

    differences, notes = engine.verify(record, progress)
    for note in notes:
        click.echo(f"Note: {note}", err=True)
    if differences:
        click.echo(f"DIFFERENT: {differences[0]}")
        for other in differences[1:]:
            click.echo(f"  also: {other}")
        raise SystemExit(1)
    click.echo(
        f"SAME: the record's seed gives the same panel ({len(record['selected'])} members)"
        + (f" and the same {parts - 1} replacement draw(s)." if parts > 1 else ".")
    )


@panel_cli.command("run-draw")
@click.argument("draw_id", type=int)
def run_draw(draw_id):
    """Run one draw's job (started by the web worker; also by hand)."""
    draw = jobs.run(draw_id)
    if draw is None:
        click.echo(f"Draw {draw_id} is not waiting for a job (done, or held by a live job).")
        return
    click.echo(f"Draw {draw_id}: {draw.status}.")


@panel_cli.command("run-draws")
def run_draws():
    """Run every draw waiting for a job (after a machine restart; cron may call it)."""
    waiting = jobs.stale_draws()
    db.session.rollback()
    click.echo(f"{len(waiting)} draw(s) to run.")
    for draw_id in waiting:
        draw = jobs.run(draw_id)
        click.echo(f"Draw {draw_id}: {draw.status if draw else 'taken by another job'}.")
