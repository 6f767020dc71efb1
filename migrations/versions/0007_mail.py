"""mail — confirmation, password reset, outbox, notification preferences

Revision ID: 0007_mail
Revises: 0006_outcome
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0007_mail'
down_revision = '0006_outcome'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
