"""TweetMeet mode: hosts prepare questions Q1..Qn, each at a number of
minutes after the start; at its time the room posts it and shows it as the
current question. Members answer "A1 ...", and the archive groups answers
under their question.

Posting is computed, not timed: whoever looks first after a question's
time (a member joining, a message being sent, the scheduler thread, or
`flask events send-reminders`) posts it, and a conditional UPDATE makes sure
only one of them does, in any number of processes. Hosts may also post the
next question early (`post_next`, through chat.post_next_question, which
checks the room is open) and edit any question; an edit to a posted one
changes its message in the room too.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import escape

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.db_types import utcnow
from app.events import services
from app.events.models import Event, EventMessage, TweetMeetQuestion
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.params import is_id

MAX_QUESTIONS = 20
# "Q3 What ...", "q3: What ...": the number is the room's to give.
_LABEL = re.compile(r"^Q\d{1,2}\b[\s:.)-]*", re.IGNORECASE)


def scheduled_at(event: Event, question: TweetMeetQuestion) -> datetime:
    return event.starts_at + timedelta(minutes=question.offset_min)


def questions(event: Event) -> list[TweetMeetQuestion]:
    return list(db.session.scalars(select(TweetMeetQuestion).where(TweetMeetQuestion.event_id == event.id)
                                   .order_by(TweetMeetQuestion.number)))


def _require_host(event: Event, actor: User) -> None:
    if not services.is_host(event, actor):
        raise Forbidden(N_("Only the event's hosts and moderators can prepare questions."))


def _clean_body(body, errors: dict) -> str:
    body = _LABEL.sub("", " ".join(body.split())) if isinstance(body, str) else ""
    if not 3 <= len(body) <= 500:
        errors["body"] = N_("Write the question in 3 to 500 characters (the room puts Q1, Q2… before it).")
    return body


def _check_offset(event: Event, offset_min, errors: dict) -> None:
    if not isinstance(offset_min, int) or isinstance(offset_min, bool) or not 0 <= offset_min <= event.duration_min:
        errors["offset_min"] = _l("Give the minutes after the start, from 0 to %(max)s.", max=event.duration_min)


def add_question(event: Event, actor: User, body: str, offset_min) -> TweetMeetQuestion:
    """The next question, Q<n+1>, posted `offset_min` minutes after the start."""
    _require_host(event, actor)
    errors: dict[str, str] = {}
    body = _clean_body(body, errors)
    _check_offset(event, offset_min, errors)
    if event.kind != "tweetmeet":
        errors["body"] = N_("Only TweetMeets have prepared questions.")
    if errors:
        raise ValidationFailed(errors)
    count = db.session.scalar(select(func.count(TweetMeetQuestion.id)).where(TweetMeetQuestion.event_id == event.id))
    if count >= MAX_QUESTIONS:
        raise Conflict(_l("A TweetMeet has at most %(max)s questions.", max=MAX_QUESTIONS))
    number = (db.session.scalar(select(func.max(TweetMeetQuestion.number))
                                .where(TweetMeetQuestion.event_id == event.id)) or 0) + 1
    question = TweetMeetQuestion(event_id=event.id, author_id=actor.id, number=number, body=body, offset_min=offset_min)
    db.session.add(question)
    db.session.commit()
    return question


def get_question(event: Event, question_id) -> TweetMeetQuestion:
    question = db.session.get(TweetMeetQuestion, question_id) if is_id(question_id) else None
    if question is None or question.event_id != event.id:
        raise NotFound(N_("There is no such question."))
    return question


def edit_question(event: Event, actor: User, question_id, *, body=None, offset_min=None
                  ) -> tuple[TweetMeetQuestion, EventMessage | None]:
    """Change a question's text or time (hosts). A posted question keeps its
    time; its message in the room takes the new text and is returned, to be
    shown again (None when nothing in the room changed)."""
    _require_host(event, actor)
    question = get_question(event, question_id)
    errors: dict[str, str] = {}
    if body is not None:
        body = _clean_body(body, errors)
    if offset_min is not None and offset_min != question.offset_min:
        if question.posted_at is not None:
            errors["offset_min"] = _l("Q%(number)s is already posted: its time can no longer change.",
                                        number=question.number)
        else:
            _check_offset(event, offset_min, errors)
    if errors:
        raise ValidationFailed(errors)
    if offset_min is not None and question.posted_at is None:
        question.offset_min = offset_min
    message = None
    if body is not None and body != question.body:
        question.body = body
        message = db.session.get(EventMessage, question.message_id) if question.message_id else None
        if message is not None:
            message.body, message.body_html = _message_text(question)
            if event.transcript_indexed_at is not None:
                event.transcript_indexed_at = None  # the archive's search entry must change too
    db.session.commit()
    return question, message if message is not None and message.deleted_at is None else None


def delete_question(event: Event, actor: User, question_id: int) -> None:
    _require_host(event, actor)
    question = get_question(event, question_id)
    if question.posted_at is not None:
        raise Conflict(N_("That question was already posted in the room."))
    db.session.delete(question)
    db.session.commit()


def current_question(event: Event) -> TweetMeetQuestion | None:
    if event.kind != "tweetmeet":
        return None
    return db.session.scalar(select(TweetMeetQuestion).where(
        TweetMeetQuestion.event_id == event.id, TweetMeetQuestion.posted_at.is_not(None))
        .order_by(TweetMeetQuestion.number.desc()).limit(1))


def next_question_at(event: Event, now: datetime | None = None) -> datetime | None:
    """When the next unposted question is due (clients re-join then)."""
    if event.kind != "tweetmeet" or event.status != "published":
        return None
    offset = db.session.scalar(select(func.min(TweetMeetQuestion.offset_min)).where(
        TweetMeetQuestion.event_id == event.id, TweetMeetQuestion.posted_at.is_(None)))
    return None if offset is None else event.starts_at + timedelta(minutes=offset)


def _unposted(event: Event):
    return (select(TweetMeetQuestion).where(TweetMeetQuestion.event_id == event.id,
                                            TweetMeetQuestion.posted_at.is_(None))
            .order_by(TweetMeetQuestion.offset_min, TweetMeetQuestion.number))


def _message_text(question: TweetMeetQuestion) -> tuple[str, str]:
    return (f"Q{question.number} {question.body}",
            f"<strong>Q{question.number}</strong> {escape(question.body)}")


def _post(event: Event, question: TweetMeetQuestion, now: datetime, at: datetime) -> EventMessage | None:
    """Post one question as a message dated `at`, unless another process
    already did (then None). The caller commits."""
    claimed = db.session.execute(update(TweetMeetQuestion).where(
        TweetMeetQuestion.id == question.id, TweetMeetQuestion.posted_at.is_(None)).values(posted_at=now)).rowcount
    if claimed != 1:
        return None
    text, html = _message_text(question)
    message = EventMessage(event_id=event.id, user_id=question.author_id, kind="question", number=question.number,
                           body=text, body_html=html, created_at=at)
    db.session.add(message)
    db.session.flush()
    db.session.execute(update(TweetMeetQuestion).where(TweetMeetQuestion.id == question.id)
                       .values(message_id=message.id))
    return message


def post_due(event: Event, now: datetime | None = None) -> list[EventMessage]:
    """Post every question whose time has come; returns the new messages."""
    if event.kind != "tweetmeet" or event.status != "published":
        return []
    now = now or utcnow()
    due = [q for q in db.session.scalars(_unposted(event)) if scheduled_at(event, q) <= now]
    posted = [message for question in due if (message := _post(event, question, now, scheduled_at(event, question)))]
    db.session.commit()
    return posted


def next_question(event: Event) -> TweetMeetQuestion | None:
    """The question the room will see next (in time order)."""
    if event.kind != "tweetmeet":
        return None
    return db.session.scalars(_unposted(event).limit(1)).first()


def post_next(event: Event, now: datetime | None = None) -> EventMessage | None:
    """Post the next question now, ahead of its time; None when none is left.
    Who may, and when, is checked by chat.post_next_question."""
    now = now or utcnow()
    question = next_question(event)
    # Posted meanwhile by the scheduler or another host: that was the next one.
    message = _post(event, question, now, now) if question is not None else None
    db.session.commit()
    return message


def due_events(now: datetime | None = None) -> list[Event]:
    """TweetMeets with a question due and not yet posted (for the scheduler)."""
    now = now or utcnow()
    candidates = select(TweetMeetQuestion.event_id).where(TweetMeetQuestion.posted_at.is_(None))
    return list(db.session.scalars(select(Event).where(
        Event.kind == "tweetmeet", Event.status == "published", Event.starts_at <= now,
        Event.id.in_(candidates))))
