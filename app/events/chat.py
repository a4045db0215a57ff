"""The rules of an event's live room: when it is open, who may say what,
history and backfill, and the hosts' moderation (delete, mute, slow mode,
pin, open early). Socket handlers (app/live/rooms.py) and pages call these.

Sending costs one INSERT: the text is escaped and linked here, once, and
the stored HTML goes out to every client as it is.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.gate import require_verified
from app.accounts.models import User
from app.db_types import utcnow
from app.events import services, tweetmeet
from app.events.chat_text import mentioned_usernames, render_chat
from app.events.models import Event, EventMessage, RoomMute, TweetMeetQuestion
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.notifications import services as notifications
from app.params import is_id
from app.push import push_to_event_room

MAX_BODY = 1000
HISTORY = 50
BACKFILL_MAX = 1000
SLOW_MODE_CHOICES = (0, 5, 10, 30, 60, 120)
_ANSWER = re.compile(r"^\s*A(\d{1,2})\b[\s:.)-]*", re.IGNORECASE)


class RoomClosed(Conflict):
    code = "room_closed"


class Muted(Forbidden):
    code = "muted"


class SlowMode(Conflict):
    status = 429
    code = "slow_mode"


# The room's state -----------------------------------------------------------------------

def phase(event: Event, now: datetime | None = None) -> str:
    """draft, cancelled, scheduled (not open yet), open, or closed (archive)."""
    now = now or utcnow()
    if event.status != "published":
        return event.status
    if event.always_open:
        return "open"
    if now >= event.room_closes_at:
        return "closed"
    if now >= event.room_opens_at:
        return "open"
    return "scheduled"


def is_open(event: Event, now: datetime | None = None) -> bool:
    return phase(event, now) == "open"


def user_dict(user: User) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "country": user.country}


def message_dict(message: EventMessage) -> dict:
    return {
        "id": message.id, "event_id": message.event_id, "user": user_dict(message.user),
        "body": message.body_html, "text": message.body, "created_at": message.created_at.isoformat(),
        "client_id": message.client_id, "kind": message.kind, "number": message.number,
    }


def history(event: Event, since_id: int | None = None) -> list[EventMessage]:
    """The last HISTORY messages, or every message after `since_id` (up to
    BACKFILL_MAX), oldest first; deleted ones left out."""
    statement = select(EventMessage).where(EventMessage.event_id == event.id, EventMessage.deleted_at.is_(None))
    if since_id is not None:
        return list(db.session.scalars(statement.where(EventMessage.id > since_id)
                                       .order_by(EventMessage.id).limit(BACKFILL_MAX)))
    rows = list(db.session.scalars(statement.order_by(EventMessage.id.desc()).limit(HISTORY)))
    return rows[::-1]


def deleted_ids(event: Event) -> list[int]:
    """Ids of deleted messages: a reconnecting client removes them too."""
    return list(db.session.scalars(select(EventMessage.id).where(
        EventMessage.event_id == event.id, EventMessage.deleted_at.is_not(None)).order_by(EventMessage.id)))


def is_muted(event: Event, user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(RoomMute, (event.id, user.id)) is not None


def pinned(event: Event) -> EventMessage | None:
    if event.pinned_message_id is None:
        return None
    message = db.session.get(EventMessage, event.pinned_message_id)
    return message if message is not None and message.deleted_at is None else None


def room_info(event: Event, user, now: datetime | None = None) -> dict:
    """What a client needs besides the messages: phase, times, moderation state."""
    now = now or utcnow()
    current = tweetmeet.current_question(event)
    next_at = tweetmeet.next_question_at(event, now)
    pin = pinned(event)
    host = services.is_host(event, user)
    upcoming = tweetmeet.next_question(event) if host else None  # members never see questions early
    return {
        "event_id": event.id, "kind": event.kind, "phase": phase(event, now),
        "opens_at": None if event.always_open else event.room_opens_at.isoformat(),
        "closes_at": None if event.always_open else event.room_closes_at.isoformat(),
        "slow_mode_seconds": event.slow_mode_seconds,
        "pinned": message_dict(pin) if pin else None,
        "current_question": {"number": current.number, "body": current.body} if current else None,
        "next_question_at": next_at.isoformat() if next_at else None,
        "next_question": {"number": upcoming.number, "body": upcoming.body} if upcoming else None,
        "is_host": host, "muted": is_muted(event, user),
    }


# Sending ---------------------------------------------------------------------------------------

def _clean_body(body) -> str:
    if not isinstance(body, str):
        raise ValidationFailed({"body": N_("Write a message.")})
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValidationFailed({"body": N_("Write a message.")}, N_("The message is empty."))
    if len(body) > MAX_BODY:
        raise ValidationFailed({"body": _l("Messages can be up to %(max)s characters.", max=MAX_BODY)},
                               _l("That message is too long (at most %(max)s characters).", max=MAX_BODY))
    return body


def check_can_send(event: Event, user: User, now: datetime) -> None:
    if not services.can_view(event, user):
        raise NotFound(N_("There is no such event, or you cannot see it."))
    room = phase(event, now)
    if room != "open":
        raise RoomClosed(
            {
                "scheduled": N_("The room is not open yet."),
                "closed": N_("The room has closed; it is an archive now."),
                "cancelled": N_("This event is cancelled."),
            }.get(room, N_("The room is not open."))
        )
    if is_muted(event, user):
        raise Muted(N_("A host has muted you in this room."))


def _slow_mode(event: Event, user: User, now: datetime) -> None:
    if not event.slow_mode_seconds or services.is_host(event, user):
        return
    last = db.session.scalar(select(func.max(EventMessage.created_at)).where(
        EventMessage.event_id == event.id, EventMessage.user_id == user.id))
    if last is not None and now - last < timedelta(seconds=event.slow_mode_seconds):
        wait = event.slow_mode_seconds - int((now - last).total_seconds())
        raise SlowMode(_l("Slow mode is on: you can send again in %(seconds)s s.", seconds=max(wait, 1)))


def _answer_to(event: Event, body: str) -> int | None:
    """TweetMeet answers start "A2 ..." and belong to question 2 once it is posted."""
    if event.kind != "tweetmeet":
        return None
    match = _ANSWER.match(body)
    if match is None:
        return None
    number = int(match.group(1))
    posted = db.session.scalar(select(TweetMeetQuestion.id).where(
        TweetMeetQuestion.event_id == event.id, TweetMeetQuestion.number == number,
        TweetMeetQuestion.posted_at.is_not(None)))
    return number if posted else None


def _clean_client_id(client_id) -> str | None:
    if client_id is None or client_id == "":
        return None
    if not isinstance(client_id, str) or len(client_id) > 64:
        raise ValidationFailed({"client_id": N_("client_id is a string of up to 64 characters.")})
    return client_id


def post_message(event: Event, user: User, body, client_id=None, now: datetime | None = None
                 ) -> tuple[EventMessage, bool]:
    """Save a message; returns it and whether it is new. A client_id this
    member already used returns the message saved then, unchanged."""
    require_verified(user)
    now = now or utcnow()
    body = _clean_body(body)
    client_id = _clean_client_id(client_id)
    check_can_send(event, user, now)
    _slow_mode(event, user, now)
    names = mentioned_usernames(body)
    known = {}
    if names:
        known = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}
    number = _answer_to(event, body)
    message = EventMessage(event_id=event.id, user_id=user.id, user=user, body=body, client_id=client_id,
                           body_html=render_chat(body, set(known)), kind="answer" if number else "chat",
                           number=number, created_at=now)
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(select(EventMessage).where(
            EventMessage.user_id == user.id, EventMessage.client_id == client_id))
        if existing is None or existing.event_id != event.id:
            raise Conflict(N_("That client_id was already used for another room.")) from None
        return existing, False
    for member in known.values():
        if member.id != user.id and member.is_active and services.can_view(event, member):
            notifications.notify(member, "event_mention", notifications.Message(
                N_("%(name)s mentioned you in “%(title)s”."), {"name": user.display_name, "title": event.title}),
                   f"/events/{event.id}/room", actor=user, dedupe_key=f"event-mention:{message.id}")
    db.session.commit()
    return message, True


# Moderation -------------------------------------------------------------------------------------

def _require_host(event: Event, actor: User) -> None:
    if not services.is_host(event, actor):
        raise Forbidden(N_("Only the event's hosts and moderators can do that."))


def _message_in(event: Event, message_id) -> EventMessage:
    message = db.session.get(EventMessage, message_id) if is_id(message_id) else None
    if message is None or message.event_id != event.id:
        raise NotFound(N_("There is no such message in this room."))
    return message


def delete_message(event: Event, actor: User, message_id) -> EventMessage:
    """Hosts delete any message, members their own."""
    message = _message_in(event, message_id)
    if message.user_id != actor.id:
        _require_host(event, actor)
    if message.deleted_at is None:
        message.deleted_at = utcnow()
        message.deleted_by_id = actor.id
        if event.pinned_message_id == message.id:
            event.pinned_message_id = None
        if event.transcript_indexed_at is not None:
            event.transcript_indexed_at = None  # the archive's search entry must drop it
        db.session.commit()
    return message


def set_muted(event: Event, actor: User, user_id, muted: bool = True) -> User:
    _require_host(event, actor)
    target = db.session.get(User, user_id) if is_id(user_id) else None
    if target is None:
        raise NotFound(N_("There is no such member."))
    if muted and services.is_host(event, target):
        raise Conflict(N_("Hosts and moderators cannot be muted."))
    row = db.session.get(RoomMute, (event.id, target.id))
    if muted and row is None:
        db.session.add(RoomMute(event_id=event.id, user_id=target.id, muted_by_id=actor.id))
    elif not muted and row is not None:
        db.session.delete(row)
    db.session.commit()
    return target


def set_slow_mode(event: Event, actor: User, seconds) -> int:
    _require_host(event, actor)
    if seconds not in SLOW_MODE_CHOICES:
        choices = ", ".join(map(str, SLOW_MODE_CHOICES))
        raise ValidationFailed({"seconds": _l("Slow mode is one of %(choices)s seconds.", choices=choices)})
    event.slow_mode_seconds = seconds
    db.session.commit()
    return seconds


def pin_message(event: Event, actor: User, message_id) -> EventMessage | None:
    """Pin a message to the top of the room (None unpins)."""
    _require_host(event, actor)
    message = None
    if message_id is not None:
        message = _message_in(event, message_id)
        if message.deleted_at is not None:
            raise Conflict(N_("That message was deleted."))
    event.pinned_message_id = message.id if message else None
    db.session.commit()
    return message


def open_early(event: Event, actor: User) -> Event:
    """Hosts open the room before its usual time (15 minutes before the start)."""
    _require_host(event, actor)
    now = utcnow()
    if phase(event, now) not in ("scheduled", "open"):
        raise RoomClosed(N_("This room can no longer be opened."))
    if phase(event, now) == "scheduled":
        event.room_opened_at = now
        db.session.commit()
    return event


def post_next_question(event: Event, actor: User, now: datetime | None = None) -> EventMessage:
    """A host posts the TweetMeet's next question now, ahead of its time;
    everyone in the room sees it at once."""
    _require_host(event, actor)
    now = now or utcnow()
    if event.kind != "tweetmeet":
        raise Conflict(N_("Only TweetMeets have prepared questions."))
    if phase(event, now) != "open":
        raise RoomClosed(N_("Questions can be posted while the room is open."))
    message = tweetmeet.post_next(event, now)
    if message is None:
        raise Conflict(N_("Every question is posted already: add another on the questions page."))
    push_to_event_room(event.id, "message", message_dict(message))
    return message


def edit_question(event: Event, actor: User, question_id, *, body=None, offset_min=None) -> TweetMeetQuestion:
    """tweetmeet.edit_question, and a posted question changes in the room at once."""
    question, message = tweetmeet.edit_question(event, actor, question_id, body=body, offset_min=offset_min)
    if message is not None:
        push_to_event_room(event.id, "edited", message_dict(message))
    return question


# The archive ---------------------------------------------------------------------------------------

def transcript(event: Event) -> dict:
    """Every message, for the archive: TweetMeets as questions with their
    answers (then the rest of the chat), other rooms in order."""
    messages = list(db.session.scalars(select(EventMessage).where(
        EventMessage.event_id == event.id, EventMessage.deleted_at.is_(None)).order_by(EventMessage.id)))
    questions = [m for m in messages if m.kind == "question"]
    if not questions:
        return {"questions": [], "chat": messages, "count": len(messages)}
    answers: dict[int, list[EventMessage]] = {q.number: [] for q in questions}
    chat = []
    for message in messages:
        if message.kind == "answer" and message.number in answers:
            answers[message.number].append(message)
        elif message.kind != "question":
            chat.append(message)
    return {"questions": [(q, answers[q.number]) for q in questions], "chat": chat, "count": len(messages)}


def transcript_text(event: Event, limit: int = 100_000) -> str:
    parts, size = [], 0
    for body in db.session.scalars(select(EventMessage.body).where(
            EventMessage.event_id == event.id, EventMessage.deleted_at.is_(None)).order_by(EventMessage.id)):
        parts.append(body)
        size += len(body) + 1
        if size > limit:
            break
    return "\n".join(parts)[:limit]


def message_counts(event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    rows = db.session.execute(select(EventMessage.event_id, func.count(EventMessage.id)).where(
        EventMessage.event_id.in_(event_ids), EventMessage.deleted_at.is_(None)).group_by(EventMessage.event_id))
    return dict(rows.all())
