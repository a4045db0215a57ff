"""Write room broadcasts straight to each websocket instead of waking a
thread per socket.

Engine.IO's threading mode gives every websocket a writer thread fed by a
queue: a broadcast to a room of 500 wakes 500 threads, and those threads
fight over the GIL (measured: ~10 context switches and ~170-230 µs of CPU
per delivery at 500 sockets, so one process saturated at 5,000 deliveries a
second). Here the thread that emits frames the message and hands it to the
kernel itself, without blocking: `send(..., MSG_DONTWAIT)` either takes the
whole frame or the rest goes through the socket's writer thread as before.
A slow client therefore never stalls a broadcast, and order is kept:

- every write to a socket, direct or by the writer thread, holds the
  socket's write lock, so frames never interleave;
- a direct write happens only when nothing is queued or being written for
  that socket (`_TrackedQueue.inflight` counts packets the writer has taken
  but not yet written), so it can never overtake an older packet;
- deciding, writing directly and queueing happen under the socket's order
  lock (held for microseconds: a direct write never blocks), so the rest of
  a partial write is queued before any packet another thread sends next.
  Without it, a packet queued by a thread that found the write lock busy
  could land between a frame's head and its tail.

Only sockets that connect as websockets (the browser client and the API
clients do) on a blocking OS socket (gunicorn's gthread worker and werkzeug
both give one) take the direct path; anything else (long-polling, an
upgrade from it, a socket with a timeout) keeps Engine.IO's path unchanged.
`install()` swaps Engine.IO's Socket class, process-wide; live.register
calls it as each app is built.

This is the one module that reaches into the websocket stack's internals,
none of which has a public way to do this: Engine.IO's Socket
(`_websocket_handler`, `poll`, `send`, its `queue` and the module-level
`engineio.socket.Socket` its server instantiates), the websocket Engine.IO
hands over (`ws.ws`, a simple-websocket Server, with its `sock`, `ws` and
`connected`), and wsproto's connection inside it (framing a TextMessage).
python-engineio, simple-websocket and wsproto are pinned exactly
(requirements.txt); tests/test_library_pins.py fails, naming the pin, if a
name used here disappears or changes its signature.
"""

from __future__ import annotations

import queue
import socket
import threading

import engineio.socket
from engineio import exceptions, packet
from wsproto.events import TextMessage

_EngineSocket = engineio.socket.Socket


class _Remainder:
    """The unsent tail of a frame that the kernel took only part of: the
    writer thread sends these bytes as they are, before anything newer."""

    packet_type = packet.MESSAGE

    def __init__(self, data: bytes):
        self.data = data

    def encode(self):
        return self


class _TrackedQueue(queue.Queue):
    """A queue that also counts packets taken by the writer thread but not
    yet written (`_get` runs under the queue's own mutex)."""

    def _init(self, maxsize):
        super()._init(maxsize)
        self.inflight = 0

    def _get(self):
        self.inflight += 1
        return super()._get()

    def idle(self) -> bool:
        with self.mutex:
            return not self.queue and self.inflight == 0

    def written(self) -> None:
        with self.mutex:
            self.inflight = max(0, self.inflight - 1)


class _LockedWebSocket:
    """What Engine.IO's writer thread writes through: the same websocket,
    with each write under the socket's write lock."""

    def __init__(self, ws, lock: threading.Lock, outbox: _TrackedQueue):
        self._ws = ws
        self._lock = lock
        self._outbox = outbox

    def wait(self):
        return self._ws.wait()

    def close(self):
        return self._ws.close()

    def send(self, message):
        try:
            with self._lock:
                if isinstance(message, _Remainder):
                    _raw_socket(self._ws).sendall(message.data)
                    return None
                return self._ws.send(message)
        finally:
            self._outbox.written()


def _raw_socket(ws):
    return ws.ws.sock


class DirectSocket(_EngineSocket):
    """An Engine.IO socket whose sends skip the writer thread when they can."""

    def __init__(self, server, sid):
        super().__init__(server, sid)
        self.queue = _TrackedQueue()
        self._write_lock = threading.Lock()
        # Re-entrant: a send can close the socket, and closing sends CLOSE.
        self._order_lock = threading.RLock()
        self._direct_ws = None

    def _websocket_handler(self, ws):
        inner = getattr(ws, "ws", None)  # simple_websocket.Server
        sock = getattr(inner, "sock", None)
        # Only a socket that starts as a websocket: after an upgrade from
        # long-polling, the polling request also took packets off the queue.
        if not self.connected and isinstance(sock, socket.socket) and sock.gettimeout() is None:
            self._direct_ws = ws
        try:
            return super()._websocket_handler(_LockedWebSocket(ws, self._write_lock, self.queue))
        finally:
            self._direct_ws = None

    def poll(self):
        """The writer thread's wait for packets.

        Engine.IO's writer gives up after ping interval + timeout with an
        empty queue, taking the silence for a dead client (its pings went
        through the queue). Here pings and broadcasts go straight out, so
        an empty queue says nothing: keep waiting until the socket closes
        (close() and the end of the websocket handler both queue None).
        Dead clients are still found by their missing pongs: Engine.IO's
        service task checks every socket's ping timeout in turn.
        """
        while True:
            try:
                return super().poll()
            except exceptions.QueueEmpty:
                if self._direct_ws is None or self.closed:
                    raise

    def send(self, pkt):
        # Engine.IO's own send also checks the ping timeout on every packet;
        # the direct path leaves that to its service task, which checks every
        # socket in turn (tests/live/test_direct_send.py drops a silent one).
        ws = self._direct_ws
        if ws is None:
            return super().send(pkt)
        with self._order_lock:
            if self.upgraded and not self.upgrading and self.queue.idle() and self._write_lock.acquire(blocking=False):
                try:
                    if self._send_now(ws, pkt):
                        return None
                finally:
                    self._write_lock.release()
            return super().send(pkt)

    def _send_now(self, ws, pkt) -> bool:
        """Hand the frame to the kernel without blocking. False: send it the
        usual way (nothing was written). A partial write queues the rest."""
        inner = ws.ws
        if not inner.connected:
            return False
        encoded = pkt.encode()
        if not isinstance(encoded, str):
            return False  # binary packets: leave them to Engine.IO
        frame = inner.ws.send(TextMessage(data=encoded))
        try:
            sent = inner.sock.send(frame, socket.MSG_DONTWAIT)
        except BlockingIOError:
            sent = 0
        except OSError:
            return True  # the socket is gone; its reader thread closes it
        if sent < len(frame):
            # The frame is already framed: its tail must go next, as bytes.
            _EngineSocket.send(self, _Remainder(frame[sent:]))
        return True


def install() -> None:
    engineio.socket.Socket = DirectSocket
