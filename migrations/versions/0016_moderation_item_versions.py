"""moderation item versions — what the moderators last saw of a revised question, scope proposal or
comment

Revision ID: 0016_item_versions
Revises: 0015_positions

`moderation_item_versions`: when the author of a refused item revises it and sends it back to the
moderation queue, the text the moderators last saw is kept here (debate/moderation/models.py
ItemVersion), so that the queue shows what changed. Arguments keep theirs in `argument_versions`.
"""

import sqlalchemy as sa
from alembic import op


revision = "0016_item_versions"
down_revision = "0015_positions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "moderation_item_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("debate_id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=30), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["debate_id"],
            ["debates.id"],
            name=op.f("fk_moderation_item_versions_debate_id_debates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_item_versions")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("moderation_item_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_item_versions_debate_id"), ["debate_id"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_item_versions_target", ["target_type", "target_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("moderation_item_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_item_versions_target")
        batch_op.drop_index(batch_op.f("ix_moderation_item_versions_debate_id"))
    op.drop_table("moderation_item_versions")
