"""The moderators' audit log: who did what to which thing, and why."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.forum.models import AuditEntry


def record(actor, action: str, target_type: str, target_id: int, summary: str, reason: str = "") -> AuditEntry:
    """Add an entry in the caller's transaction (the caller commits)."""
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action,
                       target_type=target_type, target_id=target_id, summary=summary[:300],
                       reason=(reason or "").strip()[:500])
    db.session.add(entry)
    return entry


def log_query(action: str | None = None):
    statement = select(AuditEntry)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
