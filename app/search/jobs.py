"""The transactional outbox that keeps the index in step with the database.

Any model with a `search_keys()` method that is inserted, changed or deleted
in a flush gets a `search_jobs` row written in the same transaction, so a
change and its index job commit or roll back together. The worker drains the
jobs; it re-reads each key's current state, so a job is never wrong, only
sometimes redundant, and replaying one after a crash is harmless.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import String, event, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.background import wake_after_commit
from app.db_types import UTCDateTime, utcnow
from app.extensions import db

WORKER = "search_worker"  # the app extension that drains these jobs


class SearchJob(db.Model):
    __tablename__ = "search_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))  # "resource:12"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def _changed_keys(session: Session) -> set[str]:
    keys: set[str] = set()
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        search_keys = getattr(obj, "search_keys", None)
        if search_keys is None:
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        keys.update(search_keys())
    return keys


@event.listens_for(Session, "after_flush")
def _write_jobs(session: Session, flush_context) -> None:
    keys = _changed_keys(session)
    if keys:
        now = utcnow()
        # A Core insert on the flush's own connection: same transaction.
        session.connection().execute(
            insert(SearchJob.__table__), [{"key": key, "created_at": now} for key in sorted(keys)]
        )
        wake_after_commit(session, WORKER)


def enqueue(keys) -> None:
    """Ask for keys to be re-indexed (for changes the ORM does not see)."""
    keys = sorted(set(keys))
    if keys:
        db.session.execute(insert(SearchJob.__table__), [{"key": key, "created_at": utcnow()} for key in keys])
        wake_after_commit(db.session(), WORKER)
