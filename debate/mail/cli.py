"""`flask --app debate send-mail`: assemble the daily digests that are due, then send the queued
e-mails. Safe from cron, even when two runs overlap (see debate/mail/outbox.py)."""

import click
from flask.cli import with_appcontext

from debate.mail import outbox


@click.command("send-mail")
@click.option(
    "--digests-now",
    is_flag=True,
    help="Assemble every pending daily digest now, whatever the hour.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="At most this many e-mails in this run (the rest waits for the next one).",
)
@click.option("--quiet", is_flag=True, help="Print only the summary line.")
@with_appcontext
def send_mail(digests_now, limit, quiet):
    """Send the queued e-mails (retries with backoff) and the daily digests that are due."""

    digests = outbox.assemble_digests(force=digests_now)
    if digests and not quiet:
        click.echo(f"{digests} daily digest(s) assembled.")

    def progress(row, result):
        if not quiet:
            click.echo(
                f"  #{row.id} {row.category}: {result}"
                + (f" ({row.last_error})" if result != "sent" and row.last_error else "")
            )

    counts = outbox.deliver(limit=limit, progress=progress)
    click.echo(
        f"Sent {counts['sent']}, to retry later {counts['retry']}, failed {counts['failed']}."
    )
    purged = outbox.purge_old()
    if purged and not quiet:
        click.echo(f"{purged} old outbox row(s) deleted.")
