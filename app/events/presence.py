"""Who is in which room, keyed by socket id.

Each process knows its own sockets (a socket lives in one process) and
uses that to check "has this socket joined the room?". The participant
list is per process unless REDIS_URL is set: then each socket's presence is
also a field of a Redis hash per room, so every process lists everyone.

Each process also keeps a heartbeat key alive in Redis (every
HEARTBEAT_EVERY seconds, expiring after HEARTBEAT_TTL): entries of a process
that died without its sockets disconnecting are dropped as soon as its
heartbeat lapses. Limit, by design: for up to HEARTBEAT_TTL seconds after a
crash its members still show as present.

While Redis is unreachable, rooms keep working on what this process knows:
joins and leaves update the local lists, and the participant list shows
this process's sockets only (a warning is logged at most once a minute).
Entries written while Redis was away are not replayed: the next join in
that room rewrites this socket's entry, and the heartbeat clears the rest.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections import defaultdict

from app.log_throttle import ThrottledWarnings

ROOM_TTL = 6 * 60 * 60
HEARTBEAT_EVERY = 15
HEARTBEAT_TTL = 45
log = logging.getLogger(__name__)


class Presence:
    def __init__(self, redis_url: str | None = None, namespace: str = "flask-socketio"):
        # Processes that share rooms share a Socket.IO channel: their
        # presence lives under it too, apart from other sites on the Redis.
        self.namespace = namespace
        self._lock = threading.Lock()
        self._rooms: dict[int, dict[str, dict]] = defaultdict(dict)
        self._joined: dict[str, set[int]] = defaultdict(set)
        self._redis = None
        self.process_id = secrets.token_hex(8)
        self._heart: threading.Thread | None = None
        # For throttling presence broadcasts in big rooms (app/live/rooms.py).
        self.throttle_lock = threading.Lock()
        self._warnings = ThrottledWarnings(log)
        self.announced_at: dict[int, float] = {}
        self.announce_due: set[int] = set()
        if redis_url:
            import redis  # noqa: PLC0415 (only with REDIS_URL)

            self._redis = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
            self._redis_errors = (redis.RedisError, OSError)

    def _shared(self, write) -> bool:
        """Run `write(redis)`; False, and a warning now and then, if Redis is away."""
        try:
            write(self._redis)
            return True
        except self._redis_errors as exc:
            self._warnings.warning(
                "redis", "presence: Redis unreachable (%s); listing this process's members only", exc
            )
            return False

    def _key(self, event_id: int) -> str:
        return f"staffroom:presence:{self.namespace}:{event_id}"

    @staticmethod
    def _alive_key(process_id: str) -> str:
        return f"staffroom:presence-process:{process_id}"

    def _field(self, sid: str) -> str:
        return f"{self.process_id}:{sid}"

    def _beat(self) -> None:
        self._redis.set(self._alive_key(self.process_id), "1", ex=HEARTBEAT_TTL)

    def _start_heart(self) -> None:
        if self._heart is not None:
            return
        with self._lock:
            if self._heart is not None:
                return
            self._beat()
            self._heart = threading.Thread(target=self._keep_beating, name="presence-heartbeat", daemon=True)
            self._heart.start()

    def _keep_beating(self) -> None:
        while True:
            time.sleep(HEARTBEAT_EVERY)
            try:
                self._beat()
            except Exception:  # noqa: BLE001 (Redis away for a moment: try again next beat)
                pass

    def add(self, event_id: int, sid: str, user: dict) -> None:
        with self._lock:
            self._rooms[event_id][sid] = user
            self._joined[sid].add(event_id)
        if self._redis is not None and self._shared(lambda _: self._start_heart()):
            def write(redis):
                pipe = redis.pipeline()
                pipe.hset(self._key(event_id), self._field(sid), json.dumps(user))
                pipe.expire(self._key(event_id), ROOM_TTL)
                pipe.execute()

            self._shared(write)

    def remove(self, event_id: int, sid: str) -> bool:
        with self._lock:
            present = self._rooms.get(event_id, {}).pop(sid, None) is not None
            self._joined.get(sid, set()).discard(event_id)
            if not self._rooms.get(event_id, True):
                self._rooms.pop(event_id, None)
        if self._redis is not None:
            self._shared(lambda redis: redis.hdel(self._key(event_id), self._field(sid)))
        return present

    def remove_sid(self, sid: str) -> list[int]:
        """A socket went away: the rooms it was in."""
        with self._lock:
            rooms = sorted(self._joined.pop(sid, set()))
        for event_id in rooms:
            self.remove(event_id, sid)
        return rooms

    def has(self, sid: str, event_id: int) -> bool:
        with self._lock:
            return event_id in self._joined.get(sid, ())

    def participants(self, event_id: int) -> list[dict]:
        """Each member once (several tabs are one person), by name."""
        entries = None
        if self._redis is not None:
            found = []
            if self._shared(lambda _: found.extend(self._shared_entries(event_id))):
                entries = found
        if entries is None:
            with self._lock:
                entries = list(self._rooms.get(event_id, {}).values())
        unique = {entry["id"]: entry for entry in entries}
        return sorted(unique.values(), key=lambda entry: entry["display_name"].lower())

    def _shared_entries(self, event_id: int) -> list[dict]:
        """Every process's entries for the room, less those of dead processes."""
        key = self._key(event_id)
        raw = {field.decode(): value for field, value in self._redis.hgetall(key).items()}
        processes = sorted({field.split(":", 1)[0] for field in raw})
        pipe = self._redis.pipeline()
        for process in processes:
            pipe.exists(self._alive_key(process))
        alive = {process for process, found in zip(processes, pipe.execute(), strict=False) if found}
        dead = [field for field in raw if field.split(":", 1)[0] not in alive]
        if dead:
            self._redis.hdel(key, *dead)
        return [json.loads(value) for field, value in raw.items() if field not in dead]
