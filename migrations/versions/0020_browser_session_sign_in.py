"""browser session sign-in — a browser session names the sign-in it carries

Revision ID: 0020_browser_session_sign_in
Revises: 0019_workshop_panel_session

`browser_sessions.sign_in_hash`: the SHA-256 of the sign-in secret the session's data holds (the
`token_hash` of its `user_sessions` row), so a signed-in request reads its session, its sign-in and
its account in one statement (debate/accounts/sessions.py). Existing rows have none: their next
request checks the sign-in with a second query, as before, until their next write sets it.

No rebuild of the table on SQLite: a nullable column without default is ALTER TABLE … ADD COLUMN,
and the downgrade is ALTER TABLE … DROP COLUMN (SQLite 3.35+).
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_browser_session_sign_in"
down_revision = "0019_workshop_panel_session"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("browser_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sign_in_hash", sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column("browser_sessions", "sign_in_hash")
