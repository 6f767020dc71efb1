"""scale — indexes and counters for large debates

Revision ID: 0010_scale
Revises: 0009_personal_data
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0010_scale'
down_revision = '0009_personal_data'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_arguments_debate_status_created', ['debate_id', 'status', 'created_at']),
    ('ix_arguments_debate_status_endorsements', ['debate_id', 'status', 'endorsements_count']),
    ('ix_arguments_debate_status_replies', ['debate_id', 'status', 'replies_count']),
    ('ix_arguments_debate_balance', ['debate_id', 'status', 'parent_id', 'theme_id', 'stance']),
]


def upgrade():
    # The generation of each debate's cached values (debate/core/cache.py).
    op.create_table(
        'cache_generations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('debate_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cache_generations')),
    )
    op.create_index('ix_cache_generations_debate_id_id', 'cache_generations', ['debate_id', 'id'], unique=False)
    # Lists and counts of large debates read in index order (plain CREATE INDEX: never batch-alter
    # the arguments table on SQLite, which would drop its full-text search triggers).
    for name, columns in INDEXES:
        op.create_index(name, 'arguments', columns, unique=False)


def downgrade():
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name='arguments')
    op.drop_index('ix_cache_generations_debate_id_id', table_name='cache_generations')
    op.drop_table('cache_generations')
