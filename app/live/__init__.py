"""Socket.IO namespace /live: event rooms and per-member rooms.

Handlers are thin: they check who is asking and call services. `register`
puts them on the app's Socket.IO server and installs the direct websocket
write path (direct_send.py); importing this package changes nothing.
"""

from __future__ import annotations

from flask import Flask

from app.extensions import socketio
from app.live import connection, direct_send, forum_rooms, rooms
from app.push import NAMESPACE


def register(app: Flask) -> None:
    """The /live handlers: connecting, the event rooms' and forum pages' client events,
    leaving on disconnect; and broadcasts written straight to websockets."""
    socketio.on_event("connect", connection.on_connect, namespace=NAMESPACE)
    socketio.on_event("disconnect", rooms.on_disconnect, namespace=NAMESPACE)
    for name, handler in (rooms.HANDLERS | forum_rooms.HANDLERS).items():
        socketio.on_event(name, handler, namespace=NAMESPACE)
    direct_send.install()
