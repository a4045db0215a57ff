"""user locale: the language a member chose for the site

NULL for everyone already here: their pages follow the language switcher's
cookie or the browser's Accept-Language, as before they chose.

Revision ID: 0022_user_locale
Revises: 0021_event_series
Create Date: 2026-12-08 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_user_locale'
down_revision = '0021_event_series'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
