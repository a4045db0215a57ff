"""The signed-in home page: one panel a feature, each ONE cheap query
through that feature's services (plus fixed eager loads)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_

from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.events import services as events
from app.extensions import db
from app.forum import reading as forum_reading
from app.forum import subscriptions as forum_subscriptions
from app.groups import services as groups
from app.groups import stats as group_stats
from app.notifications import services as notifications
from app.people import services as people
from app.resources import services as resources
from app.resources.models import Resource, ResourceAgeRange

ROOM_OPENS_BEFORE = timedelta(minutes=15)
PANEL_SIZE = 5


def _events_going(user, now: datetime) -> list[dict] | None:
    rows = rsvps.events_going(user, since=now)[:PANEL_SIZE]
    return [{"event": event, "url": events.event_url(event),
             "live": event.status == "published" and (
                 event.always_open or event.starts_at - ROOM_OPENS_BEFORE <= now < event.ends_at)}
            for event in rows]


def _resources_for_me(user) -> list:
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


def _followed_resources(user) -> list:
    statement = resources.library_query().where(Resource.owner_id.in_(people.followed_ids_query(user)))
    return list(db.session.scalars(statement.limit(PANEL_SIZE)))


def _questions(user) -> list:
    statement = forum_reading.list_query(user, sort="unanswered",
                                         muted_category_ids=forum_subscriptions.muted_category_ids(user))
    return list(db.session.scalars(statement.limit(PANEL_SIZE)).unique())


def _groups(user) -> dict:
    mine = list(db.session.scalars(groups.directory(user, mine=True).limit(PANEL_SIZE)))
    week = group_stats.weekly_totals(user, 1)[-1]
    return {"groups": mine, "week": week}


def _notifications(user) -> list:
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
    return {"resources": list(db.session.scalars(resources.library_query().limit(PANEL_SIZE))),
            "events": list(db.session.scalars(events.upcoming_query(None, now=now).limit(PANEL_SIZE)))}
