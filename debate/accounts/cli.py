"""Account commands."""

import fcntl
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from debate.accounts import auth, personal_data
from debate.accounts.operations import create_or_promote_admin, find_user_by_email
from debate.core import audit
from debate.core.db import utcnow
from debate.core.errors import Invalid
from debate.extensions import db


@click.command("create-admin")
@click.argument("email")
@click.option("--password", help="Password (asked for when not given and the account is new).")
@click.option("--name", "display_name", help="Display name for a new account.")
@with_appcontext
def create_admin(email, password, display_name):
    """Create an administrator, or promote an existing account."""

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


@click.command("purge")
@click.option(
    "--dry-run", is_flag=True, help="Only say which accounts would be warned or anonymized."
)
@with_appcontext
def purge(dry_run):
    """Retention: warn accounts nearing the inactivity limit, anonymize those warned long enough ago.

    Safe from cron: each account is handled in its own transaction and checked again inside it
    (running twice changes nothing more), and a lock makes an overlapping run stop at once."""

    months, days = personal_data.retention_settings()
    now = utcnow()
    with _purge_lock() as acquired:
        if not acquired:
            raise click.ClickException("Another purge is running; nothing done.")
        to_warn = personal_data.accounts_to_warn(now)
        to_anonymize = personal_data.accounts_to_anonymize(now)
        click.echo(
            f"Retention: {months} months of inactivity, warning {days} days before. "
            f"To warn: {len(to_warn)}; to anonymize: {len(to_anonymize)}."
        )
        if dry_run:
            for label, ids in (("would warn", to_warn), ("would anonymize", to_anonymize)):
                if ids:
                    click.echo(f"  {label}: account ids {', '.join(map(str, ids))}")
            for _name, step in personal_data.purge_steps():
                click.echo(step(now, dry_run=True))
            click.echo("Dry run: nothing changed.")
            db.session.rollback()
            return
        done = {"warned": 0, "anonymized": 0}
        for label, ids, action, key in (
            ("Warning", to_warn, personal_data.warn_inactive, "warned"),
            ("Anonymizing", to_anonymize, personal_data.anonymize_inactive, "anonymized"),
        ):
            if not ids:
                continue
            with click.progressbar(ids, label=label, show_pos=True) as bar:
                for user_id in bar:
                    try:
                        changed = action(user_id, now)
                        db.session.commit()
                    except Exception:
                        db.session.rollback()
                        raise
                    done[key] += int(changed)
        click.echo(f"Done: {done['warned']} warned, {done['anonymized']} anonymized.")
        forgotten = audit.forget_old_addresses(now)
        db.session.commit()
        click.echo(
            f"Audit log: IP addresses older than {current_app.config['AUDIT_IP_DAYS']} days "
            f"removed from {forgotten} rows."
        )
        expired = auth.purge_expired(now)
        db.session.commit()
        click.echo(
            f"Expired browser sessions deleted: {expired['browser_sessions']}; "
            f"idle sign-in counts forgotten: {expired['sign_in_throttles']}."
        )
        for _name, step in personal_data.purge_steps():  # the domains' own retention rules
            click.echo(step(now))


class _purge_lock:
    """One purge at a time: an advisory lock on PostgreSQL (across machines), a file lock in the
    instance folder otherwise."""

    KEY = 0x64656261  # "deba"

    def __enter__(self) -> bool:

        self.connection = None
        self.handle = None
        if db.engine.dialect.name == "postgresql":
            self.connection = db.engine.connect()
            got = self.connection.exec_driver_sql(
                f"SELECT pg_try_advisory_lock({self.KEY})"
            ).scalar()
            self.connection.commit()
            return bool(got)

        self.handle = open(Path(current_app.instance_path) / "purge.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def __exit__(self, *exc) -> None:
        if self.connection is not None:
            self.connection.exec_driver_sql(f"SELECT pg_advisory_unlock({self.KEY})")
            self.connection.commit()
            self.connection.close()
        if self.handle is not None:
            self.handle.close()  # closing releases the lock
