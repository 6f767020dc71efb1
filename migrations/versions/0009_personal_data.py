"""personal data — account deletion, retention

Revision ID: 0009_personal_data
Revises: 0008_security
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_personal_data'
down_revision = '0008_security'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite >= 3.35 drops columns in place): a batch
# "recreate" of `users` would drop the table, and every ON DELETE CASCADE with it.
def upgrade():
    op.add_column('users', sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('retention_warned_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('users', 'retention_warned_at')
    op.drop_column('users', 'last_seen_at')
