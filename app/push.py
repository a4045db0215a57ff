"""Pushing to members' open pages and to events' live rooms: the small
interface the features use to reach the live sockets, without importing the socket package (app/live,
which sits above the features whose rules its handlers call).

Everything goes out on the Socket.IO namespace /live of `extensions.socketio`:
through Redis to every process when REDIS_URL is set, else to this one.
Safe to call from a request, a socket handler or a worker.
"""

from __future__ import annotations

import socketio

from app.extensions import socketio as server_socketio

NAMESPACE = "/live"
# An internal event name: never sent to a browser. With Redis it travels to
# every process like a broadcast, and each disconnects its own sockets of the
# room (app/live/queue.py); python-socketio can only disconnect one sid
# across processes, and room members are known only to their own process.
DISCONNECT_ROOM_EVENT = "staffroom:disconnect-room"


def user_room(user_id: int) -> str:
    """The room every socket of one member joins on connect."""
    return f"user:{user_id}"


def push_to_user(user_id: int, event: str, data: dict) -> None:
    """Send to every socket a member has open, in any process."""
    server_socketio.emit(event, data, to=user_room(user_id), namespace=NAMESPACE)


def event_room(event_id: int) -> str:
    """The room of an event's live room (app/live/rooms.py joins sockets to it)."""
    return f"event:{event_id}"


def push_to_event_room(event_id: int, event: str, data: dict) -> None:
    """Send to everyone in an event's live room, in any process. For changes
    made outside the room (a page, the API) that the room must see."""
    server_socketio.emit(event, data, to=event_room(event_id), namespace=NAMESPACE)


def forum_thread_room(thread_id: int) -> str:
    """The room of the sockets showing a forum thread (app/live/forum_rooms.py joins them)."""
    return f"forum-thread:{thread_id}"


def forum_category_room(category_id: int) -> str:
    """The room of the sockets showing a forum category's thread list."""
    return f"forum-category:{category_id}"


def push_to_room(room: str, event: str, data: dict) -> None:
    """Send to every socket in `room` (a forum thread or category room), in any process."""
    server_socketio.emit(event, data, to=room, namespace=NAMESPACE)


def disconnect_local_room(room: str) -> None:
    """Disconnect this process's sockets in `room` on /live."""
    server = server_socketio.server
    sids = [sid for sid, _eio_sid in server.manager.get_participants(NAMESPACE, room)]
    for sid in sids:
        server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)


def disconnect_user(user_id: int) -> None:
    """Close every socket the member has open, in every process."""
    server = server_socketio.server
    if server is None:  # the live rooms are not set up (a CLI command)
        return
    room = user_room(user_id)
    if isinstance(server.manager, socketio.PubSubManager):  # a message queue: every process, this one included
        server.manager.emit(DISCONNECT_ROOM_EVENT, None, namespace=NAMESPACE, room=room)
    else:
        disconnect_local_room(room)
