"""Server-side sessions: one row per signed-in device, so a member can see
where they are signed in and end any of those sign-ins.

The session cookie and the remember cookie both carry the session's key
(Flask-Login stores what `User.get_id()` returns); the database keeps only
its SHA-256. Signing out deletes the row, and a copied cookie then names
nothing. Never touches the request: views pass the address and browser.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import delete, select, update

from app.accounts.models import ApiToken, User, UserSession
from app.db_types import utcnow
from app.extensions import db

# How stale `last_seen_at` may get: one write a minute at most, not one a request.
TOUCH_EVERY = timedelta(minutes=1)
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{30,64}$")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User, ip: str | None, user_agent: str | None, *, commit: bool = True) -> str:
    """A new sign-in for `user`; returns its key and sets it on the user,
    ready for Flask-Login's `login_user`."""
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=_digest(key), ip=(ip or None) and ip[:45],
                               user_agent=(user_agent or "")[:255] or None))
    if commit:
        db.session.commit()
    user.session_key = key
    return key


def load(key: str | None, ip: str | None = None) -> User | None:
    """The member a session key signs in, or None when the session was
    ended, the member suspended, or the key is of an older kind."""
    if not key or not KEY_RE.match(key):
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.key_hash == _digest(key)))
    if row is None or not row.user.is_active:
        return None
    now = utcnow()
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        if ip:
            row.ip = ip[:45]
        db.session.commit()
    row.user.session_key = key
    return row.user


def current_id(user: User) -> int | None:
    """The row id of the session `user` was loaded with (None for API tokens)."""
    if not user.session_key:
        return None
    return db.session.scalar(select(UserSession.id).where(UserSession.key_hash == _digest(user.session_key)))


def list_for(user: User) -> list[UserSession]:
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.last_seen_at.desc())))


def end(user: User, session_id: int) -> bool:
    """Sign out one of the member's own sessions; False when it is not theirs."""
    result = db.session.execute(
        delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id))
    db.session.commit()
    return result.rowcount > 0


def end_current(user: User) -> None:
    """Sign-out: the session this member is signed in with ends on the server."""
    if user.session_key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _digest(user.session_key)))
        db.session.commit()
        user.session_key = None


def end_others(user: User, *, commit: bool = True) -> int:
    """Every session but the one `user` is signed in with; returns how many."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if user.session_key:
        statement = statement.where(UserSession.key_hash != _digest(user.session_key))
    count = db.session.execute(statement).rowcount
    if commit:
        db.session.commit()
    return count


def end_all(user_id: int) -> None:
    """Every session of the member (suspension, deletion, a password reset).
    In the caller's transaction."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def revoke_tokens(user_id: int) -> None:
    """Every live API token of the member; in the caller's transaction."""
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


# A readable device summary ---------------------------------------------------
# A short hand-made reading of the User-Agent, enough for "Chrome on Windows":
# the Security page helps a member recognise their devices, nothing decides on it.

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chromium/", "Chromium"),
             ("HeadlessChrome/", "Chrome"), ("Chrome/", "Chrome"), ("CriOS/", "Chrome"),
             ("Safari/", "Safari"), ("curl/", "curl"), ("python-requests", "Python"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"), ("Macintosh", "macOS"), ("Linux", "Linux"))


def device(user_agent: str | None) -> str:
    ua = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in ua), None)
    system = next((name for marker, name in _SYSTEMS if marker in ua), None)
    if browser and system:
        return gettext("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or gettext("Unknown device")
