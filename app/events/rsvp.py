"""RSVPs: going or waitlisted, a waitlist promoted in order as places free
up, and never an overbooked event, even under concurrent RSVPs (the event
row is locked while its places are counted). Hosts are going from the moment
they are named, each in a place of the capacity.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update

from app import member_cache
from app.accounts.models import User
from app.db_types import utcnow
from app.events import services
from app.events.models import Event, EventHost, Rsvp
from app.exceptions import Conflict, NotFound
from app.extensions import db
from app.i18n import N_
from app.notifications import services as notifications


def rsvp_counts(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """{event_id: {"going": n, "waitlisted": n}} in one query."""
    counts = {event_id: {"going": 0, "waitlisted": 0} for event_id in event_ids}
    if event_ids:
        rows = db.session.execute(select(Rsvp.event_id, Rsvp.status, func.count(Rsvp.id))
                                  .where(Rsvp.event_id.in_(event_ids)).group_by(Rsvp.event_id, Rsvp.status))
        for event_id, status, count in rows:
            counts[event_id][status] = count
    return counts


def statuses_for(user, event_ids: list[int]) -> dict[int, str]:
    if not services.signed_in(user) or not event_ids:
        return {}
    rows = db.session.execute(select(Rsvp.event_id, Rsvp.status)
                              .where(Rsvp.user_id == user.id, Rsvp.event_id.in_(event_ids)))
    return dict(rows.all())


def _lock(event_id: int) -> Event:
    """The event row, locked for this transaction, so that RSVPs to one event
    happen one at a time.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks but a single
    writer: a write as the transaction's first statement takes the database
    write lock at once (pysqlite begins the transaction there), so the counts
    read after it cannot change under us.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Event.__table__).where(Event.__table__.c.id == event_id)
                           .values(sequence=Event.__table__.c.sequence, updated_at=Event.__table__.c.updated_at))
    event = db.session.scalar(select(Event).where(Event.id == event_id).with_for_update()
                              .execution_options(populate_existing=True))
    if event is None:
        raise NotFound(N_("There is no such event."))
    return event


def _going_count(event_id: int) -> int:
    return db.session.scalar(select(func.count(Rsvp.id)).where(Rsvp.event_id == event_id, Rsvp.status == "going")) or 0


def _promote(event: Event) -> list[Rsvp]:
    """Fill free places from the waitlist, first come first served (the caller holds the lock)."""
    if event.status != "published":
        return []
    free = None if event.capacity is None else event.capacity - _going_count(event.id)
    waiting = select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.status == "waitlisted").order_by(Rsvp.id)
    if free is not None:
        if free <= 0:
            return []
        waiting = waiting.limit(free)
    promoted = list(db.session.scalars(waiting))
    member_cache.forget([row.user_id for row in promoted], member_cache.HOME)
    for row in promoted:
        row.status = "going"
        notifications.notify(
            row.user,
            "event_waitlist_promoted",
            notifications.Message(N_("A place opened up: you are going to “%(title)s”."), {"title": event.title}),
            services.event_url(event),
            dedupe_key=f"event:{event.id}:promoted:{row.id}",
        )
    return promoted


def hosts_going(event: Event, users: list[User]) -> None:
    """Hosts are going: each has a place, never the waitlist (one waiting is
    moved up). Called as hosts are named; the caller commits."""
    rows = {row.user_id: row for row in db.session.scalars(select(Rsvp).where(
        Rsvp.event_id == event.id, Rsvp.user_id.in_([user.id for user in users])))}
    member_cache.forget([user.id for user in users], member_cache.HOME)
    for user in users:
        row = rows.get(user.id)
        if row is None:
            db.session.add(Rsvp(event_id=event.id, user_id=user.id, status="going"))
        elif row.status != "going":
            row.status = "going"


def seat_new_date(event: Event, user_ids: list[int], taken: int) -> None:
    """Members going to every date of a series, on a date just made (not yet
    committed, so no one else counts its places): going while there are
    places, then waitlisted, in the order they joined. Hosts are seated
    already (`taken` places); the caller commits."""
    hosts = {row.user_id for row in event.host_rows}
    member_cache.forget(user_ids, member_cache.HOME)
    for user_id in user_ids:
        if user_id in hosts:
            continue
        full = event.capacity is not None and taken >= event.capacity
        db.session.add(Rsvp(event_id=event.id, user_id=user_id, status="waitlisted" if full else "going"))
        taken += 0 if full else 1


def promote_waitlist(event_id: int) -> None:
    """Fill places that opened up (the capacity grew): lock, promote, commit."""
    event = _lock(event_id)
    _promote(event)
    db.session.commit()


def _is_over(event: Event) -> bool:
    return event.ends_at <= utcnow() and not event.always_open


def rsvp(event: Event, user: User) -> str:
    """Say you are going: "going", or "waitlisted" when the event is full."""
    if not services.can_view(event, user):
        raise NotFound(N_("There is no such event, or you cannot see it."))
    event_id = event.id
    db.session.commit()  # start a fresh transaction: the lock must come first
    event = _lock(event_id)
    if event.status != "published":
        db.session.rollback()
        raise Conflict(N_("This event is cancelled.") if event.is_cancelled else N_("This event is not published yet."))
    if _is_over(event):
        db.session.rollback()
        raise Conflict(N_("This event is over."))
    existing = db.session.scalar(select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == user.id))
    if existing is not None:
        db.session.rollback()
        return existing.status
    full = event.capacity is not None and _going_count(event_id) >= event.capacity
    status = "waitlisted" if full else "going"
    db.session.add(Rsvp(event_id=event_id, user_id=user.id, status=status))
    member_cache.forget(user.id, member_cache.HOME)
    db.session.commit()
    return status


def cancel_rsvp(event: Event, user: User) -> str:
    """Not going any more; frees a place for the first on the waitlist."""
    event_id = event.id
    db.session.commit()
    event = _lock(event_id)
    if _is_over(event):
        # Who went is history by then, and a freed place would tell the
        # waitlist "you are going" to something that has happened.
        db.session.rollback()
        raise Conflict(N_("This event is over: the list of who went stays as it is."))
    removed = db.session.execute(delete(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == user.id)
                                 .returning(Rsvp.status)).scalar()
    if removed == "going":
        _promote(event)
    member_cache.forget(user.id, member_cache.HOME)
    db.session.commit()
    return "not_going"


def rsvp_status(event: Event, user) -> str | None:
    return statuses_for(user, [event.id]).get(event.id)


def attendees(event: Event, actor: User) -> list[Rsvp]:
    """Going first, then the waitlist in order (organisers, hosts, moderators)."""
    services.require_manager(event, actor)
    rows = db.session.scalars(select(Rsvp).where(Rsvp.event_id == event.id).order_by(Rsvp.id))
    return sorted(rows, key=lambda row: row.status != "going")


def events_going(user: User, since: datetime | None = None, limit: int | None = None) -> list[Event]:
    """Events a member is going to or hosts (for their calendar feed), the
    first `limit` of them by start (the home page's panel)."""
    since = since or utcnow() - timedelta(days=90)
    going = select(Rsvp.event_id).where(Rsvp.user_id == user.id, Rsvp.status == "going")
    hosting = select(EventHost.event_id).where(EventHost.user_id == user.id)
    statement = select(Event).where(
        Event.status.in_(("published", "cancelled")), Event.ends_at >= since,
        or_(Event.id.in_(going), Event.id.in_(hosting))).order_by(Event.starts_at, Event.id)
    return list(db.session.scalars(statement.limit(limit)))
