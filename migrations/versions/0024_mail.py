"""notification text in the reader's language: the English message and its values

A notification keeps the English text it was made with (older rows, the
API's plain reading) and, when its maker marked it for translation, the
message (`text_key`) and its values (`text_params`, JSON), so each reader
sees it in their own language. NULL for every row already here.

Revision ID: 0024_mail
Revises: 0023_resource_language
Create Date: 2026-12-07 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_mail'
down_revision = '0023_resource_language'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_key', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('text_params', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('text_params')
        batch_op.drop_column('text_key')
