"""flask --app debate export SLUG FILE · import FILE · backup PATH."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from debate.core.errors import Conflict, Invalid
from debate.debates.models import Debate
from debate.extensions import db
from debate.opendata.document import SECTIONS, count_items, stream_document
from debate.opendata.importer import LISTED, import_document


def _fail(exc: Invalid):
    """The refusal as the command's error: its message, then every problem when it lists only some."""
    problems = [f"  {k}: {' '.join(map(str, msgs))}" for k, msgs in exc.fields.items()]
    if len(problems) <= LISTED:
        return click.ClickException(str(exc.message))
    return click.ClickException("\n".join([str(exc.message), *problems]))


@click.command("export")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, allow_dash=True))
@with_appcontext
def export_command(slug, file):
    """Write a debate's public export document (JSON) to FILE ("-" for standard output)."""

    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == slug))
    if debate is None:
        raise click.ClickException(f"Unknown debate: {slug}")
    total = count_items(debate)
    to_stdout = file == "-"
    handle = click.get_text_stream("stdout") if to_stdout else open(file, "w", encoding="utf-8")  # noqa: SIM115
    try:
        with click.progressbar(
            length=total, label=f"Export {slug}", file=sys.stderr, show_pos=True
        ) as bar:
            for chunk in stream_document(debate, on_item=lambda _name: bar.update(1)):
                handle.write(chunk)
    finally:
        if not to_stdout:
            handle.close()
    if not to_stdout:
        click.echo(f"Exported {slug} to {file} ({total} items).", err=True)


@click.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--slug", help="Import under another address (when the debate's slug is taken here).")
@with_appcontext
def import_command(file, slug):
    """Create a debate from an export document; authors become placeholder accounts that cannot sign in."""

    try:
        document = json.load(file)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"Not a JSON file: {exc}") from None
    sizes = {
        part.name: len(document.get(part.name) or []) if isinstance(document, dict) else 0
        for part in SECTIONS
    }
    with click.progressbar(
        length=sum(sizes.values()) or 1, label="Import", show_pos=True, file=sys.stderr
    ) as bar:
        try:
            debate = import_document(document, slug=slug, on_section=lambda _name, n: bar.update(n))
        except Conflict as exc:
            db.session.rollback()
            raise click.ClickException(
                f"{exc.message} (slug: {document['debate']['slug']}); "
                "import it under another address with --slug NEW-SLUG."
            ) from None
        except Invalid as exc:
            db.session.rollback()
            raise _fail(exc) from None
    db.session.commit()
    click.echo(f"Imported debate {debate.slug} (id {debate.id}).")


# --- backup ------------------------------------------------------------------------------------


def backup_sqlite(engine: sa.Engine, destination: Path) -> None:
    """Copy a live SQLite database with SQLite's online backup API: one consistent snapshot, taken
    while the application keeps reading and writing (WAL: writers are not blocked)."""
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(partial)
        try:
            # In one step (pages=-1): a snapshot under one read transaction, never restarted by writes.
            raw.driver_connection.backup(target, pages=-1)
        finally:
            target.close()
    finally:
        raw.close()
    os.replace(partial, destination)


def pg_dump_path() -> str:
    """The pg_dump program, or a clear error saying how to install it."""
    found = shutil.which("pg_dump")
    if not found:
        raise click.ClickException(
            "pg_dump was not found on PATH: install the PostgreSQL client (Debian: apt-get install "
            "postgresql-client), of the same major version as the server or newer."
        )
    return found


def backup_postgresql(url: sa.URL, destination: Path) -> None:
    """pg_dump in its custom format: a consistent snapshot (one repeatable-read transaction) while
    the application serves requests; restore with pg_restore."""
    program = pg_dump_path()
    libpq = url.set(drivername="postgresql")
    env = dict(os.environ)
    if libpq.password:
        env["PGPASSWORD"] = str(libpq.password)
    dsn = libpq.set(password=None).render_as_string(hide_password=False)
    with tempfile.NamedTemporaryFile(
        dir=destination.parent, prefix=destination.name, suffix=".partial", delete=False
    ) as tmp:
        partial = Path(tmp.name)
    try:
        result = subprocess.run(
            [program, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={dsn}"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise click.ClickException(f"pg_dump failed: {result.stderr.strip()}")
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path):
    """Back up the whole instance's database to PATH while it keeps serving requests
    (SQLite: a copy of the database file; PostgreSQL: a pg_dump archive, custom format)."""
    engine = db.engine
    destination = Path(path).resolve()
    if not destination.parent.is_dir():
        raise click.ClickException(f"No such folder: {destination.parent}")
    dialect = engine.dialect.name
    click.echo(f"Backing up the {dialect} database to {destination}…")
    if dialect == "sqlite":
        if engine.url.database in (None, "", ":memory:"):
            raise click.ClickException("An in-memory SQLite database cannot be backed up.")
        backup_sqlite(engine, destination)
    elif dialect == "postgresql":
        backup_postgresql(engine.url, destination)
    else:
        raise click.ClickException(f"Backups of {dialect} databases are not supported.")
    click.echo(f"Backup written: {destination} ({destination.stat().st_size} bytes).")
