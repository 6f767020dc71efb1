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
    op.create_table('guarantor_observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_guarantor_observations_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['debate_id'], ['debates.id'], name=op.f('fk_guarantor_observations_debate_id_debates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guarantor_observations'))
    )
    with op.batch_alter_table('guarantor_observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guarantor_observations_debate_id'), ['debate_id'], unique=False)

    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='recommendation_status', native_enum=False, length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('rationale_html', sa.Text(), nullable=False),
    sa.Column('origin', sa.Enum('working_group', 'citizen_panel', 'elected', 'workshop', 'citizens', name='recommendation_origin', native_enum=False, length=30), nullable=False),
    sa.Column('competence', sa.Enum('municipal', 'intercommunal', 'state', 'operators', 'other', name='competence', native_enum=False, length=30), nullable=False),
    sa.Column('consensus', sa.Enum('consensual', 'majority', 'divided', name='recommendation_consensus', native_enum=False, length=30), nullable=False),
    sa.Column('dissent', sa.Text(), nullable=False),
    sa.Column('dissent_html', sa.Text(), nullable=False),
    sa.Column('open_for_comments', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_recommendations_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['debate_id'], ['debates.id'], name=op.f('fk_recommendations_debate_id_debates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_recommendations_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations')),
    sa.UniqueConstraint('debate_id', 'number', name=op.f('uq_recommendations_debate_id'))
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_debate_id'), ['debate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_theme_id'), ['theme_id'], unique=False)

    op.create_table('recommendation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('moderation_status', sa.Enum('pending', 'published', 'rejected', 'hidden', name='moderation_status', native_enum=False, length=30), nullable=False),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_recommendation_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['debate_id'], ['debates.id'], name=op.f('fk_recommendation_comments_debate_id_debates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_comments_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_comments'))
    )
    with op.batch_alter_table('recommendation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_comments_debate_id'), ['debate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_comments_moderation_status'), ['moderation_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_comments_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendation_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('argument', 'source', 'expert_contribution', 'workshop_note', name='recommendation_link_kind', native_enum=False, length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('argument_id', sa.Integer(), nullable=True),
    sa.Column('contribution_id', sa.Integer(), nullable=True),
    sa.Column('note_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('normalized_url', sa.String(length=2000), nullable=False),
    sa.Column('source_title', sa.String(length=300), nullable=False),
    sa.Column('source_publisher', sa.String(length=200), nullable=False),
    sa.Column('source_kind', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['argument_id'], ['arguments.id'], name=op.f('fk_recommendation_links_argument_id_arguments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contribution_id'], ['expert_contributions.id'], name=op.f('fk_recommendation_links_contribution_id_expert_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['note_id'], ['workshop_notes.id'], name=op.f('fk_recommendation_links_note_id_workshop_notes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_links_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_links'))
    )
    with op.batch_alter_table('recommendation_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_links_argument_id'), ['argument_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_links_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_links_note_id'), ['note_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_links_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendation_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('adopted', 'partially_adopted', 'rejected', 'out_of_competence', 'under_study', name='response_decision', native_enum=False, length=30), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('justification_html', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_recommendation_responses_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_responses_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_responses')),
    sa.UniqueConstraint('recommendation_id', name=op.f('uq_recommendation_responses_recommendation_id'))
    )
    op.create_table('recommendation_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_supports_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recommendation_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_supports')),
    sa.UniqueConstraint('recommendation_id', 'user_id', name=op.f('uq_recommendation_supports_recommendation_id'))
    )
    with op.batch_alter_table('recommendation_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_supports_user_id'), ['user_id'], unique=False)

    op.create_table('recommendation_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('change_note', sa.String(length=1000), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_versions_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_versions')),
    sa.UniqueConstraint('recommendation_id', 'version', name=op.f('uq_recommendation_versions_recommendation_id'))
    )
    with op.batch_alter_table('recommendation_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_versions_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendation_comment_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['recommendation_comments.id'], name=op.f('fk_recommendation_comment_reports_comment_id_recommendation_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recommendation_comment_reports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_comment_reports')),
    sa.UniqueConstraint('comment_id', 'user_id', name=op.f('uq_recommendation_comment_reports_comment_id'))
    )
    with op.batch_alter_table('recommendation_comment_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_comment_reports_user_id'), ['user_id'], unique=False)

    op.create_table('response_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['response_id'], ['recommendation_responses.id'], name=op.f('fk_response_commitments_response_id_recommendation_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_commitments'))
    )
    with op.batch_alter_table('response_commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_commitments_response_id'), ['response_id'], unique=False)

    op.create_table('recommendation_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_recommendation_follow_ups_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['commitment_id'], ['response_commitments.id'], name=op.f('fk_recommendation_follow_ups_commitment_id_response_commitments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_follow_ups_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_follow_ups'))
    )
    with op.batch_alter_table('recommendation_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_follow_ups_recommendation_id'), ['recommendation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recommendation_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_follow_ups_recommendation_id'))

    op.drop_table('recommendation_follow_ups')
    with op.batch_alter_table('response_commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_commitments_response_id'))

    op.drop_table('response_commitments')
    with op.batch_alter_table('recommendation_comment_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_comment_reports_user_id'))

    op.drop_table('recommendation_comment_reports')
    with op.batch_alter_table('recommendation_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_versions_recommendation_id'))

    op.drop_table('recommendation_versions')
    with op.batch_alter_table('recommendation_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_supports_user_id'))

    op.drop_table('recommendation_supports')
    op.drop_table('recommendation_responses')
    with op.batch_alter_table('recommendation_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_links_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_links_note_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_links_contribution_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_links_argument_id'))

    op.drop_table('recommendation_links')
    with op.batch_alter_table('recommendation_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_comments_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_comments_moderation_status'))
        batch_op.drop_index(batch_op.f('ix_recommendation_comments_debate_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_comments_author_id'))

    op.drop_table('recommendation_comments')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendations_theme_id'))
        batch_op.drop_index(batch_op.f('ix_recommendations_status'))
        batch_op.drop_index(batch_op.f('ix_recommendations_debate_id'))

    op.drop_table('recommendations')
    with op.batch_alter_table('guarantor_observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guarantor_observations_debate_id'))

    op.drop_table('guarantor_observations')
