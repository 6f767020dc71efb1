"""search vector — PostgreSQL keeps each argument's French text-search vector

Revision ID: 0012_search_vector
Revises: 0011_opendata

PostgreSQL searched arguments with to_tsvector('french', search_text) computed at query time: for a
common word the planner filters a debate's arguments one by one, and computing the vector of each
row cost ~0.1 ms (a search over 5 000 arguments took ~0.6 s). The vector is now a stored generated
column, `search_fts`, with its GIN index; debate/arguments/search.py queries it. Like the other
full-text search objects (names with an `fts` part), it is created here by hand and left out of the
models' metadata (debate/core/db.py, include_name). SQLite keeps its FTS5 table: nothing changes.
"""
from alembic import op


revision = '0012_search_vector'
down_revision = '0011_opendata'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE arguments ADD COLUMN search_fts tsvector "
               "GENERATED ALWAYS AS (to_tsvector('french'::regconfig, coalesce(search_text, ''))) STORED")
    op.execute("CREATE INDEX ix_arguments_search_fts ON arguments USING gin (search_fts)")
    op.execute("DROP INDEX IF EXISTS ix_arguments_fts")
    op.execute("ANALYZE arguments")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_arguments_fts ON arguments USING gin (to_tsvector('french', search_text))")
    op.execute("DROP INDEX IF EXISTS ix_arguments_search_fts")
    op.execute("ALTER TABLE arguments DROP COLUMN IF EXISTS search_fts")
