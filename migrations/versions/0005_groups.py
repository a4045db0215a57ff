"""groups and fitness: groups, members, join requests, activities, kudos,
comments, challenges, completions, all-time totals, fitness settings

Revision ID: 0005_groups
Revises: 0003_notifications
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_groups'
down_revision = '0003_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description_md', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('focus', sa.String(length=12), nullable=False),
    sa.Column('visibility', sa.String(length=8), nullable=False),
    sa.Column('weekly_goal_m', sa.Integer(), nullable=True),
    sa.Column('group_goal_m', sa.Integer(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('cover_file', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('group_goal_m IS NULL OR group_goal_m > 0', name=op.f('ck_groups_group_goal_positive')),
    sa.CheckConstraint('weekly_goal_m IS NULL OR weekly_goal_m > 0', name=op.f('ck_groups_weekly_goal_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_visibility'), ['visibility'], unique=False)
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sport', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('notes_md', sa.Text(), nullable=False),
    sa.Column('notes_html', sa.Text(), nullable=False),
    sa.Column('distance_m', sa.Integer(), nullable=False),
    sa.Column('duration_s', sa.Integer(), nullable=False),
    sa.Column('elevation_gain_m', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('visibility', sa.String(length=8), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('route_points', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('distance_m >= 0', name=op.f('ck_activities_distance_not_negative')),
    sa.CheckConstraint('duration_s > 0', name=op.f('ck_activities_duration_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_started', ['started_at'], unique=False)
        batch_op.create_index('ix_activities_user_started', ['user_id', 'started_at', 'sport', 'visibility', 'distance_m', 'duration_s'], unique=False)
    op.create_table('activity_totals',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sport', sa.String(length=8), nullable=False),
    sa.Column('activities', sa.Integer(), nullable=False),
    sa.Column('distance_m', sa.BigInteger(), nullable=False),
    sa.Column('duration_s', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_totals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'sport', name=op.f('pk_activity_totals'))
    )
    op.create_table('fitness_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('distance_unit', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fitness_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_fitness_settings'))
    )
    op.create_table('group_challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('sport', sa.String(length=8), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('target > 0', name=op.f('ck_group_challenges_target_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_group_challenges_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_challenges_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_challenges'))
    )
    with op.batch_alter_table('group_challenges', schema=None) as batch_op:
        batch_op.create_index('ix_group_challenges_group_ends', ['group_id', 'ends_at'], unique=False)
    op.create_table('group_join_requests',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_join_requests_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_join_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_group_join_requests'))
    )
    with op.batch_alter_table('group_join_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_join_requests_user_id'), ['user_id'], unique=False)
    op.create_table('group_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_members_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_group_members'))
    )
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.create_index('ix_group_members_user', ['user_id'], unique=False)
    op.create_table('activity_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_comments_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_comments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_comments'))
    )
    with op.batch_alter_table('activity_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_comments_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_comments_user_id'), ['user_id'], unique=False)
    op.create_table('activity_kudos',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_kudos_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_kudos_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'user_id', name=op.f('pk_activity_kudos'))
    )
    with op.batch_alter_table('activity_kudos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_kudos_user_id'), ['user_id'], unique=False)
    op.create_table('challenge_completions',
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['group_challenges.id'], name=op.f('fk_challenge_completions_challenge_id_group_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_challenge_completions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('challenge_id', 'user_id', name=op.f('pk_challenge_completions'))
    )
    with op.batch_alter_table('challenge_completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_completions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('challenge_completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_completions_user_id'))
    op.drop_table('challenge_completions')
    with op.batch_alter_table('activity_kudos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_kudos_user_id'))
    op.drop_table('activity_kudos')
    with op.batch_alter_table('activity_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_comments_user_id'))
        batch_op.drop_index(batch_op.f('ix_activity_comments_activity_id'))
    op.drop_table('activity_comments')
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_index('ix_group_members_user')
    op.drop_table('group_members')
    with op.batch_alter_table('group_join_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_join_requests_user_id'))
    op.drop_table('group_join_requests')
    with op.batch_alter_table('group_challenges', schema=None) as batch_op:
        batch_op.drop_index('ix_group_challenges_group_ends')
    op.drop_table('group_challenges')
    op.drop_table('fitness_settings')
    op.drop_table('activity_totals')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_user_started')
        batch_op.drop_index('ix_activities_started')
    op.drop_table('activities')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_visibility'))
    op.drop_table('groups')
