"""events: a meeting link for online events

Revision ID: 0016_meeting_link
Revises: 0015_time_host_rsvps
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = '0016_meeting_link'
down_revision = '0015_time_host_rsvps'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_url', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('meeting_url')
