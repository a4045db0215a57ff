"""The moderators' audit log: who did what to which thing, and why.

A summary is stored as a `notifications.Message` (an English text marked
N_ and its values) and shown in each reader's language; the English is kept
in `summary` too, and entries from before keep showing that.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.forum.models import AuditEntry
from app.notifications.models import Message


def record(actor, action: str, target_type: str, target_id: int, summary: Message,
           reason: str = "") -> AuditEntry:
    """Add an entry in the caller's transaction (the caller commits)."""
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action,
                       target_type=target_type, target_id=target_id, summary=summary.english()[:300],
                       summary_key=summary.key, summary_params=json.dumps(summary.params, ensure_ascii=False),
                       reason=(reason or "").strip()[:500])
    db.session.add(entry)
    return entry


def log_query(action: str | None = None):
    statement = select(AuditEntry)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
