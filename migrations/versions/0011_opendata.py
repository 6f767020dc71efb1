"""open data — export, import, backup

Revision ID: 0011_opendata
Revises: 0010_scale
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0011_opendata'
down_revision = '0010_scale'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
