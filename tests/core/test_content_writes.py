"""Which SQL statements renew the site's content generation (debate/core/content_writes.py), and
when: at the commit of a transaction that wrote content, never for one that only touched what no
page shows or ran on a connection left out (the migrations)."""

import pytest
import sqlalchemy as sa

from debate.core import content_writes
from debate.extensions import db


@pytest.mark.parametrize(
    "statement, changes",
    [
        # what no page shows: sign-in times, sessions, the cache's own rows, full-text tables
        ("UPDATE users SET last_seen_at=? WHERE users.id = ?", False),
        ("UPDATE users SET last_login_at=?, last_seen_at=? WHERE users.id = ?", False),
        ("UPDATE users SET locale=%(locale)s WHERE users.id = %(users_id)s", False),
        ("INSERT INTO user_sessions (user_id, token_hash) VALUES (?, ?)", False),
        ("DELETE FROM api_tokens WHERE api_tokens.id = ?", False),
        ("INSERT INTO audit_events (event) VALUES (?)", False),
        ("INSERT INTO mail_outbox (subject) VALUES (?)", False),
        ("DELETE FROM cache_generations WHERE cache_generations.id IN (SELECT 1)", False),
        ("INSERT INTO arguments_fts(rowid, search_text) VALUES (?, ?)", False),
        # reads and transaction control
        ("SELECT * FROM arguments FOR UPDATE", False),
        ("SAVEPOINT sa_savepoint_1", False),
        ("PRAGMA foreign_keys=ON", False),
        # content
        ("UPDATE users SET display_name=%(display_name)s WHERE users.id = %(users_id)s", True),
        ("UPDATE users SET last_seen_at=?, display_name=? WHERE users.id = ?", True),
        ("INSERT INTO endorsements (user_id, argument_id) VALUES (?, ?)", True),
        ("INSERT OR REPLACE INTO themes (key) VALUES (?)", True),
        ("REPLACE INTO themes (key) VALUES (?)", True),
        (
            'UPDATE "arguments" SET endorsements_count=(arguments.endorsements_count + ?) WHERE arguments.id = ?',
            True,
        ),
        ("DELETE FROM arguments WHERE id = 1", True),
        ("WITH gone AS (DELETE FROM arguments RETURNING id) SELECT count(*) FROM gone", True),
        ("WITH recent AS (SELECT id FROM arguments) SELECT * FROM recent", False),
        ("ALTER TABLE arguments ADD COLUMN x INTEGER", True),
        ("TRUNCATE arguments", True),
    ],
)
def test_which_statements_count_as_content_writes(statement, changes):
    assert content_writes.changes_content(statement) is changes


def _site_generation_after(write) -> tuple[str | None, str | None]:
    before = content_writes.site_generation()
    write()
    db.session.commit()  # a savepoint's release in the test's transaction: the same hook as a commit
    return before, content_writes.site_generation()


def test_a_content_write_renews_the_generation_at_its_commit(make):
    debate = make.debate(phase="arguments")
    db.session.commit()

    def rename():
        db.session.execute(
            sa.text("UPDATE debates SET title = :t WHERE id = :i"),
            {"t": "Autre titre", "i": debate.id},
        )

    before, after = _site_generation_after(rename)
    assert after is not None and after != before


def test_a_write_nobody_sees_leaves_it(make):
    user = make.user("Lectrice")
    db.session.commit()

    def seen():
        db.session.execute(
            sa.text("UPDATE users SET last_seen_at = CURRENT_TIMESTAMP WHERE id = :i"),
            {"i": user.id},
        )

    before, after = _site_generation_after(seen)
    assert after == before


def test_an_untracked_connection_leaves_it(make):
    debate = make.debate(phase="arguments")
    db.session.commit()
    connection = db.session.connection()
    connection.info[content_writes.UNTRACKED] = True
    try:
        before, after = _site_generation_after(
            lambda: db.session.execute(
                sa.text("UPDATE debates SET title = 'y' WHERE id = :i"), {"i": debate.id}
            )
        )
    finally:
        connection.info.pop(content_writes.UNTRACKED, None)
    assert after == before
