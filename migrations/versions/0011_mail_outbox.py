"""mail outbox, and how far each private conversation has been mailed about

Revision ID: 0011_mail_outbox
Revises: 0010_text_jobs
Create Date: 2026-12-07 05:37:21.090898

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_mail_outbox'
down_revision = '0010_text_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('headers', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_mail_outbox_to_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_mail_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_to_user_id'), ['to_user_id'], unique=False)

    with op.batch_alter_table('pm_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mailed_id', sa.Integer(), server_default='0', nullable=False))
    # Messages sent before mail existed are not mailed about all at once on the first run.
    op.execute("UPDATE pm_members SET mailed_id = COALESCE((SELECT last_message_id FROM pm_conversations "
               "WHERE pm_conversations.id = pm_members.conversation_id), 0)")



def downgrade():
    with op.batch_alter_table('pm_members', schema=None) as batch_op:
        batch_op.drop_column('mailed_id')

    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_to_user_id'))
        batch_op.drop_index('ix_mail_outbox_due')

    op.drop_table('mail_outbox')
