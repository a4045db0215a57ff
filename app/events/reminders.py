"""The events scheduler: the next dates of repeating events, reminders 24 hours and 1 hour before the start to
everyone going, TweetMeet questions that came due, and archived rooms'
transcripts into search.

Each run ("tick") works from the database alone, so it survives restarts
and can run anywhere: `flask events send-reminders` from cron (or with
--every N as a long-running process), or a thread in the web process
(EVENT_SCHEDULER=thread, the default outside tests). A reminder is sent
once: it is a notification with a dedupe key (unique per member), so two
schedulers racing each other still send it once.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask_socketio import SocketIO
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.db_types import utcnow
from app.events import chat, meeting, series, tweetmeet
from app.events.models import ROOM_GRACE, Event, EventMessage, Rsvp
from app.extensions import db, socketio
from app.i18n import N_
from app.notifications import services as notifications
from app.notifications.models import Message, Notification
from app.push import NAMESPACE
from app.vocabulary import is_timezone

log = logging.getLogger(__name__)
EXTENSION = "events_scheduler"
WINDOWS = (("1h", timedelta(hours=1)), ("24h", timedelta(hours=24)))
# Whole sentences per phrase, with a meeting link or without; the times are written for each reader.
# The last hour's reminder says "soon", not "in an hour": the scheduler may send it at any point of that hour.
# The 24-hour reminder says "today" or "tomorrow" by the reader's calendar (`day_phrase`).
TEXTS = {
    ("1h", False): N_("“%(title)s” starts soon: %(start)s."),
    ("1h", True): N_("“%(title)s” starts soon: %(start)s. Join the call from %(opens)s with this link."),
    ("today", False): N_("“%(title)s” starts today: %(start)s."),
    ("today", True): N_("“%(title)s” starts today: %(start)s. Join the call from %(opens)s with this link."),
    ("tomorrow", False): N_("“%(title)s” starts tomorrow: %(start)s."),
    ("tomorrow", True): N_("“%(title)s” starts tomorrow: %(start)s. Join the call from %(opens)s with this link."),
}


def _window(left: timedelta) -> str | None:
    for name, size in WINDOWS:
        if left <= size:
            return name
    return None


def day_phrase(window: str, starts_at: datetime, now: datetime, zone: str) -> str:
    """The 24-hour window's "today" or "tomorrow" as the reader's calendar
    has it when the reminder goes: an evening start 20 hours ahead is later
    today for a reader whose morning it is."""
    if window != "24h":
        return window
    here = ZoneInfo(zone if is_timezone(zone) else "UTC")
    return "today" if starts_at.astimezone(here).date() == now.astimezone(here).date() else "tomorrow"


def _reminder(event: Event, phrase: str) -> tuple[Message, str]:
    """The reminder's text and link. With a meeting link it leads to the
    join address, which shows the link as it is at the click, from 15
    minutes before; never the link itself, which may still change."""
    values = {"title": event.title, "start": Message.at(event.starts_at)}
    if not meeting.has_link(event):
        return Message(TEXTS[phrase, False], values), f"/events/{event.id}"
    values["opens"] = Message.at(meeting.shown_from(event), "%H:%M")
    return Message(TEXTS[phrase, True], values), f"/events/{event.id}/join"


def send_reminders(now: datetime | None = None) -> int:
    """Remind those going to events that start within 24 hours (or 1 hour)."""
    now = now or utcnow()
    events = list(db.session.scalars(select(Event).where(
        Event.status == "published", Event.always_open.is_(False),
        Event.starts_at > now, Event.starts_at <= now + timedelta(hours=24)).order_by(Event.starts_at)))
    sent = 0
    for event in events:
        name = _window(event.starts_at - now)
        # The start is part of the key: a rescheduled event reminds again.
        key = f"event-reminder:{event.id}:{name}:{int(event.starts_at.timestamp())}"
        told = select(Notification.user_id).where(Notification.dedupe_key == key)
        going = list(db.session.scalars(select(User).join(Rsvp, Rsvp.user_id == User.id).where(
            Rsvp.event_id == event.id, Rsvp.status == "going", User.id.not_in(told))))
        count = 0
        for user in going:
            text, url = _reminder(event, day_phrase(name, event.starts_at, now, user.timezone))
            if notifications.notify(user, "event_reminder", text, url, dedupe_key=key):
                count += 1
        try:
            db.session.commit()
        except IntegrityError:  # another scheduler sent the same reminders first
            db.session.rollback()
            continue
        sent += count
    notifications.deliver_pending()
    return sent


def post_due_questions(now: datetime | None = None, emit=None) -> int:
    """Post TweetMeet questions whose time has come, and push them to the rooms."""
    posted = 0
    for event in tweetmeet.due_events(now):
        for message in tweetmeet.post_due(event, now):
            posted += 1
            if emit is not None:
                emit("message", chat.message_dict(message), to=f"event:{event.id}", namespace=NAMESPACE)
    return posted


def index_transcripts(now: datetime | None = None, batch: int = 100) -> int:
    """Rooms that closed get their transcript into search (once, by marking the event)."""
    now = now or utcnow()
    has_messages = exists().where(EventMessage.event_id == Event.id, EventMessage.deleted_at.is_(None))
    events = list(db.session.scalars(select(Event).where(
        Event.status == "published", Event.always_open.is_(False), Event.transcript_indexed_at.is_(None),
        Event.ends_at <= now - ROOM_GRACE, has_messages).limit(batch)))
    for event in events:
        event.transcript_indexed_at = now  # a change to the event: the search outbox re-indexes it
    db.session.commit()
    return len(events)


def tick(now: datetime | None = None, emit=None) -> dict:
    return {
        "series_dates": series.extend_all(now),
        "reminders": send_reminders(now),
        "questions": post_due_questions(now, emit),
        "transcripts": index_transcripts(now),
    }


def cli_emitter(app: Flask):
    """Emitting from a process that is not the server: through the Redis
    message queue when REDIS_URL is set (the servers pass it on), else none
    (clients then see due questions when they next join or send)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    return SocketIO(message_queue=url, channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio")).emit


class Scheduler:
    def __init__(self, app: Flask, every: float):
        self.app = app
        self.every = every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, name="events-scheduler", daemon=True)

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            with self.app.app_context():
                try:
                    tick(emit=socketio.emit)
                except Exception:  # keep going; the next tick retries
                    log.exception("events scheduler tick failed")
                    db.session.rollback()
                finally:
                    db.session.remove()

    def stop(self) -> None:
        self.stopped.set()


def register(app: Flask) -> None:
    """Start the scheduler thread with the first request (never in tests
    unless asked, never for CLI commands)."""
    if app.config["EVENT_SCHEDULER"] != "thread" or (app.testing and not app.config.get("EVENT_SCHEDULER_IN_TESTS")):
        return
    lock = threading.Lock()

    def ensure_scheduler():
        if EXTENSION not in app.extensions:
            with lock:
                if EXTENSION not in app.extensions:
                    scheduler = Scheduler(app, app.config["EVENT_SCHEDULER_SECONDS"])
                    app.extensions[EXTENSION] = scheduler
                    scheduler.thread.start()

    app.before_request(ensure_scheduler)
