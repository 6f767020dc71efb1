"""arguments — arguments, sources, endorsements, versions, full-text search

Revision ID: 0003_arguments
Revises: 0002_expertise
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_arguments'
down_revision = '0002_expertise'
branch_labels = None
depends_on = None

# Full-text search on arguments.search_text (already lower-case, accent-free and singular, see
# debate/arguments/search.py). Outside the models' metadata: debate.core.db.include_name skips
# names matching (^|_)fts($|_) when comparing the models with the database.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE arguments_fts USING fts5("
    "search_text, content='arguments', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER arguments_fts_insert AFTER INSERT ON arguments BEGIN "
    "INSERT INTO arguments_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER arguments_fts_delete AFTER DELETE ON arguments BEGIN "
    "INSERT INTO arguments_fts(arguments_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER arguments_fts_update AFTER UPDATE OF search_text ON arguments BEGIN "
    "INSERT INTO arguments_fts(arguments_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO arguments_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
POSTGRES_FTS = [
    "CREATE INDEX ix_arguments_fts ON arguments USING gin (to_tsvector('french', search_text))",
]


def upgrade():
    op.create_table('arguments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('stance', sa.Enum('for', 'against', 'nuance', name='stance', native_enum=False, length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'published', 'rejected', 'hidden', name='argument_status', native_enum=False, length=30), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('root_id', sa.Integer(), nullable=True),
    sa.Column('relation', sa.Enum('supports', 'objects', name='argument_relation', native_enum=False, length=30), nullable=True),
    sa.Column('replies_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('endorsements_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_arguments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['debate_id'], ['debates.id'], name=op.f('fk_arguments_debate_id_debates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['arguments.id'], name=op.f('fk_arguments_parent_id_arguments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['root_id'], ['arguments.id'], name=op.f('fk_arguments_root_id_arguments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_arguments_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arguments'))
    )
    with op.batch_alter_table('arguments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arguments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_arguments_debate_id'), ['debate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_arguments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_arguments_root_id'), ['root_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_arguments_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_arguments_theme_id'), ['theme_id'], unique=False)

    op.create_table('argument_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('argument_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('normalized_url', sa.String(length=2000), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('publisher', sa.String(length=200), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('kind', sa.Enum('scientific', 'public_agency', 'official_text', 'press', 'association', 'operator', 'testimony', 'other', name='source_kind', native_enum=False, length=30), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['argument_id'], ['arguments.id'], name=op.f('fk_argument_sources_argument_id_arguments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_argument_sources'))
    )
    with op.batch_alter_table('argument_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_argument_sources_argument_id'), ['argument_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_argument_sources_normalized_url'), ['normalized_url'], unique=False)

    op.create_table('argument_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('argument_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('stance', sa.Enum('for', 'against', 'nuance', name='stance', native_enum=False, length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['argument_id'], ['arguments.id'], name=op.f('fk_argument_versions_argument_id_arguments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_argument_versions_theme_id_themes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_argument_versions')),
    sa.UniqueConstraint('argument_id', 'number', name=op.f('uq_argument_versions_argument_id'))
    )
    with op.batch_alter_table('argument_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_argument_versions_argument_id'), ['argument_id'], unique=False)

    op.create_table('endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('argument_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['argument_id'], ['arguments.id'], name=op.f('fk_endorsements_argument_id_arguments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_endorsements_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('argument_id', 'user_id', name=op.f('uq_endorsements_argument_id'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_user_id'), ['user_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('argument_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['argument_id'], ['arguments.id'], name=op.f('fk_reports_argument_id_arguments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('argument_id', 'user_id', name=op.f('uq_reports_argument_id'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_user_id'), ['user_id'], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("arguments_fts_insert", "arguments_fts_delete", "arguments_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS arguments_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_arguments_fts")
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_user_id'))

    op.drop_table('reports')
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_user_id'))

    op.drop_table('endorsements')
    with op.batch_alter_table('argument_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_argument_versions_argument_id'))

    op.drop_table('argument_versions')
    with op.batch_alter_table('argument_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_argument_sources_normalized_url'))
        batch_op.drop_index(batch_op.f('ix_argument_sources_argument_id'))

    op.drop_table('argument_sources')
    with op.batch_alter_table('arguments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arguments_theme_id'))
        batch_op.drop_index(batch_op.f('ix_arguments_status'))
        batch_op.drop_index(batch_op.f('ix_arguments_root_id'))
        batch_op.drop_index(batch_op.f('ix_arguments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_arguments_debate_id'))
        batch_op.drop_index(batch_op.f('ix_arguments_author_id'))

    op.drop_table('arguments')
