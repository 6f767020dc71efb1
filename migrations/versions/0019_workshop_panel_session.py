"""workshop panel session — a workshop can be a session of the debate's citizens' panel

Revision ID: 0019_workshop_panel_session
Revises: 0018_citizens_panel

`workshops.panel_session`: true for a workshop recorded as a session of the citizens' panel (listed
on the panel's page). Every existing workshop is not (server default false).

No rebuild of the table, on SQLite either (a rebuild would lose its AUTOINCREMENT and some indexes,
see 0017): the default is a plain literal, so the batch only issues ALTER TABLE … ADD COLUMN, and the
downgrade is ALTER TABLE … DROP COLUMN (SQLite 3.35+).
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_workshop_panel_session"
down_revision = "0018_citizens_panel"
branch_labels = None
depends_on = None


def upgrade():
    # A literal, not sa.false(): Alembic rebuilds a SQLite table for an SQL-expression default.
    false = "0" if op.get_bind().dialect.name == "sqlite" else "false"
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("panel_session", sa.Boolean(), server_default=false, nullable=False)
        )


def downgrade():
    op.drop_column("workshops", "panel_session")
