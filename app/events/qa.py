"""The Q&A panel of connection calls (and webinars): members submit
questions and upvote others'; hosts mark them answered. Open questions come
first, most votes first."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.gate import require_verified
from app.accounts.models import User
from app.db_types import utcnow
from app.events import chat, services
from app.events.chat_text import render_chat
from app.events.models import Event, QaQuestion, QaVote
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.params import is_id

KINDS_WITH_QA = ("connection_call", "webinar")
MAX_QUESTION = 500


def has_panel(event: Event) -> bool:
    return event.kind in KINDS_WITH_QA


def question_dict(question: QaQuestion, voted: bool = False) -> dict:
    return {
        "id": question.id, "event_id": question.event_id, "user": chat.user_dict(question.user),
        "body": question.body_html, "votes": question.vote_count, "voted": voted,
        "answered": question.answered_at is not None, "created_at": question.created_at.isoformat(),
    }


def panel(event: Event, viewer=None) -> list[dict]:
    if not has_panel(event):
        return []
    rows = list(db.session.scalars(select(QaQuestion).where(QaQuestion.event_id == event.id).order_by(
        case((QaQuestion.answered_at.is_(None), 0), else_=1), QaQuestion.vote_count.desc(), QaQuestion.id)))
    voted: set[int] = set()
    if rows and viewer is not None and getattr(viewer, "is_authenticated", False):
        voted = set(db.session.scalars(select(QaVote.question_id).where(
            QaVote.user_id == viewer.id, QaVote.question_id.in_([q.id for q in rows]))))
    return [question_dict(q, q.id in voted) for q in rows]


def _check(event: Event, user: User) -> None:
    if not has_panel(event):
        raise Conflict(N_("This event has no Q&A panel."))
    chat.check_can_send(event, user, utcnow())


def ask(event: Event, user: User, body) -> QaQuestion:
    _check(event, user)
    require_verified(user)
    body = " ".join(body.split()) if isinstance(body, str) else ""
    if not 3 <= len(body) <= MAX_QUESTION:
        raise ValidationFailed({"body": _l("Ask in 3 to %(max)s characters.", max=MAX_QUESTION)})
    question = QaQuestion(event_id=event.id, user_id=user.id, user=user, body=body, body_html=render_chat(body),
                          vote_count=0)
    db.session.add(question)
    db.session.commit()
    return question


def _question_in(event: Event, question_id) -> QaQuestion:
    question = db.session.get(QaQuestion, question_id) if is_id(question_id) else None
    if question is None or question.event_id != event.id:
        raise NotFound(N_("There is no such question."))
    return question


def upvote(event: Event, user: User, question_id, up: bool = True) -> QaQuestion:
    """Add (or take back) a member's vote; counted atomically in the row."""
    _check(event, user)
    question = _question_in(event, question_id)
    if up:
        db.session.add(QaVote(question_id=question.id, user_id=user.id))
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            return _question_in(event, question_id)
        change = 1
    else:
        removed = db.session.execute(delete(QaVote).where(QaVote.question_id == question.id,
                                                          QaVote.user_id == user.id)).rowcount
        if not removed:
            db.session.rollback()
            return question
        change = -1
    db.session.execute(update(QaQuestion).where(QaQuestion.id == question.id)
                       .values(vote_count=QaQuestion.vote_count + change))
    db.session.commit()
    db.session.refresh(question)
    return question


def mark_answered(event: Event, actor: User, question_id, answered: bool = True) -> QaQuestion:
    if not services.is_host(event, actor):
        raise Forbidden(N_("Only the event's hosts and moderators can mark questions answered."))
    question = _question_in(event, question_id)
    question.answered_at = utcnow() if answered else None
    db.session.commit()
    return question
