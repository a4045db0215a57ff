"""Event rooms on /live: thin handlers over app.events (chat, tweetmeet, qa).

Protocol (docs/ARCHITECTURE.md, 'Live rooms'): `join {event_id, since_id?}`
-> ack {ok, messages, participants, participant_count, room, questions,
deleted, me}; `send {event_id, body, client_id}` -> saved, then broadcast
as `message`, ack {ok, message, duplicate}; `presence {event_id,
participants, count}` on join and leave. Hosts: `delete` (authors too, for
their own), `mute`, `slow_mode`, `pin`, `open_room`, `answered`,
`post_question` (the next TweetMeet question, now); everyone:
`typing`, `ask`, `upvote`, `leave`. Errors come back in the ack as
{ok: false, error: {code, message}}; the socket stays up.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import wraps

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_socketio import join_room, leave_room

from app.events import chat, qa, services, tweetmeet
from app.events.presence import Presence
from app.exceptions import ServiceError, ValidationFailed
from app.extensions import db, socketio
from app.i18n import N_, translate
from app.live.support import error, in_member_language, live_user, ok
from app.notifications import services as notifications
from app.params import MAX_ID
from app.push import NAMESPACE, event_room
from app.rate_limits import allow

log = logging.getLogger(__name__)
DEFAULT_SEND_LIMIT = "8 per 10 seconds"
ACTION_LIMIT = "30 per 10 seconds"
TYPING_LIMIT = "6 per 10 seconds"
SEND_LIMIT = "send"  # stands for LIVE_SEND_LIMIT
# Presence in big rooms: every join would otherwise send the whole list to
# everyone (N joins x N members x N names). Rooms over BIG_ROOM people get at
# most one update a second, listing the first PRESENCE_NAMES plus a count.
BIG_ROOM = 50
PRESENCE_NAMES = 100
PRESENCE_EVERY = 1.0
_presence_lock = threading.Lock()
# Event name -> its handler, filled by @room_event below; app/live/__init__.py
# registers each on the Socket.IO server.
HANDLERS: dict = {}


def presence() -> Presence:
    """This app's presence tracker, made on first use. Under the lock: two
    sockets joining at once must not each make one (the first join's entry
    went to a tracker that was then replaced, and its sends got not_joined)."""
    extensions = current_app.extensions
    tracker = extensions.get("event_presence")
    if tracker is None:
        with _presence_lock:
            tracker = extensions.get("event_presence")
            if tracker is None:
                tracker = extensions["event_presence"] = Presence(
                    current_app.config.get("REDIS_URL"), namespace=current_app.config["SOCKETIO_CHANNEL"])
    return tracker


def broadcast(name: str, data: dict, event_id: int, skip_sid: str | None = None) -> None:
    """To every socket in the room, in every process (through Redis when set)."""
    socketio.emit(name, data, to=event_room(event_id), namespace=NAMESPACE, skip_sid=skip_sid)


def presence_payload(event_id: int, people: list[dict]) -> dict:
    return {"event_id": event_id, "participants": people[:PRESENCE_NAMES], "count": len(people)}


def announce_presence(event_id: int) -> None:
    """Tell the room who is here: at once in small rooms, throttled in big ones."""
    tracker = presence()
    people = tracker.participants(event_id)
    if len(people) <= BIG_ROOM:
        broadcast("presence", presence_payload(event_id, people), event_id)
        return
    with tracker.throttle_lock:
        if event_id in tracker.announce_due:
            return  # an update is already on its way and will read the list then
        wait = tracker.announced_at.get(event_id, 0.0) + PRESENCE_EVERY - time.monotonic()
        if wait <= 0:
            tracker.announced_at[event_id] = time.monotonic()
        else:
            tracker.announce_due.add(event_id)
    if wait <= 0:
        broadcast("presence", presence_payload(event_id, people), event_id)
    else:
        socketio.start_background_task(_announce_later, tracker, event_id, wait)


def _announce_later(tracker: Presence, event_id: int, wait: float) -> None:
    time.sleep(wait)
    with tracker.throttle_lock:
        tracker.announce_due.discard(event_id)
        tracker.announced_at[event_id] = time.monotonic()
    broadcast("presence", presence_payload(event_id, tracker.participants(event_id)), event_id)


def broadcast_messages(messages) -> None:
    for message in messages:
        broadcast("message", chat.message_dict(message), message.event_id)


def _service_error(exc: ServiceError) -> dict:
    fields = {name: translate(text) for name, text in exc.fields.items()}
    message = exc.message
    if isinstance(exc, ValidationFailed) and exc.summary_only and fields:
        message = " ".join(fields.values())
    ack = error(exc.code, message)
    if fields:
        ack["error"]["fields"] = fields
    return ack


def _run(handler, name: str, user, data, joined: bool, limit: str | None) -> dict:
    """The checks every room event shares, then the handler's ack (or its
    error as an ack)."""
    if not isinstance(data, dict):
        return error("bad_request", N_("Send an object with an event_id."))
    event_id = data.get("event_id")
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        return error("bad_request", N_("event_id must be a number."))
    if joined and not presence().has(request.sid, event_id):
        return error("not_joined", N_("Join the room first."))
    if limit and not allow(name, user.id, _limit(limit)):
        return error("rate_limited", N_("You are going too fast. Wait a few seconds and try again."))
    try:
        event = services.get_for_viewer(event_id, user)
        return handler(event, user, data)
    except ServiceError as exc:
        db.session.rollback()
        return _service_error(exc)
    except Exception:  # the socket must stay up whatever happens
        log.exception("live room handler %s failed", name)
        db.session.rollback()
        return error("internal_error", N_("Something went wrong on our side. It has been logged."))


def _limit(limit: str) -> str:
    # Sending has its own, configurable limit (bench/ raises it).
    return current_app.config.get("LIVE_SEND_LIMIT", DEFAULT_SEND_LIMIT) if limit == SEND_LIMIT else limit


def room_event(name: str, *, joined: bool = True, limit: str | None = ACTION_LIMIT):
    """The handler of client event `name` (listed in HANDLERS): checks the
    member, the event_id, that this socket joined the room, the rate limit;
    turns errors into acks."""

    def decorate(handler):
        @wraps(handler)
        def wrapper(data=None):
            user = live_user()
            if user is None:
                return error("unauthorized", N_("Sign in again."))
            with in_member_language(user):
                return _run(handler, name, user, data, joined, limit)

        HANDLERS[name] = wrapper
        return wrapper

    return decorate


def _optional_int(data: dict, key: str):
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ID:
        raise ServiceError(_l("%(name)s must be a whole number from 0 to %(max)s.", name=key, max=MAX_ID))
    return value


@room_event("join", joined=False, limit=ACTION_LIMIT)
def on_join(event, user, data):
    since_id = _optional_int(data, "since_id")
    broadcast_messages(tweetmeet.post_due(event))
    join_room(event_room(event.id), namespace=NAMESPACE)
    presence().add(event.id, request.sid, chat.user_dict(user))
    announce_presence(event.id)
    people = presence().participants(event.id)
    return ok(
        messages=[chat.message_dict(m) for m in chat.history(event, since_id)],
        participants=people[:PRESENCE_NAMES], participant_count=len(people),
        room=chat.room_info(event, user), questions=qa.panel(event, user),
        deleted=chat.deleted_ids(event) if since_id is not None else [], me=chat.user_dict(user),
    )


@room_event("leave", limit=None)
def on_leave(event, user, data):
    _leave(event.id, request.sid)
    return ok()


def _leave(event_id: int, sid: str) -> None:
    leave_room(event_room(event_id), sid=sid, namespace=NAMESPACE)
    if presence().remove(event_id, sid):
        announce_presence(event_id)


def on_disconnect(*_args) -> None:
    """Socket.IO leaves the rooms itself; presence is ours to update."""
    for event_id in presence().remove_sid(request.sid):
        announce_presence(event_id)


@room_event("send", limit=SEND_LIMIT)
def on_send(event, user, data):
    broadcast_messages(tweetmeet.post_due(event))
    message, created = chat.post_message(event, user, data.get("body"), data.get("client_id"))
    payload = chat.message_dict(message)
    if created:
        broadcast("message", payload, event.id)
        notifications.deliver_pending()
    return ok(message=payload, duplicate=not created)


@room_event("typing", limit=TYPING_LIMIT)
def on_typing(event, user, data):
    if chat.is_open(event) and not chat.is_muted(event, user):
        broadcast("typing", {"event_id": event.id, "user": chat.user_dict(user)}, event.id, skip_sid=request.sid)
    return ok()


# Hosts ------------------------------------------------------------------------------

@room_event("delete")
def on_delete(event, user, data):
    message = chat.delete_message(event, user, data.get("message_id"))
    broadcast("deleted", {"event_id": event.id, "id": message.id}, event.id)
    return ok(id=message.id)


@room_event("mute")
def on_mute(event, user, data):
    muted = data.get("muted", True) is not False
    target = chat.set_muted(event, user, data.get("user_id"), muted)
    broadcast("muted", {"event_id": event.id, "user": chat.user_dict(target), "muted": muted}, event.id)
    return ok(muted=muted)


@room_event("slow_mode")
def on_slow_mode(event, user, data):
    seconds = chat.set_slow_mode(event, user, data.get("seconds"))
    broadcast("slow_mode", {"event_id": event.id, "seconds": seconds}, event.id)
    return ok(seconds=seconds)


@room_event("pin")
def on_pin(event, user, data):
    message = chat.pin_message(event, user, data.get("message_id"))
    payload = chat.message_dict(message) if message else None
    broadcast("pinned", {"event_id": event.id, "message": payload}, event.id)
    return ok(message=payload)


@room_event("post_question")
def on_post_question(event, user, data):
    message = chat.post_next_question(event, user)  # the room hears of it from there
    return ok(message=chat.message_dict(message))


@room_event("open_room")
def on_open_room(event, user, data):
    chat.open_early(event, user)
    broadcast("room_open", {"event_id": event.id, "phase": chat.phase(event)}, event.id)
    return ok(phase=chat.phase(event))


# The Q&A panel ---------------------------------------------------------------------

@room_event("ask")
def on_ask(event, user, data):
    question = qa.ask(event, user, data.get("body"))
    payload = qa.question_dict(question)
    broadcast("qa", {"event_id": event.id, "question": payload}, event.id)
    return ok(question=payload)


@room_event("upvote")
def on_upvote(event, user, data):
    up = data.get("up", True) is not False
    question = qa.upvote(event, user, data.get("question_id"), up)
    payload = qa.question_dict(question)
    broadcast("qa", {"event_id": event.id, "question": payload}, event.id)
    return ok(question={**payload, "voted": up})


@room_event("answered")
def on_answered(event, user, data):
    question = qa.mark_answered(event, user, data.get("question_id"), data.get("answered", True) is not False)
    payload = qa.question_dict(question)
    broadcast("qa", {"event_id": event.id, "question": payload}, event.id)
    return ok(question=payload)
