"""positions: open questions, each position argued for and against

Revision ID: 0015_positions
Revises: 0014_sessions_and_throttle

`debates.question_kind`: "yes_no" (every existing debate) or "open". `positions`: the answers proposed
to an open question (debate/positions/models.py), moderated like arguments; `position_endorsements`:
one per person and position. `arguments.position_id`: the position an argument of an open debate takes
a stance on; NULL for every existing argument, which stays where it is.

On SQLite, adding a foreign key rebuilds `arguments`: the rebuild keeps AUTOINCREMENT and puts back
the full-text triggers and the indexes it would lose (as 0013 does).
"""

import sqlalchemy as sa
from alembic import op


revision = '0015_positions'
down_revision = '0014_sessions_and_throttle'
branch_labels = None
depends_on = None

MODERATION_STATUS = sa.Enum(
    'pending', 'published', 'rejected', 'hidden',
    name='moderation_status', native_enum=False, length=30,
)
QUESTION_KIND = sa.Enum('yes_no', 'open', name='question_kind', native_enum=False, length=30)


def upgrade():
    with op.batch_alter_table('debates', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('question_kind', QUESTION_KIND, server_default='yes_no', nullable=False)
        )

    op.create_table(
        'positions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('debate_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('status', MODERATION_STATUS, nullable=False),
        sa.Column('endorsements_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['author_id'], ['users.id'],
            name=op.f('fk_positions_author_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['debate_id'], ['debates.id'],
            name=op.f('fk_positions_debate_id_debates'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['merged_into_id'], ['positions.id'],
            name=op.f('fk_positions_merged_into_id_positions'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['theme_id'], ['themes.id'],
            name=op.f('fk_positions_theme_id_themes'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_positions')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_debate_id'), ['debate_id'], unique=False)
        batch_op.create_index('ix_positions_debate_status', ['debate_id', 'status'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_positions_merged_into_id'), ['merged_into_id'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_positions_theme_id'), ['theme_id'], unique=False)

    op.create_table(
        'position_endorsements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['position_id'], ['positions.id'],
            name=op.f('fk_position_endorsements_position_id_positions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_position_endorsements_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_position_endorsements')),
        sa.UniqueConstraint(
            'position_id', 'user_id', name=op.f('uq_position_endorsements_position_id')
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('position_endorsements', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_position_endorsements_user_id'), ['user_id'], unique=False
        )

    _alter_arguments(_add_position_id)


def _add_position_id(batch_op):
    batch_op.add_column(sa.Column('position_id', sa.Integer(), nullable=True))
    batch_op.create_index(batch_op.f('ix_arguments_position_id'), ['position_id'], unique=False)
    batch_op.create_foreign_key(
        batch_op.f('fk_arguments_position_id_positions'),
        'positions', ['position_id'], ['id'], ondelete='SET NULL',
    )


def _drop_position_id(batch_op):
    batch_op.drop_constraint(
        batch_op.f('fk_arguments_position_id_positions'), type_='foreignkey'
    )
    batch_op.drop_index(batch_op.f('ix_arguments_position_id'))
    batch_op.drop_column('position_id')


def _alter_arguments(change):
    """Apply `change` to `arguments`; on SQLite, whose rebuild of the table drops the triggers, some
    indexes and AUTOINCREMENT, put them back."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        with op.batch_alter_table('arguments', schema=None) as batch_op:
            change(batch_op)
        return
    kept = bind.execute(
        sa.text("SELECT type, name, sql FROM sqlite_master "
                "WHERE tbl_name = 'arguments' AND type IN ('trigger', 'index') "
                "AND sql IS NOT NULL")
    ).all()
    with op.batch_alter_table(
        'arguments', recreate='always', table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        change(batch_op)
    present = set(bind.execute(
        sa.text("SELECT name FROM sqlite_master WHERE tbl_name = 'arguments'")
    ).scalars())
    for _type, name, sql in kept:
        if name not in present and name != 'ix_arguments_position_id':
            bind.exec_driver_sql(sql)
    create = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'arguments'")
    ).scalar_one()
    if 'AUTOINCREMENT' not in create.upper():
        raise RuntimeError('arguments was rebuilt without AUTOINCREMENT')


def downgrade():
    _alter_arguments(_drop_position_id)

    with op.batch_alter_table('position_endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_endorsements_user_id'))
    op.drop_table('position_endorsements')

    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positions_theme_id'))
        batch_op.drop_index(batch_op.f('ix_positions_merged_into_id'))
        batch_op.drop_index('ix_positions_debate_status')
        batch_op.drop_index(batch_op.f('ix_positions_debate_id'))
        batch_op.drop_index(batch_op.f('ix_positions_author_id'))
    op.drop_table('positions')

    with op.batch_alter_table('debates', schema=None) as batch_op:
        batch_op.drop_column('question_kind')
