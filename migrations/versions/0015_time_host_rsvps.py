"""hosts are going: an RSVP for every host of an event that had none

Events now RSVP their hosts as they are named (events.rsvp.hosts_going);
this gives the events made before the same rows, so their hosts are counted
and reminded too. Data only: the schema does not change.

Revision ID: 0015_time_host_rsvps
Revises: 0014_files_pending_uploads
Create Date: 2026-12-07 09:30:00

"""

from alembic import op

revision = '0015_time_host_rsvps'
down_revision = '0014_files_pending_uploads'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE event_rsvps SET status = 'going' WHERE status = 'waitlisted' AND EXISTS "
        "(SELECT 1 FROM event_hosts WHERE event_hosts.event_id = event_rsvps.event_id "
        "AND event_hosts.user_id = event_rsvps.user_id)")
    op.execute(
        "INSERT INTO event_rsvps (event_id, user_id, status, created_at, updated_at) "
        "SELECT event_hosts.event_id, event_hosts.user_id, 'going', events.created_at, events.created_at "
        "FROM event_hosts JOIN events ON events.id = event_hosts.event_id "
        "WHERE events.status IN ('draft', 'published') AND NOT EXISTS "
        "(SELECT 1 FROM event_rsvps WHERE event_rsvps.event_id = event_hosts.event_id "
        "AND event_rsvps.user_id = event_hosts.user_id)")


def downgrade():
    pass  # a host's RSVP cannot be told from one they made themselves: they stay
