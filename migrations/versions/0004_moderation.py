"""moderation — decisions, log, reports review, merges, notifications

Revision ID: 0004_moderation
Revises: 0003_arguments
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0004_moderation'
down_revision = '0003_arguments'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
