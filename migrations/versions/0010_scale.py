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


def upgrade():
    pass


def downgrade():
    pass
