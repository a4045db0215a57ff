"""Moving-window limits for actions that are not HTTP routes (live-room
events, private messages), counted where Flask-Limiter keeps its own
counters: memory, or Redis so several processes share the count.

A room must not stall because Redis is away: its errors switch this
process to counting in memory (each process then allows the limit on its
own) until the store answers again.
"""

from __future__ import annotations

import logging
import time

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.log_throttle import ThrottledWarnings

# While the shared store (Redis) is unreachable, limits are counted in this
# process's memory; the store is tried again after STORE_RETRY_SECONDS.
STORE_RETRY_SECONDS = 5.0
log = logging.getLogger(__name__)
_warnings = ThrottledWarnings(log)
_limiters: dict[str, MovingWindowRateLimiter] = {}
_fallback = MovingWindowRateLimiter(MemoryStorage())
_store_down_until: dict[str, float] = {}


def allow(action: str, user_id: int, limit: str) -> bool:
    """Count one `action` by this member against `limit` ("8 per 10
    seconds"); False once it is used up."""
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
