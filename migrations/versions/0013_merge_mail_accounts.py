"""merge the mail outbox and account lifecycle branches

Revision ID: 0013_merge_mail_accounts
Revises: 0011_mail_outbox, 0012_account_lifecycle
Create Date: 2026-12-07 06:20:00

"""

revision = '0013_merge_mail_accounts'
down_revision = ('0011_mail_outbox', '0012_account_lifecycle')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
