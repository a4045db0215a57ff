"""resource language: detected or chosen

`resources.language` may be NULL (to be detected, and the text said too
little); `resources.language_detected` says the language was detected from
the resource's text rather than chosen. Existing resources keep the language
their uploader chose.

Revision ID: 0023_resource_language
Revises: 0022_user_locale
Create Date: 2026-12-08 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = '0023_resource_language'
down_revision = '0022_user_locale'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resources') as batch:
        batch.add_column(sa.Column('language_detected', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.alter_column('language', existing_type=sa.String(length=8), nullable=True)


def downgrade():
    op.execute("UPDATE resources SET language = 'en' WHERE language IS NULL")
    with op.batch_alter_table('resources') as batch:
        batch.alter_column('language', existing_type=sa.String(length=8), nullable=False)
        batch.drop_column('language_detected')
