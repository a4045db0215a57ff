"""Per-member answers kept for a few seconds: what a member-specific panel
costs to choose (ids, counts), not the rows themselves, which pages load
fresh by primary key.

`remember(panel, user_id, seconds, compute)` answers from the store, or
computes, stores and answers. `forget(user_id, *panels)` drops entries now
and again when the current transaction commits (a request that read the
old rows between the two cannot put them back for longer than that).
Writes that change a panel call `forget`; a change made by someone else
(a new resource, another member's answer) shows within `seconds`.

The store is Redis when REDIS_URL is set (shared by every process, under
MEMBER_CACHE_PREFIX), this process's memory otherwise. Values are JSON. A
store that fails is skipped for STORE_RETRY_SECONDS: pages compute, as
without a cache, and wait on no timeout meanwhile (entries expire alone).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.log_throttle import ThrottledWarnings

log = logging.getLogger(__name__)
_warnings = ThrottledWarnings(log)
_PENDING = "member_cache_forget"
HOME = "home"  # the member's home panels (app/people/home.py); lower features forget it on their writes
STORE_RETRY_SECONDS = 5.0
MAX_LOCAL_ENTRIES = 50_000  # ~ five panels of 10,000 members; past it, expired entries go, then all


class LocalStore:
    """A dict with expiry times, for one process."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        item = self._items.get(key)
        if item is None or item[0] <= time.monotonic():
            return None
        return item[1]

    def set(self, key: str, value: str, seconds: float) -> None:
        with self._lock:
            if len(self._items) >= MAX_LOCAL_ENTRIES:
                now = time.monotonic()
                self._items = {k: v for k, v in self._items.items() if v[0] > now}
                if len(self._items) >= MAX_LOCAL_ENTRIES:
                    self._items.clear()
            self._items[key] = (time.monotonic() + seconds, value)

    def delete(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._items.pop(key, None)


class RedisStore:
    def __init__(self, url: str) -> None:
        import redis  # noqa: PLC0415 (only with REDIS_URL)

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.errors = (redis.RedisError, OSError)
        self.down_until = 0.0

    def get(self, key: str) -> str | None:
        value = self._redis.get(key)
        return value.decode() if value is not None else None

    def set(self, key: str, value: str, seconds: float) -> None:
        self._redis.set(key, value, px=max(1, int(seconds * 1000)))

    def delete(self, keys: list[str]) -> None:
        if keys:
            self._redis.delete(*keys)


def _store():
    return current_app.extensions["member_cache"]


def _key(panel: str, user_id: int) -> str:
    return f"{current_app.config['MEMBER_CACHE_PREFIX']}:member:{user_id}:{panel}"


def _errors(store) -> tuple:
    return getattr(store, "errors", ())


def _usable(store) -> bool:
    return time.monotonic() >= getattr(store, "down_until", 0.0)


def _failed(store, what: str, error: Exception) -> None:
    store.down_until = time.monotonic() + STORE_RETRY_SECONDS
    _warnings.warning(what, "member cache unreachable (%s); computing panels meanwhile", error)


def remember(panel: str, user_id: int, seconds: float, compute: Callable[[], Any]) -> Any:
    """The stored answer for this member's panel, else `compute()` (stored
    for `seconds`). The value must survive JSON (lists, dicts, numbers)."""
    store, key = _store(), _key(panel, user_id)
    if not _usable(store):
        return compute()
    try:
        stored = store.get(key)
    except _errors(store) as error:
        _failed(store, "get", error)
        return compute()
    if stored is not None:
        return json.loads(stored)
    value = compute()
    try:
        store.set(key, json.dumps(value), seconds)
    except _errors(store) as error:
        _failed(store, "set", error)
    return value


def _delete(keys: list[str]) -> None:
    store = _store()
    if not _usable(store):
        return
    try:
        store.delete(keys)
    except _errors(store) as error:
        _failed(store, "delete", error)


def forget(user_ids, *panels: str) -> None:
    """Drop these panels of these members (one id or several), now and
    after the current transaction commits."""
    ids = [user_ids] if isinstance(user_ids, int) else [i for i in user_ids if i is not None]
    keys = [_key(panel, user_id) for user_id in ids for panel in panels]
    if not keys:
        return
    _delete(keys)
    db.session.info.setdefault(_PENDING, set()).update(keys)


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session) -> None:
    keys = session.info.pop(_PENDING, None)
    if keys:
        _delete(sorted(keys))


@event.listens_for(Session, "after_rollback")
def _drop_pending(session) -> None:
    session.info.pop(_PENDING, None)


def init_app(app: Flask) -> None:
    app.config.setdefault("MEMBER_CACHE_PREFIX", "staffroom")
    url = app.config.get("REDIS_URL")
    app.extensions["member_cache"] = RedisStore(url) if url else LocalStore()
