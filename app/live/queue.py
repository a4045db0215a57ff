"""The Socket.IO message queue over Redis, made to recover from an outage.

python-socketio's RedisManager shares broadcasts between processes through
one Redis pub/sub channel. When Redis goes away and comes back it has two
weak spots, both fixed here:

* Its listener retries with a wait that doubles up to 60 s, so a process
  could stay deaf to the others for a minute after Redis is back. Here the
  wait is capped at a few seconds (`retry_max`).
* Redis pub/sub keeps nothing: whatever the other processes published while
  this one was not subscribed is gone. The chat messages are in the
  database, though, so after every re-subscription this manager sends its
  own sockets `resync {lost_seconds}` on /live, delivered by this process
  alone (not through Redis), and the browser (static/js/room.js) joins its
  room again with a `since_id`: the ack holds what it missed (plus the
  deleted ids and the participant list), and the client drops repeats by id.

Why `lost_seconds` (how long the subscription was down, 0 if unknown): the
client cannot simply ask for everything after the newest message it shows.
This process's own broadcasts kept reaching its sockets during the gap, so
the newest message shown may be newer than the other processes' lost ones.
The client asks from the last message it had before the gap began (with a
margin), and puts what comes back in id order.

A re-subscription is noticed by its confirmation from Redis, so it is
caught whether this loop reconnected or redis-py did so on its own.

Limits, by design:

* A broadcast made while Redis is down still reaches this process's own
  sockets (python-socketio delivers locally before it publishes), but the
  publish to the other processes fails and is dropped. So a `send` during
  an outage is saved and acked ok, and members connected to other processes
  see it when their process re-subscribes and sends `resync`.
* Only event rooms replay what they missed. Pushes to a member's own room
  made during the gap are not replayed: on `resync` every signed-in page
  fetches its unread badges again (static/js/live.js), and an open
  conversation shows a missed private message at the next push or page load.

python-socketio has no public hooks for any of this, so the overrides below
(`_redis_connect`, `_publish`, `_redis_listen_with_retries`, `_listen`,
`_handle_emit`) replace private methods of RedisManager and PubSubManager;
this is the one module that does. python-socketio is pinned exactly
(requirements.txt); tests/test_library_pins.py fails, naming the pin, if
one of them disappears or changes its signature.
"""

from __future__ import annotations

import logging
import threading
import time

import socketio

from app.log_throttle import ThrottledWarnings
from app.push import DISCONNECT_ROOM_EVENT, NAMESPACE, disconnect_local_room

log = logging.getLogger(__name__)

RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 4.0
# A Redis that stops answering (rather than refusing) must not hold a request
# thread forever. The listener's blocking read is exempt: redis-py waits
# without a timeout for pub/sub messages.
REDIS_OPTIONS = {"socket_connect_timeout": 5, "socket_timeout": 5}


class ResyncRedisManager(socketio.RedisManager):
    """RedisManager with a short reconnect backoff and a local `resync`
    after each re-subscription; failures logged at most once a minute."""

    name = "redis-resync"

    def __init__(self, url: str, channel: str, *, retry_first: float = RETRY_FIRST_SECONDS,
                 retry_max: float = RETRY_MAX_SECONDS, **kwargs):
        super().__init__(url, channel=channel, redis_options=dict(REDIS_OPTIONS), **kwargs)
        self.retry_first = retry_first
        self.retry_max = retry_max
        self.subscriptions = 0  # confirmations received; every one after the first is a re-subscription
        self._connect_lock = threading.RLock()
        self._closed = threading.Event()
        self._listening = None
        self._lost_at: float | None = None  # monotonic time the subscription failed
        self._warnings = ThrottledWarnings(log)

    def close(self) -> None:
        """Stop the listener (tests; a process that exits needs nothing)."""
        self._closed.set()
        pubsub = self._listening
        if pubsub is not None:
            pubsub.close()

    def _redis_connect(self) -> None:
        # Publishing threads and the listener both reconnect; one at a time.
        with self._connect_lock:
            super()._redis_connect()
            # Keep Redis's subscribe confirmations: each marks a (re)subscription.
            self.pubsub = self.redis.pubsub()

    def _subscribe(self):
        with self._connect_lock:
            self._redis_connect()
            pubsub = self._listening = self.pubsub
        pubsub.subscribe(self.channel)
        return pubsub

    def _publish(self, data):
        """One attempt (redis-py already retries a dropped connection once
        it can connect); a failure drops the broadcast for other processes."""
        try:
            if not self.connected:
                self._redis_connect()
            return self.redis.publish(self.channel, self.json.dumps(data))
        except Exception as exc:  # noqa: BLE001 (any Redis failure: the local delivery already happened)
            self.connected = False
            self._warnings.warning("publish", "Socket.IO cannot publish to Redis (%s): other processes miss "
                          "broadcasts until it is back", exc)
            return None

    def _redis_listen_with_retries(self):
        wait = self.retry_first
        while not self._closed.is_set():
            try:
                pubsub = self._subscribe()
                wait = self.retry_first
                yield from pubsub.listen()
            except Exception as exc:  # noqa: BLE001 (any Redis failure: wait and subscribe again)
                if self._closed.is_set():
                    return
                if self._lost_at is None:
                    self._lost_at = time.monotonic()
                self._warnings.warning("listen", "Socket.IO lost its Redis subscription (%s); retrying every "
                             "%.0f s at most", exc, self.retry_max)
                self._closed.wait(wait)
                wait = min(wait * 2, self.retry_max)

    def _listen(self):
        channel = self.channel.encode("utf-8")
        for message in self._redis_listen_with_retries():
            if message["channel"] != channel:
                continue
            if message["type"] == "subscribe":
                self.subscriptions += 1
                if self.subscriptions > 1:
                    self._resync()
            elif message["type"] == "message" and "data" in message:
                yield message["data"]

    def _handle_emit(self, message):
        # Our one internal "event": disconnect the room's sockets in this
        # process rather than send anything to them (see app.push.disconnect_user).
        if message.get("event") == DISCONNECT_ROOM_EVENT:
            disconnect_local_room(message.get("room"))
            return
        super()._handle_emit(message)

    def _resync(self) -> None:
        """Tell this process's sockets to catch up from the database."""
        lost = 0.0 if self._lost_at is None else time.monotonic() - self._lost_at
        self._lost_at = None
        self._warnings.reset()
        log.info("Socket.IO re-subscribed to Redis after %.1f s; asking this process's live sockets to resync", lost)
        try:
            self.emit("resync", {"lost_seconds": round(lost, 1)}, namespace=NAMESPACE, ignore_queue=True)
        except Exception:  # noqa: BLE001 (the listener must keep going)
            log.exception("could not send resync to the live sockets")
