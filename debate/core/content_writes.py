"""Which writes renew the site's content generation, the key of the page cache (page_cache.py).

Whole pages shown to anonymous visitors depend on nearly every table. Rather than a watch per model,
every statement the engine runs is looked at: any INSERT, UPDATE or DELETE (ORM flush, bulk
statement, raw SQL, another process alike) on a table a page may show marks the connection, and the
transaction gets a new *site* generation (a row of `cache_generations` with debate id 0) just before
it commits (or releases a savepoint). A read after a write's commit therefore never sees a page
cached before it.

What counts as a content write (`changes_content`), plainly:

- INSERT (also INSERT OR …, REPLACE), UPDATE and DELETE on any table, except the tables no page
  shows to an anonymous visitor (UNSHOWN_TABLES: sessions, API tokens, audit, mail, notifications,
  notification preferences, cache generations, Alembic's version) and the full-text index tables;
- an UPDATE of `users` counts unless it sets only columns no page shows (UNSHOWN_COLUMNS: sign-in and
  last-seen times, retention warning, password hash, e-mail address and its confirmation, locale), so
  that signing in or browsing does not empty the cache;
- a WITH statement counts when it holds an INSERT, UPDATE or DELETE;
- any other statement that may write (CREATE, ALTER, DROP, TRUNCATE, MERGE, COPY) counts;
- SELECT (even FOR UPDATE), SAVEPOINT, BEGIN, COMMIT and PRAGMA do not.

Connections marked UNTRACKED (the migrations: migrations/env.py) are left out.
"""

from __future__ import annotations

import re

from flask import has_request_context, request
from sqlalchemy import event

from debate.core.cache import _new_generation, generation, generation_statement

SITE = 0
_WRITTEN = "debate_content_written"
#: Set in a connection's info to leave its statements out (the migrations: see migrations/env.py).
UNTRACKED = "debate_untracked"
#: Tables no page shown to an anonymous visitor reads.
UNSHOWN_TABLES = frozenset(
    {
        "cache_generations",
        "user_sessions",
        "browser_sessions",
        "sign_in_throttles",
        "api_tokens",
        "audit_events",
        "mail_outbox",
        "notifications",
        "notification_preferences",
        "alembic_version",
    }
)
#: Columns of other tables no such page reads (an UPDATE of these alone does not count).
UNSHOWN_COLUMNS = {
    "users": frozenset(
        {
            "last_seen_at",
            "last_login_at",
            "retention_warned_at",
            "password_hash",
            "email_confirmed_at",
            "locale",
            "email",
            "link_key",
        }
    ),
}
_WRITE_WORDS = (
    "INSERT",
    "UPDATE",
    "DELETE",
    "REPLACE",
    "WITH",
    "CREATE",
    "ALTER",
    "DROP",
    "TRUNCATE",
    "MERGE",
    "COPY",
)
_TABLE_OF = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|DELETE\s+FROM|UPDATE)\s+"?(\w+)"?', re.I
)
_SET_CLAUSE = re.compile(r"\sSET\s(.*?)(?:\sWHERE\s|\sRETURNING\s|$)", re.I | re.S)
_SET_COLUMN = re.compile(r'(?:^|,)\s*"?(\w+)"?\s*=')


def changes_content(statement: str) -> bool:
    """Whether a SQL statement may change what a page shows (unknown writes count)."""
    head = statement.lstrip()[:8].upper()
    if not head.startswith(_WRITE_WORDS):
        return False
    if head.startswith("WITH"):
        return bool(re.search(r"\b(INSERT|UPDATE|DELETE)\b", statement, re.I))
    match = _TABLE_OF.match(statement)
    if match is None:
        return True  # DDL, COPY, MERGE…: assume it does
    table = match.group(1).lower()
    if table in UNSHOWN_TABLES or table.endswith("_fts") or "_fts_" in table:
        return False
    if head.startswith("UPDATE") and table in UNSHOWN_COLUMNS:
        clause = _SET_CLAUSE.search(statement)
        columns = set(_SET_COLUMN.findall(clause.group(1))) if clause else set()
        return not columns or not columns <= UNSHOWN_COLUMNS[table]
    return True


_MEMO = "_debate_site_generation"  # the generation as read by this request, until it writes


def site_generation() -> str | None:
    """The site's content generation (None until the first write since the database was created).

    Read once per request (a page asks for it for each of its fragments), and again after the
    request committed a write (`_renew` forgets it)."""
    if not has_request_context():
        return generation(SITE)
    memo = request.__dict__.get(_MEMO, _MEMO)
    if memo is _MEMO:
        memo = request.__dict__[_MEMO] = generation(SITE)
    return memo


def site_generation_statement():
    """The scalar subquery of the site's generation, for a request that reads it along with other
    values in one statement (then `remember_site_generation` what it read)."""
    return generation_statement(SITE).scalar_subquery()


def remember_site_generation(value: str | None) -> None:
    """This request read the site's generation itself: `site_generation()` answers it."""
    request.__dict__[_MEMO] = value


def _forget_memo() -> None:
    if has_request_context():
        request.__dict__.pop(_MEMO, None)


def track_content_writes(engine) -> None:
    """Give the site a new generation in every transaction that wrote content (core.init_app)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note(connection, _cursor, statement, _parameters, _context, _executemany):
        if changes_content(statement) and not connection.info.get(UNTRACKED):
            connection.info[_WRITTEN] = True

    def _renew(connection, *_args):
        if connection.info.pop(_WRITTEN, False):
            _new_generation(connection, SITE)
            _forget_memo()

    event.listen(engine, "commit", _renew)
    event.listen(engine, "release_savepoint", _renew)

    @event.listens_for(engine, "rollback")
    def _forget(connection):
        connection.info.pop(_WRITTEN, None)
