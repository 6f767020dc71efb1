"""recommendation position links — a recommendation can rest on positions of an open question

Revision ID: 0017_recommendation_positions
Revises: 0016_item_versions

`recommendation_links.position_id`: the position a link of kind "position" points at (NULL for the
other kinds, as `argument_id` is for a source). Every existing link keeps its kind and target.

On SQLite, adding a foreign key rebuilds `recommendation_links`: the rebuild keeps AUTOINCREMENT
and puts back the indexes it would lose (as 0015 does for `arguments`).
"""

import sqlalchemy as sa
from alembic import op


revision = "0017_recommendation_positions"
down_revision = "0016_item_versions"
branch_labels = None
depends_on = None

TABLE = "recommendation_links"


def _add(batch_op):
    batch_op.add_column(sa.Column("position_id", sa.Integer(), nullable=True))
    batch_op.create_index(
        batch_op.f("ix_recommendation_links_position_id"), ["position_id"], unique=False
    )
    batch_op.create_foreign_key(
        batch_op.f("fk_recommendation_links_position_id_positions"),
        "positions",
        ["position_id"],
        ["id"],
        ondelete="CASCADE",
    )


def _drop(batch_op):
    batch_op.drop_constraint(
        batch_op.f("fk_recommendation_links_position_id_positions"), type_="foreignkey"
    )
    batch_op.drop_index(batch_op.f("ix_recommendation_links_position_id"))
    batch_op.drop_column("position_id")


def _alter(change):
    """Apply `change` to the table; on SQLite, whose rebuild drops some indexes and AUTOINCREMENT,
    put them back."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        with op.batch_alter_table(TABLE, schema=None) as batch_op:
            change(batch_op)
        return
    create = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": TABLE}
    ).scalar_one()
    autoincrement = "AUTOINCREMENT" in create.upper()
    kept = bind.execute(
        sa.text(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE tbl_name = :t AND type IN ('trigger', 'index') AND sql IS NOT NULL"
        ),
        {"t": TABLE},
    ).all()
    with op.batch_alter_table(
        TABLE, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ) as batch_op:
        change(batch_op)
    present = set(
        bind.execute(
            sa.text("SELECT name FROM sqlite_master WHERE tbl_name = :t"), {"t": TABLE}
        ).scalars()
    )
    for _type, name, sql in kept:
        if name not in present and name != "ix_recommendation_links_position_id":
            bind.exec_driver_sql(sql)


def upgrade():
    _alter(_add)


def downgrade():
    _alter(_drop)
