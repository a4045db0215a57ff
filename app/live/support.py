"""What every live-room handler shares: who is connected, and acks."""

from __future__ import annotations

from flask import session
from flask_babel import force_locale

from app.accounts.models import User
from app.extensions import db
from app.i18n import current_locale, normalize, translate

SESSION_KEY = "live_user_id"


def live_user() -> User | None:
    """The member behind this socket, re-read on every event so a
    suspension takes effect at once."""
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def in_member_language(user: User):
    """A handler's acks go to this member alone: in the language of their
    profile when they chose one, else the connection's (cookie, then
    Accept-Language; an API token's socket has no profile session)."""
    return force_locale(normalize(user.locale) or current_locale())


def ok(**data) -> dict:
    return {"ok": True, **data}


def error(code: str, message) -> dict:
    """An error ack: the socket stays connected. It goes to one socket, so
    its message is in that member's language (`i18n.translate`: the English
    is marked N_ or lazy); the code never changes."""
    return {"ok": False, "error": {"code": code, "message": translate(message)}}
