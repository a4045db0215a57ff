"""What every live-room handler shares: who is connected, acks, rate limits,
and pushing to a member's own room from anywhere in the app."""

from __future__ import annotations

from flask import current_app, session
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.accounts.models import User
from app.extensions import db, socketio

NAMESPACE = "/live"
SESSION_KEY = "live_user_id"
_limiters: dict[str, MovingWindowRateLimiter] = {}


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def live_user() -> User | None:
    """The member behind this socket, re-read on every event so a
    suspension takes effect at once."""
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def ok(**data) -> dict:
    return {"ok": True, **data}


def error(code: str, message: str) -> dict:
    """An error ack: the socket stays connected."""
    return {"ok": False, "error": {"code": code, "message": message}}


def allow(action: str, user_id: int, limit: str) -> bool:
    """A moving-window rate limit, kept where Flask-Limiter keeps its own
    (memory, or Redis so several processes share the count)."""
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    limiter = _limiters.get(uri)
    if limiter is None:
        limiter = _limiters[uri] = MovingWindowRateLimiter(storage_from_string(uri))
    return limiter.hit(parse(limit), "live", action, str(user_id))


def reset_limits() -> None:
    """Forget the in-process limit counters (tests build a fresh app each time)."""
    _limiters.clear()


def push_to_user(user_id: int, event: str, data: dict) -> None:
    """Send to every socket a member has open, in any process (via Redis
    when REDIS_URL is set). Safe to call from a request or a worker."""
    socketio.emit(event, data, to=user_room(user_id), namespace=NAMESPACE)
