"""merge feature branches

Revision ID: 0009_merge
Revises: 0004_forum, 0005_groups, 0006_events, 0007_programmes, 0008_people
Create Date: 2026-11-25 19:46:22.883236

"""


# revision identifiers, used by Alembic.
revision = '0009_merge'
down_revision = ('0004_forum', '0005_groups', '0006_events', '0007_programmes', '0008_people')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
