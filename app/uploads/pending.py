"""Holding a form's file between tries: keep it, find it again, claim it
once, or let it go.

A held file is reachable only with its token (kept in the form, stored here
as a SHA-256), by the same member in the same sign-in, on the same form, for
`HOLD_FOR`. Claiming deletes the row in one conditional statement, so a form
posted twice uses the file once. Files left behind (a sign-out deletes the
rows) are swept once they are older than `HOLD_FOR`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app import storage
from app.accounts import sessions
from app.db_types import utcnow
from app.extensions import db
from app.uploads.models import PendingUpload

AREA = "pending"
HOLD_FOR = timedelta(days=1)
MAX_HELD = 5  # per member: a new one lets the oldest go
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Held:
    id: int
    token: str
    file_name: str
    size: int


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def base_name(file_name: str) -> str:
    """The name without any folders a browser sent along, for showing."""
    name = storage.without_folders(file_name)
    return _UNPRINTABLE.sub("", name).strip()[:200] or "file"


def keep(user, form: str, data: bytes, file_name: str) -> Held | None:
    """Hold `data` for the next try of `form` in this sign-in; None when the
    member is not signed in with a session (an API token holds nothing)."""
    session_id = sessions.current_id(user)
    if session_id is None:
        return None
    prune()
    _make_room(user)
    token = secrets.token_urlsafe(32)
    name = storage.save(AREA, data, "bin")
    row = PendingUpload(token_hash=_digest(token), user_id=user.id, session_id=session_id, form=form,
                        file_name=base_name(file_name), storage_name=name, size=len(data))
    db.session.add(row)
    storage.commit_or_delete((AREA, name))
    return Held(row.id, token, row.file_name, row.size)


def find(user, form: str, token: str | None) -> Held | None:
    """The file held under `token` for this member, sign-in and form; None
    for anything else (someone else's token, another form, expired)."""
    if not token or not _TOKEN.match(token) or not getattr(user, "is_authenticated", False):
        return None
    session_id = sessions.current_id(user)
    row = db.session.scalar(select(PendingUpload).where(
        PendingUpload.token_hash == _digest(token), PendingUpload.user_id == user.id,
        PendingUpload.session_id == session_id, PendingUpload.form == form,
        PendingUpload.created_at > utcnow() - HOLD_FOR))
    if row is None or storage.path_for(AREA, row.storage_name) is None:
        return None
    return Held(row.id, token, row.file_name, row.size)


def claim(held: Held) -> bytes | None:
    """The held bytes, and the hold is gone; None if another request
    claimed it first (a double submit) or it was let go meanwhile."""
    name = db.session.scalar(select(PendingUpload.storage_name).where(PendingUpload.id == held.id))
    path = storage.path_for(AREA, name) if name else None
    try:
        data = path.read_bytes() if path is not None else None
    except FileNotFoundError:
        data = None
    taken = db.session.execute(delete(PendingUpload).where(PendingUpload.id == held.id)).rowcount
    db.session.commit()
    if not taken:
        return None
    storage.delete(AREA, name)
    return data


def discard(held: Held) -> None:
    _delete_rows(PendingUpload.id == held.id)


def discard_all(user) -> None:
    """Everything the member holds (their account is going)."""
    _delete_rows(PendingUpload.user_id == user.id)


def prune(now: datetime | None = None) -> None:
    """Let go of holds older than `HOLD_FOR`, and of files whose row went
    with a sign-out."""
    cutoff = (now or utcnow()) - HOLD_FOR
    _delete_rows(PendingUpload.created_at <= cutoff)
    storage.sweep(AREA, cutoff)


def _make_room(user) -> None:
    kept = select(PendingUpload.id).where(PendingUpload.user_id == user.id) \
        .order_by(PendingUpload.created_at.desc(), PendingUpload.id.desc()).limit(MAX_HELD - 1)
    _delete_rows(PendingUpload.user_id == user.id, PendingUpload.id.not_in(kept))


def _delete_rows(*where) -> None:
    names = list(db.session.scalars(select(PendingUpload.storage_name).where(*where)))
    if not names:
        return
    db.session.execute(delete(PendingUpload).where(*where))
    db.session.commit()
    for name in names:
        storage.delete(AREA, name)
