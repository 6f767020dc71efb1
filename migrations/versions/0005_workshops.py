"""workshops — agenda, notes, promotion

Revision ID: 0005_workshops
Revises: 0004_moderation
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_workshops'
down_revision = '0004_moderation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('format', sa.Enum('online', 'in_person', name='workshop_format', native_enum=False, length=30), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('participants_count', sa.Integer(), nullable=False),
    sa.Column('facilitators', sa.String(length=500), nullable=False),
    sa.Column('tools', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('summary_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['debate_id'], ['debates.id'], name=op.f('fk_workshops_debate_id_debates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops'))
    )

    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshops_debate_id'), ['debate_id'], unique=False)

    op.create_table('workshop_agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('mode', sa.Enum('plenary', 'subgroups', name='agenda_mode', native_enum=False, length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_agenda_items_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_agenda_items'))
    )

    with op.batch_alter_table('workshop_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_agenda_items_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('icebreaker_word', 'sticky', 'strength', 'weakness', 'opportunity', 'threat', 'action', 'report_back', name='workshop_note_kind', native_enum=False, length=30), nullable=False),
    sa.Column('group', sa.String(length=80), nullable=False),
    sa.Column('cluster', sa.String(length=120), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_workshop_notes_theme_id_themes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_notes_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_notes'))
    )

    with op.batch_alter_table('workshop_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_notes_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_promotions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('argument_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['argument_id'], ['arguments.id'], name=op.f('fk_workshop_promotions_argument_id_arguments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['note_id'], ['workshop_notes.id'], name=op.f('fk_workshop_promotions_note_id_workshop_notes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_promotions')),
    sa.UniqueConstraint('note_id', name=op.f('uq_workshop_promotions_note_id'))
    )

    with op.batch_alter_table('workshop_promotions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_promotions_argument_id'), ['argument_id'], unique=False)


def downgrade():
    with op.batch_alter_table('workshop_promotions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_promotions_argument_id'))

    op.drop_table('workshop_promotions')

    with op.batch_alter_table('workshop_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_notes_workshop_id'))

    op.drop_table('workshop_notes')

    with op.batch_alter_table('workshop_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_agenda_items_workshop_id'))

    op.drop_table('workshop_agenda_items')

    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshops_debate_id'))

    op.drop_table('workshops')
