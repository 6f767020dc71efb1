"""mail — confirmation, password reset, outbox, notification preferences

Revision ID: 0007_mail
Revises: 0006_outcome
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_mail'
down_revision = '0006_outcome'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    # Accounts created before e-mail existed keep contributing: their addresses count as confirmed.
    op.execute("UPDATE users SET email_confirmed_at = created_at")

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_msgid', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    op.execute("UPDATE notifications SET params = '{}'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('params', existing_type=sa.JSON(), nullable=False)

    op.create_table('debate_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_debate_participants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debate_participants')),
    sa.UniqueConstraint('user_id', 'debate_id', name=op.f('uq_debate_participants_user_id'))
    )
    with op.batch_alter_table('debate_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debate_participants_debate_id'), ['debate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_debate_participants_user_id'), ['user_id'], unique=False)
    # Who already took part: authors of arguments, questions and scope proposals, endorsers.
    op.execute(
        "INSERT INTO debate_participants (user_id, debate_id, since) "
        "SELECT author_id, debate_id, MIN(created_at) FROM ("
        " SELECT author_id, debate_id, created_at FROM arguments WHERE author_id IS NOT NULL"
        " UNION ALL SELECT author_id, debate_id, asked_at FROM expertise_questions WHERE author_id IS NOT NULL"
        " UNION ALL SELECT author_id, debate_id, created_at FROM scope_items WHERE author_id IS NOT NULL"
        " UNION ALL SELECT e.user_id, a.debate_id, e.created_at FROM endorsements e"
        " JOIN arguments a ON a.id = e.argument_id"
        ") AS contributions GROUP BY author_id, debate_id"
    )

    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('delivery', sa.Enum('immediately', 'daily', 'never', name='mail_delivery', native_enum=False, length=30), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id'))
    )
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_preferences_user_id'), ['user_id'], unique=False)

    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('category', sa.Enum('confirmation', 'password_reset', 'notification', 'digest_item', 'digest', name='mail_category', native_enum=False, length=30), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('held', 'queued', 'sending', 'sent', 'failed', 'digested', 'cancelled', name='mail_status', native_enum=False, length=30), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['digest_id'], ['mail_outbox.id'], name=op.f('fk_mail_outbox_digest_id_mail_outbox'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_mail_outbox_notification_id_notifications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_outbox_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_mail_outbox_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_notification_id'), ['notification_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_user_id'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_notification_id'))
        batch_op.drop_index('ix_mail_outbox_status_next_attempt_at')
    op.drop_table('mail_outbox')
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_preferences_user_id'))
    op.drop_table('notification_preferences')
    with op.batch_alter_table('debate_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_debate_participants_user_id'))
        batch_op.drop_index(batch_op.f('ix_debate_participants_debate_id'))
    op.drop_table('debate_participants')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('title_msgid')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
