"""The migrations reproduce the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from debate.core.db import include_name
from debate.extensions import db


def test_upgrade_from_empty_matches_models(app):
    # The session's database was built by `flask db upgrade` from empty (see conftest).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_database_is_at_head(app):
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(script.get_heads())
