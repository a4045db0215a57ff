"""shared collections: members the owner invited to edit a collection's items

Revision ID: 0017_shared_collections
Revises: 0016_meeting_link
Create Date: 2026-12-07 10:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_shared_collections'
down_revision = '0016_meeting_link'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('collection_editors',
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['collections.id'], name=op.f('fk_collection_editors_collection_id_collections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_collection_editors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collection_id', 'user_id', name=op.f('pk_collection_editors'))
    )
    with op.batch_alter_table('collection_editors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collection_editors_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('collection_editors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collection_editors_user_id'))

    op.drop_table('collection_editors')
