"""arguments by author and debate — a reader's own arguments in a debate, read from one index

Revision ID: 0021_arguments_author_debate
Revises: 0020_browser_session_sign_in

Every signed-in list asks whether the reader has an unpublished argument in the debate (then the
list is theirs). With an index on `author_id` and another on `debate_id`, SQLite (no statistics)
chose `debate_id`, and scanned the whole debate: 2.4 ms per list at 100,000 arguments. The index
`(author_id, debate_id, status)` answers it alone, on both databases; it replaces the index on
`author_id`, its prefix (the erasure of an account's authorship still finds its rows by it).
"""

from alembic import op

revision = "0021_arguments_author_debate"
down_revision = "0020_browser_session_sign_in"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_arguments_author_debate_status",
        "arguments",
        ["author_id", "debate_id", "status"],
        unique=False,
    )
    op.drop_index("ix_arguments_author_id", table_name="arguments")


def downgrade():
    op.create_index("ix_arguments_author_id", "arguments", ["author_id"], unique=False)
    op.drop_index("ix_arguments_author_debate_status", table_name="arguments")
