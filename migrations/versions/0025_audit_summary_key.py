"""audit summary key: the moderation log's summaries in each reader's language

Each entry keeps its English `summary`; new ones also store the message it
was made from (`summary_key`, an English text marked for translation, and
its values as JSON), so the log shows them in the reader's language. Entries
from before have NULL here and keep showing their English.

Revision ID: 0025_audit_summary_key
Revises: 0024_mail
Create Date: 2026-12-07 13:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_audit_summary_key'
down_revision = '0024_mail'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forum_audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary_key', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('summary_params', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('forum_audit_log', schema=None) as batch_op:
        batch_op.drop_column('summary_params')
        batch_op.drop_column('summary_key')
