"""How events appear in search: title, description, hosts, hashtag, and,
once the room has closed, its transcript (the archive page is the hit)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.db_types import utcnow
from app.events import chat
from app.events.models import Event
from app.extensions import db
from app.i18n import N_
from app.search.models import Document
from app.search.registry import SearchableType, register

LISTED = ("published", "cancelled")


def _document(event: Event, now) -> Document:
    archived = chat.phase(event, now) == "closed"
    transcript = chat.transcript_text(event) if archived else ""
    hosts = event.hosts
    return Document(
        key=f"event:{event.id}",
        type="event",
        id=event.id,
        title=event.title,
        body=f"{event.description_md}\n{transcript}".strip(),
        tags=[event.hashtag.lower()] if event.hashtag else [],
        subject=None,
        country=event.country or event.organiser.country,
        url=f"/events/{event.id}/room" if transcript else f"/events/{event.id}",
        # Drafts are never indexed; members-only events only for members.
        access=["public"] if event.visibility == "public" else ["members"],
        created_at=event.starts_at,
        extra=" ".join(filter(None, [event.kind_label, event.city, event.location,
                                     *(f"{u.display_name} {u.username}" for u in hosts)])),
    )


def load(ids: list[int]) -> dict[int, Document]:
    now = utcnow()
    events = db.session.scalars(select(Event).where(Event.id.in_(ids), Event.status.in_(LISTED)))
    return {event.id: _document(event, now) for event in events}


def all_ids():
    return db.session.scalars(select(Event.id).where(Event.status.in_(LISTED)).order_by(Event.id)).all()


def count() -> int:
    return db.session.scalar(select(func.count(Event.id)).where(Event.status.in_(LISTED))) or 0


def register_searchable() -> None:
    register(SearchableType(name="event", label=N_("Events"), load=load, all_ids=all_ids, count=count))
