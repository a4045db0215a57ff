"""The signed-in home page: one panel a feature, each ONE cheap query
through that feature's services (plus fixed eager loads).

Which rows the member's panels show (their events, resources for them and
from people they follow, open questions, their groups, people to meet) is
chosen by queries that grow with the community; the choice is kept per
member for HOME_SECONDS (app/member_cache.py) and the rows are read again
by primary key on each view, so they are current and still visible to the
member. The member's own writes that change a choice drop it at once
(`member_cache.forget(id, member_cache.HOME)` in the services of RSVPs,
follows, profiles, groups and category levels); what
others do shows within HOME_SECONDS. Unread notifications and this week's
totals are read on every view (indexed, one query each)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from app import member_cache
from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.events import services as events
from app.events.models import Event
from app.extensions import db
from app.forum import reading as forum_reading
from app.forum import subscriptions as forum_subscriptions
from app.forum.models import Thread
from app.groups import services as groups
from app.groups import stats as group_stats
from app.groups.models import Group
from app.notifications import services as notifications
from app.people import services as people
from app.resources import services as resources
from app.resources.models import Resource, ResourceAgeRange

ROOM_OPENS_BEFORE = timedelta(minutes=15)
PANEL_SIZE = 5
HOME_PANEL, HOME_SECONDS = member_cache.HOME, 30


def _events_going_rows(rows: list, now: datetime) -> list[dict]:
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


def _groups(user) -> list:
    return list(db.session.scalars(groups.directory(user, mine=True).limit(PANEL_SIZE)))


def _notifications(user) -> list:
    return list(db.session.scalars(notifications.list_query(user, unread_only=True).limit(PANEL_SIZE)))


def _choose(user, now: datetime) -> dict:
    """The member's panels as rows, by the queries that choose them."""
    return {"events": rsvps.events_going(user, since=now, limit=PANEL_SIZE), "resources": _resources_for_me(user),
            "followed_resources": _followed_resources(user), "questions": _questions(user),
            "groups": _groups(user), "people": people.suggestions(user, PANEL_SIZE)}


def _in_order(rows, ids: list[int]) -> list:
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _load(user, chosen: dict) -> dict:
    """The rows of a kept choice, read by id, each through the query that
    decides who may see it (a resource hidden or a thread moved since
    drops out)."""
    resource_ids = chosen["resources"] + chosen["followed_resources"]
    found = list(db.session.scalars(resources.library_query().where(Resource.id.in_(resource_ids or [-1]))))
    threads = forum_reading.list_query(user).where(Thread.id.in_(chosen["questions"] or [-1]))
    return {
        "events": _in_order(db.session.scalars(select(Event).where(Event.id.in_(chosen["events"] or [-1]))),
                            chosen["events"]),
        "resources": _in_order(found, chosen["resources"]),
        "followed_resources": _in_order(found, chosen["followed_resources"]),
        "questions": _in_order(db.session.scalars(threads).unique(), chosen["questions"]),
        "groups": _in_order(db.session.scalars(select(Group).where(Group.id.in_(chosen["groups"] or [-1]))),
                            chosen["groups"]),
        "people": _in_order(people.listed_by_ids(chosen["people"]), chosen["people"]),
    }


def _chosen_rows(user, now: datetime) -> dict:
    fresh = {}

    def choose() -> dict:
        fresh.update(_choose(user, now))
        return {name: [row.id for row in rows] for name, rows in fresh.items()}

    ids = member_cache.remember(HOME_PANEL, user.id, HOME_SECONDS, choose)
    return fresh or _load(user, ids)


def panels(user, now: datetime | None = None) -> dict:
    now = now or utcnow()
    rows = _chosen_rows(user, now)
    return {
        "events": _events_going_rows(rows["events"], now),
        "resources": rows["resources"],
        "followed_resources": rows["followed_resources"],
        "questions": rows["questions"],
        "groups": {"groups": rows["groups"], "week": group_stats.weekly_totals(user, 1)[-1]},
        "notifications": _notifications(user),
        "people": rows["people"],
        "now": now,
    }


def visitor_panels(now: datetime | None = None) -> dict:
    now = now or utcnow()
    return {"resources": list(db.session.scalars(resources.library_query().limit(PANEL_SIZE))),
            "events": list(db.session.scalars(events.upcoming_query(None, now=now).limit(PANEL_SIZE)))}
