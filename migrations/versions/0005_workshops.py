"""workshops — agenda, notes, promotion

Revision ID: 0005_workshops
Revises: 0004_moderation
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0005_workshops'
down_revision = '0004_moderation'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
