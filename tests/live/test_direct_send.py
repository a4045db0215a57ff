"""Broadcasts written straight to websockets (app/live/direct_send.py):
nothing lost, nothing reordered, frames never interleaved, and one client
that stops reading never holds up the others.

A bare python-socketio server in threading mode, served over real sockets by
werkzeug (as in the browser tests); the patch is process-wide, installed
by `direct_send.install()` (create_app does it through app.live.register).
No database: this is about the transport.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager

import engineio
import pytest
import socketio
import websocket
from werkzeug.serving import make_server

from app.live import direct_send

ROOM = "room"
BIG = "x" * 60_000  # a few of these fill a socket buffer that nobody reads


@contextmanager
def serving(**options):
    """A bare Socket.IO server over real sockets; yields (server, url, engine sockets by sid)."""
    direct_send.install()
    sio = socketio.Server(async_mode="threading", **options)
    sockets = {}
    gone = []

    @sio.event
    def connect(sid, environ):
        # Small kernel buffers, so that a client that does not keep up
        # makes the server's writes partial quickly.
        environ["werkzeug.socket"].setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16_384)
        sio.enter_room(sid, ROOM)
        sockets[sid] = sio.eio.sockets[sio.manager.eio_sid_from_sid(sid, "/")]

    @sio.event
    def disconnect(sid, reason):
        gone.append((sid, reason))

    http = make_server("127.0.0.1", 0, socketio.WSGIApp(sio), threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    sio.gone = gone
    try:
        yield sio, f"http://127.0.0.1:{http.server_port}", sockets
    finally:
        http.shutdown()
        http.server_close()


@pytest.fixture
def server():
    with serving() as served:
        yield served


class InOrderEngineIO(engineio.Client):
    """python-engineio's client hands each message to a thread of its own
    (`run_async=True`), so two quick messages can reach the handler swapped;
    here they are handled in the order they came off the socket."""

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class InOrderClient(socketio.Client):
    def _engineio_client_class(self):
        return InOrderEngineIO


def collector(url: str) -> tuple[socketio.Client, list]:
    seen = []
    client = InOrderClient(reconnection=False)
    client.on("n", lambda data: seen.append(data))
    client.connect(url, transports=["websocket"], wait_timeout=10)
    return client, seen


def spy(cls, calls: list):
    class Spy(cls):
        def __init__(self, data):
            calls.append(len(data))
            super().__init__(data)

    return Spy


def wait_for(predicate, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def wait_until_joined(sio, count: int) -> None:
    wait_for(lambda: len(list(sio.manager.get_participants("/", ROOM))) == count)


def test_sockets_opened_as_websockets_take_the_direct_path(server):
    sio, url, sockets = server
    client, _ = collector(url)
    try:
        wait_until_joined(sio, 1)
        (engine_socket,) = sockets.values()
        assert isinstance(engine_socket, direct_send.DirectSocket)
        assert engine_socket._direct_ws is not None  # noqa: SLF001 (the write path under test)
    finally:
        client.disconnect()


def test_concurrent_broadcasts_reach_everyone_in_order(server):
    sio, url, _ = server
    clients = [collector(url) for _ in range(3)]
    try:
        wait_until_joined(sio, 3)
        senders, per_sender = 4, 50

        def blast(sender: int) -> None:
            for n in range(per_sender):
                sio.emit("n", {"sender": sender, "n": n, "pad": "y" * (n % 7) * 500}, to=ROOM)

        threads = [threading.Thread(target=blast, args=(s,)) for s in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for _, seen in clients:
            wait_for(lambda seen=seen: len(seen) == senders * per_sender)
            for sender in range(senders):
                assert [m["n"] for m in seen if m["sender"] == sender] == list(range(per_sender))
    finally:
        for client, _ in clients:
            client.disconnect()


def test_a_client_that_stops_reading_holds_up_nobody_and_loses_nothing(server, monkeypatch):
    sio, url, _ = server
    remainders = []
    monkeypatch.setattr(direct_send, "_Remainder", spy(direct_send._Remainder, remainders))  # noqa: SLF001 (the write path under test)
    # A raw websocket with a small receive window that connects, then reads
    # nothing until the end.
    stalled = raw_websocket(url)
    client, seen = collector(url)
    try:
        wait_until_joined(sio, 2)
        count = 30  # 30 x 60 KB: far more than the socket buffers hold
        # If a broadcast waited on the stalled socket, it would wait for as
        # long as that client does not read: here, forever.
        emitter = threading.Thread(target=lambda: [sio.emit("n", {"n": n, "pad": BIG}, to=ROOM)
                                                   for n in range(count)], daemon=True)
        emitter.start()
        wait_for(lambda: len(seen) == count)
        assert [m["n"] for m in seen] == list(range(count))
        emitter.join(timeout=15)
        assert not emitter.is_alive()
        assert remainders, "the kernel took every frame whole: the partial-write path was not exercised"

        received = []
        while len(received) < count:
            frame = stalled.recv()
            if frame == "2":  # an Engine.IO ping in between
                stalled.send("3")
                continue
            assert frame.startswith('42["n",'), frame[:40]
            received.append(json.loads(frame[2:])[1])
        assert [m["n"] for m in received] == list(range(count))
        assert all(m["pad"] == BIG for m in received)
    finally:
        client.disconnect()
        stalled.close()


def raw_websocket(url: str) -> websocket.WebSocket:
    """A websocket that speaks Engine.IO by hand: connected to namespace "/"."""
    raw = websocket.create_connection(url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                                      timeout=15)
    assert raw.recv().startswith("0")
    raw.send("40")
    assert raw.recv().startswith("40")
    return raw


def test_a_quiet_room_keeps_its_sockets_past_the_ping_timeout():
    # Engine.IO's writer thread hangs up after ping interval + timeout with
    # nothing queued; with pings sent directly its queue stays empty.
    with serving(ping_interval=1, ping_timeout=1) as (sio, url, sockets):
        client, seen = collector(url)
        try:
            wait_until_joined(sio, 1)
            time.sleep(4)  # two writer timeouts, several pings and pongs
            assert client.connected and not sio.gone
            sio.emit("n", {"n": 1}, to=ROOM)
            wait_for(lambda: seen == [{"n": 1}])
        finally:
            client.disconnect()


def test_a_client_that_stops_answering_pings_is_dropped():
    with serving(ping_interval=1, ping_timeout=1) as (sio, url, sockets):
        silent = raw_websocket(url)  # never answers a ping
        try:
            wait_for(lambda: len(sio.gone) == 1)
            assert sio.gone[0][1] == sio.reason.PING_TIMEOUT
        finally:
            silent.close()
