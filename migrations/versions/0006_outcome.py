"""outcome — recommendations, links, supports, comments, responses, commitments, observations

Revision ID: 0006_outcome
Revises: 0005_workshops
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0006_outcome'
down_revision = '0005_workshops'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
