"""The signed-in home page: one panel a feature, each ONE cheap query
through that feature's services (plus fixed eager loads).

A feature that has not landed (cannot be imported) or lacks the service
simply has no panel: its entry in `panels()` is None and the template skips
it. Which panels exist is listed in SKIPPED for the README and the tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_

from app.db_types import utcnow
from app.extensions import db
from app.people import services as people

SKIPPED: dict[str, str] = {}

try:
    from app.resources import services as resources
    from app.resources.models import Resource, ResourceAgeRange
except ImportError:  # pragma: no cover - depends on what has landed
    resources = Resource = ResourceAgeRange = None
    SKIPPED["resources"] = "the resources feature is not installed"
try:
    from app.events import services as events
except ImportError:  # pragma: no cover
    events = None
    SKIPPED["events"] = "the events feature is not installed"
try:
    from app.forum import reading as forum_reading
    from app.forum import subscriptions as forum_subscriptions
except ImportError:  # pragma: no cover
    forum_reading = forum_subscriptions = None
    SKIPPED["questions"] = "the forum feature is not installed"
try:
    from app.groups import services as groups
    from app.groups import stats as group_stats
except ImportError:  # pragma: no cover
    groups = group_stats = None
    SKIPPED["groups"] = "the groups feature is not installed"
try:
    from app.notifications import services as notifications
except ImportError:  # pragma: no cover
    notifications = None
    SKIPPED["notifications"] = "the notifications feature is not installed"

ROOM_OPENS_BEFORE = timedelta(minutes=15)
PANEL_SIZE = 5


def _events_going(user, now: datetime) -> list[dict] | None:
    if events is None:
        return None
    rows = events.events_going(user, since=now)[:PANEL_SIZE]
    return [{"event": event, "url": events.event_url(event),
             "live": event.status == "published" and (
                 event.always_open or event.starts_at - ROOM_OPENS_BEFORE <= now < event.ends_at)}
            for event in rows]


def _resources_for_me(user) -> list | None:
    if resources is None:
        return None
    statement = resources.library_query()
    subjects, ranges = user.subjects, user.age_ranges
    if subjects or ranges:
        conditions = []
        if subjects:
            conditions.append(Resource.subject.in_(subjects))
        if ranges:
            conditions.append(Resource.age_range_rows.any(ResourceAgeRange.age_range.in_(ranges)))
        statement = statement.where(or_(*conditions), Resource.owner_id != user.id)
    return list(db.session.scalars(statement.limit(PANEL_SIZE)))


def _followed_resources(user) -> list | None:
    if resources is None:
        return None
    statement = resources.library_query().where(Resource.owner_id.in_(people.followed_ids_query(user)))
    return list(db.session.scalars(statement.limit(PANEL_SIZE)))


def _questions(user) -> list | None:
    if forum_reading is None:
        return None
    statement = forum_reading.list_query(user, sort="unanswered",
                                         muted_category_ids=forum_subscriptions.muted_category_ids(user))
    return list(db.session.scalars(statement.limit(PANEL_SIZE)).unique())


def _groups(user) -> dict | None:
    if groups is None:
        return None
    mine = list(db.session.scalars(groups.directory(user, mine=True).limit(PANEL_SIZE)))
    week = group_stats.weekly_totals(user, 1)[-1]
    return {"groups": mine, "week": week}


def _notifications(user) -> list | None:
    if notifications is None:
        return None
    return list(db.session.scalars(notifications.list_query(user, unread_only=True).limit(PANEL_SIZE)))


def panels(user, now: datetime | None = None) -> dict:
    now = now or utcnow()
    return {
        "events": _events_going(user, now),
        "resources": _resources_for_me(user),
        "followed_resources": _followed_resources(user),
        "questions": _questions(user),
        "groups": _groups(user),
        "notifications": _notifications(user),
        "people": people.suggestions(user, PANEL_SIZE),
        "now": now,
    }


def visitor_panels(now: datetime | None = None) -> dict:
    now = now or utcnow()
    latest = None
    if resources is not None:
        latest = list(db.session.scalars(resources.library_query().limit(PANEL_SIZE)))
    upcoming = None
    if events is not None:
        upcoming = list(db.session.scalars(events.upcoming_query(None, now=now).limit(PANEL_SIZE)))
    return {"resources": latest, "events": upcoming}
