"""TweetMeet mode: hosts prepare questions Q1..Qn, each at a number of
minutes after the start; at its time the room posts it and shows it as the
current question. Members answer "A1 ...", and the archive groups answers
under their question.

Posting is computed, not timed: whoever looks first after a question's
time (a member joining, a message being sent, the scheduler thread, or
`flask events send-reminders`) posts it, and a conditional UPDATE makes sure
only one of them does, in any number of processes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from sqlalchemy import func, select, update

from app.accounts.models import User
from app.db_types import utcnow
from app.events import services
from app.events.models import Event, EventMessage, TweetMeetQuestion
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db

MAX_QUESTIONS = 20


def scheduled_at(event: Event, question: TweetMeetQuestion) -> datetime:
    return event.starts_at + timedelta(minutes=question.offset_min)


def questions(event: Event) -> list[TweetMeetQuestion]:
    return list(db.session.scalars(select(TweetMeetQuestion).where(TweetMeetQuestion.event_id == event.id)
                                   .order_by(TweetMeetQuestion.number)))


def _require_host(event: Event, actor: User) -> None:
    if not services.is_host(event, actor):
        raise Forbidden("Only the event's hosts and moderators can prepare questions.")


def add_question(event: Event, actor: User, body: str, offset_min) -> TweetMeetQuestion:
    """The next question, Q<n+1>, posted `offset_min` minutes after the start."""
    _require_host(event, actor)
    errors = {}
    body = " ".join((body or "").split())
    if not 3 <= len(body) <= 500:
        errors["body"] = "Write the question in 3 to 500 characters."
    if not isinstance(offset_min, int) or isinstance(offset_min, bool) or not 0 <= offset_min <= event.duration_min:
        errors["offset_min"] = f"Give the minutes after the start, from 0 to {event.duration_min}."
    if event.kind != "tweetmeet":
        errors["body"] = "Only TweetMeets have prepared questions."
    if errors:
        raise ValidationFailed(errors)
    count = db.session.scalar(select(func.count(TweetMeetQuestion.id)).where(TweetMeetQuestion.event_id == event.id))
    if count >= MAX_QUESTIONS:
        raise Conflict(f"A TweetMeet has at most {MAX_QUESTIONS} questions.")
    number = (db.session.scalar(select(func.max(TweetMeetQuestion.number))
                                .where(TweetMeetQuestion.event_id == event.id)) or 0) + 1
    question = TweetMeetQuestion(event_id=event.id, author_id=actor.id, number=number, body=body, offset_min=offset_min)
    db.session.add(question)
    db.session.commit()
    return question


def delete_question(event: Event, actor: User, question_id: int) -> None:
    _require_host(event, actor)
    question = db.session.get(TweetMeetQuestion, question_id)
    if question is None or question.event_id != event.id:
        raise NotFound("There is no such question.")
    if question.posted_at is not None:
        raise Conflict("That question was already posted in the room.")
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


def post_due(event: Event, now: datetime | None = None) -> list[EventMessage]:
    """Post every question whose time has come; returns the new messages."""
    if event.kind != "tweetmeet" or event.status != "published":
        return []
    now = now or utcnow()
    due = [q for q in db.session.scalars(select(TweetMeetQuestion).where(
        TweetMeetQuestion.event_id == event.id, TweetMeetQuestion.posted_at.is_(None))
        .order_by(TweetMeetQuestion.offset_min, TweetMeetQuestion.number)) if scheduled_at(event, q) <= now]
    posted = []
    for question in due:
        claimed = db.session.execute(update(TweetMeetQuestion).where(
            TweetMeetQuestion.id == question.id, TweetMeetQuestion.posted_at.is_(None)).values(posted_at=now)).rowcount
        if claimed != 1:
            continue  # another process posted it
        text = f"Q{question.number} {question.body}"
        message = EventMessage(event_id=event.id, user_id=question.author_id, kind="question", number=question.number,
                               body=text, created_at=scheduled_at(event, question),
                               body_html=f"<strong>Q{question.number}</strong> {escape(question.body)}")
        db.session.add(message)
        db.session.flush()
        db.session.execute(update(TweetMeetQuestion).where(TweetMeetQuestion.id == question.id)
                           .values(message_id=message.id))
        posted.append(message)
    db.session.commit()
    return posted


def due_events(now: datetime | None = None) -> list[Event]:
    """TweetMeets with a question due and not yet posted (for the scheduler)."""
    now = now or utcnow()
    candidates = select(TweetMeetQuestion.event_id).where(TweetMeetQuestion.posted_at.is_(None))
    return list(db.session.scalars(select(Event).where(
        Event.kind == "tweetmeet", Event.status == "published", Event.starts_at <= now,
        Event.id.in_(candidates))))
