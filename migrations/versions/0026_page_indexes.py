"""page indexes: the home page's panels read in index order

The "unanswered questions" panel (questions newest first in every category
the member reads), the unread-notifications panel (a member's newest
unread) and the upcoming events (the events page, the visitor's home)
sorted every matching row for five or twenty; with these indexes they read
the first ones in order, and the events page's count reads only the index.
The notifications index replaces the one on (user_id, read_at), which it
covers. The directory, in name order, reads a page of names from an index
on lower(display_name) instead of sorting every listed member.

Revision ID: 0026_page_indexes
Revises: 0025_audit_summary_key
Create Date: 2026-12-07 17:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026_page_indexes'
down_revision = '0025_audit_summary_key'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_forum_threads_kind_created', 'forum_threads', ['kind', 'pinned', 'created_at', 'id'])
    op.create_index('ix_notifications_user_unread_created', 'notifications',
                    ['user_id', 'read_at', 'created_at', 'id'])
    op.drop_index('ix_notifications_user_unread', table_name='notifications')
    op.create_index('ix_events_upcoming', 'events', ['always_open', 'starts_at', 'id', 'status', 'series_id'])
    op.create_index('ix_users_display_name_lower', 'users', [sa.text('lower(display_name)'), 'id'])


def downgrade():
    op.drop_index('ix_users_display_name_lower', table_name='users')
    op.drop_index('ix_events_upcoming', table_name='events')
    op.create_index('ix_notifications_user_unread', 'notifications', ['user_id', 'read_at'])
    op.drop_index('ix_notifications_user_unread_created', table_name='notifications')
    op.drop_index('ix_forum_threads_kind_created', table_name='forum_threads')
