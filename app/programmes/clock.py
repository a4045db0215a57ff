"""The programme's one clock.

Deadlines and the announcement are decided by server time read here, so a
test (or the browser test's live server) can move time by replacing
`utcnow` on this module. Services also take `now=` for the same reason.
"""

from __future__ import annotations

from datetime import datetime

from app import db_types


def utcnow() -> datetime:
    return db_types.utcnow()


def now_or(now: datetime | None) -> datetime:
    return now if now is not None else utcnow()
