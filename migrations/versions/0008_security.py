"""security — audit log, session hardening

Revision ID: 0008_security
Revises: 0007_mail
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0008_security'
down_revision = '0007_mail'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
