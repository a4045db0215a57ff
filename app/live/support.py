"""What every live-room handler shares: who is connected, acks, rate limits,
and pushing to a member's own room from anywhere in the app."""

from __future__ import annotations

import logging
import time

from flask import current_app, session
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.accounts.models import User
from app.extensions import db, socketio
from app.log_throttle import ThrottledWarnings

NAMESPACE = "/live"
SESSION_KEY = "live_user_id"
# While the shared store (Redis) is unreachable, limits are counted in this
# process's memory; the store is tried again after STORE_RETRY_SECONDS.
STORE_RETRY_SECONDS = 5.0
log = logging.getLogger(__name__)
_warnings = ThrottledWarnings(log)
_limiters: dict[str, MovingWindowRateLimiter] = {}
_fallback = MovingWindowRateLimiter(MemoryStorage())
_store_down_until: dict[str, float] = {}


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
    (memory, or Redis so several processes share the count).

    A room must not stall because Redis is away: its errors switch this
    process to counting in memory (each process then allows the limit on
    its own) until the store answers again."""
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    item, keys = parse(limit), ("live", action, str(user_id))
    if time.monotonic() < _store_down_until.get(uri, 0.0):
        return _fallback.hit(item, *keys)
    limiter = _limiters.get(uri)
    if limiter is None:
        limiter = _limiters[uri] = MovingWindowRateLimiter(storage_from_string(uri))
    try:
        allowed = limiter.hit(item, *keys)
    except limiter.storage.base_exceptions as exc:
        _store_down_until[uri] = time.monotonic() + STORE_RETRY_SECONDS
        _warnings.warning("store", "live-room rate limits: store unreachable (%s); counting in memory meanwhile", exc)
        return _fallback.hit(item, *keys)
    if _store_down_until.pop(uri, None) is not None:
        log.info("live-room rate limits: the shared store answers again")
    return allowed


def reset_limits() -> None:
    """Forget the in-process limit counters (tests build a fresh app each time)."""
    _limiters.clear()
    _store_down_until.clear()
    _warnings.reset()
    _fallback.storage.reset()


# An internal event name: never sent to a browser. With Redis it travels to
# every process like a broadcast, and each disconnects its own sockets of the
# room (app/live/queue.py); python-socketio can only disconnect one sid
# across processes, and room members are known only to their own process.
DISCONNECT_ROOM_EVENT = "staffroom:disconnect-room"


def disconnect_local_room(room: str) -> None:
    """Disconnect this process's sockets in `room` on /live."""
    server = socketio.server
    sids = [sid for sid, _eio_sid in server.manager.get_participants(NAMESPACE, room)]
    for sid in sids:
        server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)


def disconnect_user(user_id: int) -> None:
    """Close every socket the member has open, in every process."""
    server = socketio.server
    if server is None:  # the live rooms are not set up (a CLI command)
        return
    room = user_room(user_id)
    manager = server.manager
    if hasattr(manager, "_publish"):  # a message queue: every process, this one included
        manager.emit(DISCONNECT_ROOM_EVENT, None, namespace=NAMESPACE, room=room)
    else:
        disconnect_local_room(room)


def event_room(event_id: int) -> str:
    return f"event:{event_id}"


def push_to_event_room(event_id: int, event: str, data: dict) -> None:
    """Send to everyone in an event's live room, in any process. For changes
    made outside the room (a page, the API) that the room must see."""
    socketio.emit(event, data, to=event_room(event_id), namespace=NAMESPACE)


def push_to_user(user_id: int, event: str, data: dict) -> None:
    """Send to every socket a member has open, in any process (via Redis
    when REDIS_URL is set). Safe to call from a request or a worker."""
    socketio.emit(event, data, to=user_room(user_id), namespace=NAMESPACE)
