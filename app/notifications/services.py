"""Notifying members: stored first, then pushed live to their open pages.
Never twice for the same event.

`notify()` joins the caller's transaction; the live push goes out only
after that transaction commits, so nobody hears of something that was
rolled back. Pages deliver after each request; socket handlers, CLI
commands and workers call `deliver_pending()` after they commit. Mail is
not sent from here: the mail sender loop batches a member's unread
notifications into one mail (app/notifications/mail.py).
"""

from __future__ import annotations

import logging

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from app import background, member_cache
from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.i18n import for_member
from app.mail import outbox
from app.notifications.models import (
    DEFAULT_CHANNEL,
    MAILED_AT_ONCE,
    Message,
    Notification,
    NotificationPreference,
)
from app.push import push_to_user

log = logging.getLogger(__name__)
UNREAD_PANEL, UNREAD_SECONDS = "unread_notifications", 30  # the header's count (app/member_cache.py)
_OUTBOX = "notifications_to_send"  # added in the open transaction
_READY = "notifications_ready"  # committed, not yet pushed


def notify(user: User, kind: str, text: str | Message, url: str, *, actor: User | None = None,
           dedupe_key: str | None = None) -> Notification | None:
    """Add a notification in the current transaction (the caller commits).

    `text` is best a `Message(N_("%(name)s follows you"), {"name": ...})`:
    each reader then sees it in their language (page, API, push and mail);
    a plain string is shown as it is.

    Returns None when it would notify the member about themselves, or about
    an event (`dedupe_key`) they were already told about.
    """
    if actor is not None and actor.id == user.id:
        return None
    if preference_for(user, kind) == "none":  # the member turned this kind off
        return None
    if dedupe_key and db.session.scalar(select(Notification.id).where(
            Notification.user_id == user.id, Notification.dedupe_key == dedupe_key)):
        return None
    item = Notification(user_id=user.id, actor_id=actor.id if actor else None, kind=kind,
                        url=url[:500], dedupe_key=dedupe_key)
    item.text = text  # once the recipient is known: a moment in it is written in their zone
    db.session.add(item)
    member_cache.forget(user.id, UNREAD_PANEL)
    db.session.info.setdefault(_OUTBOX, []).append(item)
    if kind in MAILED_AT_ONCE:
        background.wake_after_commit(db.session(), outbox.WORKER)
    return item


def preference_for(user, kind: str) -> str:
    """"email", "web" or "none" for this member and kind (one primary-key
    read); members choose on their settings page (app/people/preferences.py)."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return DEFAULT_CHANNEL
    row = db.session.get(NotificationPreference, (user_id, kind[:40]))
    return row.channel if row is not None else DEFAULT_CHANNEL


def unread_count(user: User) -> int:
    return _count_unread(user.id)


def unread_badge_count(user: User) -> int:
    """The header's count: kept UNREAD_SECONDS, dropped by a new notification or marking read."""
    return member_cache.remember(UNREAD_PANEL, user.id, UNREAD_SECONDS, lambda: _count_unread(user.id))


def _count_unread(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def list_query(user: User, unread_only: bool = False):
    statement = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return statement.order_by(Notification.created_at.desc(), Notification.id.desc())


def get_own(user: User, notification_id: int) -> Notification | None:
    item = db.session.get(Notification, notification_id)
    return item if item is not None and item.user_id == user.id else None


def mark_read(user: User, ids: list[int] | None = None) -> int:
    """Mark some (or all) of a member's notifications read; returns how many."""
    statement = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(ids or [-1]))
    changed = db.session.execute(statement.values(read_at=utcnow())).rowcount
    member_cache.forget(user.id, UNREAD_PANEL)
    db.session.commit()
    push_to_user(user.id, "unread", {"count": unread_count(user)})
    return changed


def as_dict(item: Notification) -> dict:
    return {
        "id": item.id, "kind": item.kind, "text": item.text, "url": item.url,
        "actor": item.actor.username if item.actor else None,
        "created_at": item.created_at.isoformat(), "read": item.read_at is not None,
    }


def _deliver(items: list[Notification]) -> None:
    for item in items:
        user = db.session.get(User, item.user_id)
        if user is not None:
            with for_member(user):  # pushed in the reader's language, not the actor's
                payload = as_dict(item)
            push_to_user(user.id, "notification", {**payload, "unread": unread_count(user)})
    db.session.commit()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    items = session.info.pop(_OUTBOX, None)
    if items:
        # Delivery reads and writes the database, which a session may not do
        # inside its own commit hook: defer it to just after.
        session.info.setdefault(_READY, []).extend(items)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_OUTBOX, None)


def deliver_pending() -> None:
    """Push and email what the last commits notified. Called after each
    request, and by services that run outside one (CLI, workers).

    A request that never used the database has no session, and so nothing
    to deliver: asking `db.session` would make one just to look (and close
    it again at teardown), on every page that needs no row."""
    if not db.session.registry.has():
        return
    items = db.session.info.pop(_READY, None)
    if items:
        _deliver(items)
