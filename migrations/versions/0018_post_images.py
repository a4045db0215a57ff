"""post images: pictures members upload into their forum posts

Revision ID: 0018_post_images
Revises: 0017_shared_collections
Create Date: 2026-12-07 10:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0018_post_images'
down_revision = '0017_shared_collections'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('forum_post_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_post_images_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post_images')),
    sa.UniqueConstraint('file_name', name=op.f('uq_forum_post_images_file_name'))
    )
    with op.batch_alter_table('forum_post_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_post_images_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_forum_post_images_user_created', ['user_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('forum_post_images', schema=None) as batch_op:
        batch_op.drop_index('ix_forum_post_images_user_created')
        batch_op.drop_index(batch_op.f('ix_forum_post_images_created_at'))

    op.drop_table('forum_post_images')
