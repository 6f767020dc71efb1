import logging
from logging.config import fileConfig

from alembic import context
from alembic.util import CommandError
from flask import current_app

from debate.core.content_writes import UNTRACKED
from debate.core.db import include_name

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# Keep the app's loggers (debate.audit, debate.app…) alive when migrations run in-process (tests).
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
    except AttributeError:
        return str(get_engine().url).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def render_item(type_, obj, autogen_context):
    """Render the app's UTCDateTime as a plain timezone-aware DateTime, so migrations stand alone."""
    if type_ == "type" and obj.__class__.__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def _sqlite_foreign_keys(connection, enabled):
    """Turn SQLite's foreign key enforcement on or off for this connection.

    SQLite ignores the pragma inside a transaction, and SQLAlchemy's connection would begin one
    before running it: it goes to the driver's connection, after ending any transaction (migrations
    commit each revision as it runs, so only reads can be pending)."""
    if connection.in_transaction():
        connection.rollback()
    connection.connection.driver_connection.execute(
        "PRAGMA foreign_keys=" + ("ON" if enabled else "OFF")
    )


def _no_dangling_references(ctx, step, heads, run_args):
    """After each revision on SQLite, before its commit: no row may point at a missing one."""
    dangling = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise CommandError(
            f"revision {step.up_revision_id} leaves rows pointing at missing ones "
            f"(table, rowid, parent, key): {dangling[:10]}"
        )


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        # Schema changes come with a new release, whose digest already renews every cached page
        # (debate/core/page_cache.py); and early revisions run before cache_generations exists.
        connection.info[UNTRACKED] = True
        # SQLite changes a table by building a new one and dropping the old: with foreign keys on,
        # dropping a parent table would first delete every row that cascades from it (SQLite's
        # "generalized ALTER TABLE procedure": keys off while revisions run, each checked before
        # its commit).
        sqlite = connection.dialect.name == "sqlite"
        options = dict(conf_args)
        if sqlite:
            _sqlite_foreign_keys(connection, False)
            options["on_version_apply"] = [
                *conf_args.get("on_version_apply", ()),
                _no_dangling_references,
            ]
        try:
            context.configure(
                connection=connection,
                target_metadata=get_metadata(),
                render_item=render_item,
                include_name=include_name,
                **options,
            )

            with context.begin_transaction():
                context.run_migrations()
        finally:  # the pooled connection serves the app afterwards
            connection.info.pop(UNTRACKED, None)
            if sqlite:
                _sqlite_foreign_keys(connection, True)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
