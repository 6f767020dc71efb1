"""personal data — account deletion, retention

Revision ID: 0009_personal_data
Revises: 0008_security
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0009_personal_data'
down_revision = '0008_security'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
