"""people: private messages, follows, directory and notification settings

Revision ID: 0008_people
Revises: 0003_notifications
Create Date: 2026-11-25 18:53:26.306470

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_people'
down_revision = '0003_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follows',
    sa.Column('follower_id', sa.Integer(), nullable=False),
    sa.Column('followed_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('follower_id <> followed_id', name=op.f('ck_follows_not_self')),
    sa.ForeignKeyConstraint(['followed_id'], ['users.id'], name=op.f('fk_follows_followed_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], name=op.f('fk_follows_follower_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('follower_id', 'followed_id', name=op.f('pk_follows'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follows_followed_id'), ['followed_id'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    op.create_table('people_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('directory_visible', sa.Boolean(), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('digest', sa.String(length=10), nullable=False),
    sa.Column('last_digest_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_people_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_people_settings'))
    )
    op.create_table('pm_blocks',
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blocked_id'], ['users.id'], name=op.f('fk_pm_blocks_blocked_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blocker_id'], ['users.id'], name=op.f('fk_pm_blocks_blocker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('blocker_id', 'blocked_id', name=op.f('pk_pm_blocks'))
    )
    with op.batch_alter_table('pm_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pm_blocks_blocked_id'), ['blocked_id'], unique=False)

    op.create_table('pm_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('is_group', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pm_conversations_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pm_conversations'))
    )
    with op.batch_alter_table('pm_conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pm_conversations_last_message_at'), ['last_message_at'], unique=False)

    op.create_table('pm_members',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_read_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['pm_conversations.id'], name=op.f('fk_pm_members_conversation_id_pm_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pm_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'user_id', name=op.f('pk_pm_members'))
    )
    with op.batch_alter_table('pm_members', schema=None) as batch_op:
        batch_op.create_index('ix_pm_members_user', ['user_id'], unique=False)

    op.create_table('pm_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['pm_conversations.id'], name=op.f('fk_pm_messages_conversation_id_pm_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_pm_messages_sender_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pm_messages'))
    )
    with op.batch_alter_table('pm_messages', schema=None) as batch_op:
        batch_op.create_index('ix_pm_messages_conversation_id', ['conversation_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pm_messages_sender_id'), ['sender_id'], unique=False)

    op.create_table('pm_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['pm_messages.id'], name=op.f('fk_pm_reports_message_id_pm_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_pm_reports_reporter_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_pm_reports_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pm_reports')),
    sa.UniqueConstraint('message_id', 'reporter_id', name='uq_pm_reports_message_reporter')
    )
    with op.batch_alter_table('pm_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pm_reports_message_id'), ['message_id'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('pm_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pm_reports_message_id'))
    op.drop_table('pm_reports')
    with op.batch_alter_table('pm_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pm_messages_sender_id'))
        batch_op.drop_index('ix_pm_messages_conversation_id')
    op.drop_table('pm_messages')
    with op.batch_alter_table('pm_members', schema=None) as batch_op:
        batch_op.drop_index('ix_pm_members_user')
    op.drop_table('pm_members')
    with op.batch_alter_table('pm_conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pm_conversations_last_message_at'))
    op.drop_table('pm_conversations')
    with op.batch_alter_table('pm_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pm_blocks_blocked_id'))
    op.drop_table('pm_blocks')
    op.drop_table('people_settings')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follows_followed_id'))
    op.drop_table('follows')
