"""activity photos; a member's own weekly goal

`activity_photos`: up to six re-encoded photos an activity, files under
UPLOAD_DIR/photos. `fitness_settings.weekly_goal_m`: the goal line on the
member's weekly chart (none until they set one).

Revision ID: 0020_activity_photos
Revises: 0019_resource_previews
Create Date: 2026-12-07 10:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0020_activity_photos'
down_revision = '0019_resource_previews'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('file', sa.String(length=80), nullable=False),
    sa.Column('alt_text', sa.String(length=200), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_photos_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_photos'))
    )
    with op.batch_alter_table('activity_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_photos_activity_id'), ['activity_id'], unique=False)
    with op.batch_alter_table('fitness_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weekly_goal_m', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_fitness_settings_weekly_goal_positive'),
                                         'weekly_goal_m IS NULL OR weekly_goal_m > 0')


def downgrade():
    with op.batch_alter_table('fitness_settings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_fitness_settings_weekly_goal_positive'), type_='check')
        batch_op.drop_column('weekly_goal_m')
    with op.batch_alter_table('activity_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_photos_activity_id'))
    op.drop_table('activity_photos')
