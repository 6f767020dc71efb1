"""ids never reused — SQLite AUTOINCREMENT on every table; a per-account key in e-mailed links

Revision ID: 0013_ids_never_reused
Revises: 0012_search_vector

Without AUTOINCREMENT, SQLite gives a new row the largest id + 1: delete the last account and the
next one receives its id, with the audit trail and the links that still name it. Each table with an
integer id is rebuilt on SQLite with AUTOINCREMENT (SQLite cannot add it in place), keeping its
rows, ids, constraints and indexes; what the rebuild drops with the old table is put back: its
triggers (the full-text search ones on `arguments`) and any index Alembic did not copy.
migrations/env.py runs revisions with SQLite's foreign keys off, so that dropping the old table
deletes nothing that cascades from it, and checks every reference before the commit. Each table's
counter (sqlite_sequence) then starts above the largest id it ever gave that is still written
somewhere: its own rows, and the columns that keep ids without a foreign key (audit events,
moderation log, notifications…), and above its counter before the rebuild, if it had one.
PostgreSQL's SERIAL sequences never go back: nothing to rebuild there.

`users.link_key`: a random key per account that every e-mailed link carries (debate/mail/tokens.py),
filled here for the existing accounts. Links sent before this revision carry none: they are refused
as invalid (ask for a new one; every new e-mail carries fresh links).

Going back drops `link_key` and keeps AUTOINCREMENT: the earlier code works the same with it, and
removing it would let ids be reused again.
"""
import secrets

import sqlalchemy as sa
from alembic import op


revision = '0013_ids_never_reused'
down_revision = '0012_search_vector'
branch_labels = None
depends_on = None

# Every table with a single integer id at this revision (expert_themes has a composite key).
TABLES = [
    'api_tokens', 'argument_merges', 'argument_sources', 'argument_versions', 'arguments',
    'audit_events', 'cache_generations', 'charter_clauses', 'debate_participants', 'debates',
    'endorsements', 'expert_contributions', 'expertise_needs', 'expertise_questions',
    'expertise_resources', 'expertise_sources', 'experts', 'glossary_terms',
    'guarantor_observations', 'mail_outbox', 'memberships', 'modalities', 'moderation_events',
    'notification_preferences', 'notifications', 'phase_changes', 'phases',
    'recommendation_comment_reports', 'recommendation_comments', 'recommendation_follow_ups',
    'recommendation_links', 'recommendation_responses', 'recommendation_supports',
    'recommendation_versions', 'recommendations', 'reports', 'response_commitments',
    'scope_items', 'themes', 'user_sessions', 'users', 'workshop_agenda_items', 'workshop_notes',
    'workshop_promotions', 'workshops',
]

# Ids kept without a foreign key, so possibly of deleted rows: (table, id column, the table the id
# names). Typed references ((type column, id column) → the table each type names) come after.
PLAIN_REFERENCES = [
    ('audit_events', 'actor_id', 'users'),
    ('audit_events', 'debate_id', 'debates'),
    ('cache_generations', 'debate_id', 'debates'),
    ('debate_participants', 'debate_id', 'debates'),
    ('notifications', 'debate_id', 'debates'),
    ('moderation_events', 'merged_into_id', 'arguments'),
]
TYPED_REFERENCES = [
    ('audit_events', 'subject_type', 'subject_id'),
    ('moderation_events', 'target_type', 'target_id'),
    ('notifications', 'target_type', 'target_id'),
]
TYPES = {
    'user': 'users',
    'api_token': 'api_tokens',
    'debate': 'debates',
    'argument': 'arguments',
    'question': 'expertise_questions',
    'scope_item': 'scope_items',
    'recommendation': 'recommendations',
    'recommendation_comment': 'recommendation_comments',
}

LINK_KEY = sa.String(length=32)


def _fill_link_keys(bind):
    """A random key for each existing account (as debate.accounts.models.new_link_key makes)."""
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('link_key', LINK_KEY))
    ids = bind.execute(sa.select(users.c.id)).scalars().all()
    if ids:
        bind.execute(
            users.update().where(users.c.id == sa.bindparam('user_id')),
            [{'user_id': user_id, 'link_key': secrets.token_urlsafe(24)} for user_id in ids],
        )


def _rebuild_with_autoincrement(bind, table):
    """Rebuild one SQLite table with AUTOINCREMENT; put back the triggers and indexes it loses."""
    kept = bind.execute(
        sa.text("SELECT type, name, sql FROM sqlite_master "
                "WHERE tbl_name = :table AND type IN ('trigger', 'index') AND sql IS NOT NULL"),
        {'table': table},
    ).all()
    with op.batch_alter_table(
        table, recreate='always', table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        if table == 'users':
            batch_op.alter_column('link_key', existing_type=LINK_KEY, nullable=False)
    present = set(bind.execute(
        sa.text("SELECT name FROM sqlite_master WHERE tbl_name = :table"), {'table': table}
    ).scalars())
    for _type, name, sql in kept:
        if name not in present:
            bind.exec_driver_sql(sql)
    create = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :table"),
        {'table': table},
    ).scalar_one()
    if 'AUTOINCREMENT' not in create.upper():
        raise RuntimeError(f'{table} was rebuilt without AUTOINCREMENT')


def _highest_ids(bind):
    """{table: the largest id it gave that is still written somewhere}."""
    highest = {}

    def note(table, value):
        if value is not None:
            highest[table] = max(highest.get(table, 0), int(value))

    for table in TABLES:
        note(table, bind.exec_driver_sql(f'SELECT MAX(id) FROM {table}').scalar())
    for source, column, table in PLAIN_REFERENCES:
        note(table, bind.exec_driver_sql(f'SELECT MAX({column}) FROM {source}').scalar())
    for source, type_column, id_column in TYPED_REFERENCES:
        rows = bind.exec_driver_sql(
            f'SELECT {type_column}, MAX({id_column}) FROM {source} GROUP BY {type_column}'
        ).all()
        for type_, value in rows:
            if type_ in TYPES:
                note(TYPES[type_], value)
    return highest


def _sequences(bind):
    """{table: its AUTOINCREMENT counter} (some tables may have one already: upgraded, downgraded,
    upgraded again); dropping a table drops its counter."""
    exists = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
    ).scalar()
    if not exists:
        return {}
    return dict(bind.exec_driver_sql('SELECT name, seq FROM sqlite_sequence').all())


def _seed_sequences(bind, before):
    """Each table's next id is above every id it gave that is still written somewhere, and above
    its counter before the rebuild."""
    highest = _highest_ids(bind)
    for table, value in before.items():
        if table in TABLES:
            highest[table] = max(highest.get(table, 0), int(value))
    for table, value in highest.items():
        bind.execute(sa.text('DELETE FROM sqlite_sequence WHERE name = :table'), {'table': table})
        bind.execute(
            sa.text('INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)'),
            {'table': table, 'seq': value},
        )


def upgrade():
    bind = op.get_bind()
    op.add_column('users', sa.Column('link_key', LINK_KEY, nullable=True))
    _fill_link_keys(bind)
    if bind.dialect.name != 'sqlite':
        op.alter_column('users', 'link_key', existing_type=LINK_KEY, nullable=False)
        return
    counters = _sequences(bind)
    for table in TABLES:
        _rebuild_with_autoincrement(bind, table)
    _seed_sequences(bind, counters)


def downgrade():
    op.drop_column('users', 'link_key')
