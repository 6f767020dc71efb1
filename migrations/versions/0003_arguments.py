"""arguments — arguments, sources, endorsements, versions, full-text search

Revision ID: 0003_arguments
Revises: 0002_expertise
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0003_arguments'
down_revision = '0002_expertise'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
