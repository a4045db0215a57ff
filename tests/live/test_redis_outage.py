"""Live rooms while Redis is away and after it returns.

The room handlers keep answering with a dead rate-limit store (counted in
memory meanwhile). The Socket.IO queue manager (app/live/queue.py) sends
its own sockets `resync` after it re-subscribes, never on the first
subscription, and never through Redis. Flask-SocketIO's test client refuses
a message queue, so the manager is tested on a bare python-socketio server
whose packets are recorded instead of sent.
"""

from __future__ import annotations

import threading
import time

import pytest
import redis
import socketio

from app.accounts import services as accounts
from app.events.presence import Presence
from app.live.queue import ResyncRedisManager
from deploy.cluster import ClusterError, RedisServer, free_port
from tests import services

NS = "/live"
CHANNEL = "staffroom-test-resync"


def dead_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


# Presence ----------------------------------------------------------------------------------------

def test_presence_keeps_this_process_list_while_redis_is_away():
    tracker = Presence(dead_redis_url())
    ann = {"id": 1, "username": "ann", "display_name": "Ann"}
    bo = {"id": 2, "username": "bo", "display_name": "Bo"}
    tracker.add(7, "sid-a", ann)
    tracker.add(7, "sid-b", bo)
    assert tracker.has("sid-a", 7)
    assert tracker.participants(7) == [ann, bo]
    assert tracker.remove(7, "sid-b")
    assert tracker.remove_sid("sid-a") == [7]
    assert tracker.participants(7) == []


# The room handlers ----------------------------------------------------------------------------

@pytest.fixture
def app_settings():
    # REDIS_URL stays unset: the test client cannot run with a message queue.
    return {"RATELIMIT_STORAGE_URI": dead_redis_url()}


def test_a_send_is_saved_and_acked_while_the_limit_store_is_down(app, live, make_user, live_event):
    event = live_event()
    socket = live(token=accounts.issue_token(make_user())[0])
    assert socket.emit("join", {"event_id": event.id}, namespace=NS, callback=True)["ok"]
    acks = [socket.emit("send", {"event_id": event.id, "body": f"Hello {n}", "client_id": f"c{n}"},
                        namespace=NS, callback=True) for n in range(9)]
    assert [ack["ok"] for ack in acks[:8]] == [True] * 8
    assert acks[0]["message"]["text"] == "Hello 0"
    # Still limited (in this process's memory): eight per ten seconds.
    assert acks[8]["error"]["code"] == "rate_limited"
    assert socket.is_connected(NS)


# The queue manager ------------------------------------------------------------------------------

class Recorder:
    """A python-socketio server whose packets are recorded, with one
    socket connected to /live and one to the default namespace."""

    def __init__(self, manager: ResyncRedisManager):
        self.server = socketio.Server(client_manager=manager, async_mode="threading")
        self.sent: list[tuple[str, str]] = []
        self.server._send_eio_packet = lambda eio_sid, pkt: self.sent.append((eio_sid, pkt.data))  # noqa: SLF001 (an outage made on purpose)
        manager.connect("live-socket", NS)
        manager.connect("other-socket", "/")

    def events(self, name: str) -> list[str]:
        return [eio_sid for eio_sid, data in self.sent if f'["{name}"' in data]


class FakePubSub:
    """Yields what Redis would, then fails (or stops the manager)."""

    def __init__(self, manager, messages, then):
        self.manager, self.messages, self.then = manager, messages, then

    def listen(self):
        yield {"type": "subscribe", "channel": CHANNEL.encode(), "data": 1}
        for data in self.messages:
            yield {"type": "message", "channel": CHANNEL.encode(), "data": data}
        if self.then == "fail":
            raise redis.ConnectionError("Connection closed by server.")
        self.manager._closed.set()  # noqa: SLF001 (an outage made on purpose)


def test_the_manager_sends_resync_locally_after_it_resubscribes(monkeypatch):
    manager = ResyncRedisManager(dead_redis_url(), channel=CHANNEL, retry_first=0)
    recorder = Recorder(manager)
    published = []
    monkeypatch.setattr(manager, "_publish", published.append)
    subscriptions = iter([FakePubSub(manager, [b"first"], "fail"), FakePubSub(manager, [b"second"], "stop")])
    monkeypatch.setattr(manager, "_subscribe", lambda: next(subscriptions))

    assert list(manager._listen()) == [b"first", b"second"]  # noqa: SLF001 (an outage made on purpose)
    # One resync (after the second subscription, not the first), to the /live socket only.
    assert recorder.events("resync") == ["live-socket"]
    assert '"lost_seconds"' in recorder.sent[0][1]
    assert published == []


def test_while_redis_stays_down_the_manager_retries_every_few_seconds_at_most(monkeypatch):
    manager = ResyncRedisManager(dead_redis_url(), channel=CHANNEL, retry_first=0.5, retry_max=4)
    waits = []
    monkeypatch.setattr(manager._closed, "wait", waits.append)  # noqa: SLF001 (an outage made on purpose)
    attempts = iter([redis.ConnectionError("refused")] * 6 + [FakePubSub(manager, [], "stop")])

    def subscribe():
        attempt = next(attempts)
        if isinstance(attempt, Exception):
            raise attempt
        return attempt

    monkeypatch.setattr(manager, "_subscribe", subscribe)
    assert list(manager._listen()) == []  # noqa: SLF001 (an outage made on purpose)
    assert waits == [0.5, 1, 2, 4, 4, 4]


def test_a_broadcast_while_redis_is_down_still_reaches_this_process():
    manager = ResyncRedisManager(dead_redis_url(), channel=CHANNEL)
    recorder = Recorder(manager)
    manager.emit("message", {"id": 1, "text": "Saved, and shown here"}, namespace=NS)
    assert recorder.events("message") == ["live-socket"]


def test_after_redis_restarts_the_listener_is_back_within_seconds_and_sends_resync(tmp_path):
    try:
        private = RedisServer(tmp_path / "redis")
        private.start()
    except ClusterError as exc:
        services.unavailable(str(exc))
    manager = ResyncRedisManager(private.url, channel=CHANNEL, retry_first=0.05, retry_max=0.2)
    recorder = Recorder(manager)
    received = []

    def listen():
        for data in manager._listen():  # noqa: SLF001 (an outage made on purpose)
            received.append(data)

    listener = threading.Thread(target=listen, daemon=True)
    try:
        listener.start()
        wait_for(lambda: manager.subscriptions == 1)
        private.kill()
        private.start()
        wait_for(lambda: recorder.events("resync"))
        redis.Redis.from_url(private.url).publish(CHANNEL, b"after the restart")
        wait_for(lambda: b"after the restart" in received)
    finally:
        manager.close()
        listener.join(5)
        private.stop()
    assert recorder.events("resync") == ["live-socket"]
    assert manager.subscriptions == 2


def wait_for(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
