"""resource previews: what the preview job made of each stored file

`stored_files.preview_status`: "ready" (a thumbnail), "none" (nothing to
show), "failed"; NULL for files never tried, which `flask resources
previews` queues. Files that already have a thumbnail (images) are "ready".

Revision ID: 0019_resource_previews
Revises: 0018_post_images
Create Date: 2026-12-07 10:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = '0019_resource_previews'
down_revision = '0018_post_images'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stored_files') as batch:
        batch.add_column(sa.Column('preview_status', sa.String(length=12), nullable=True))
    op.execute("UPDATE stored_files SET preview_status = 'ready' WHERE thumb_name IS NOT NULL")


def downgrade():
    with op.batch_alter_table('stored_files') as batch:
        batch.drop_column('preview_status')
