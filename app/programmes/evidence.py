"""The evidence portfolio: what a member did on the platform, offered as
evidence for a nomination.

A small registry: each source is a function `(user) -> list[EvidenceItem]`:
resources shared, accepted answers, events hosted, groups run. Each returns
nothing while its tables do not exist yet (a database not migrated that
far), so the portfolio never breaks a page. `live_sources()` names the
sources that answer right now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext, ngettext
from sqlalchemy import select

from app.events.models import Event, EventHost
from app.extensions import db
from app.forum.models import Post, Thread
from app.groups.models import Group, Membership
from app.i18n import N_
from app.resources import services as resources

MAX_PER_SOURCE = 50


@dataclass(frozen=True)
class EvidenceItem:
    kind: str  # resource, answer, event, tweetmeet, group
    ref: str  # "resource:12": unique across the portfolio
    title: str
    detail: str
    url: str
    date: datetime | None


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    tables: tuple[str, ...]
    collect: Callable[[object], list[EvidenceItem]]


SOURCES: dict[str, Source] = {}


def register(name: str, label: str, tables: tuple[str, ...]):
    def decorator(collect):
        SOURCES[name] = Source(name, label, tables, collect)
        return collect
    return decorator


def _tables_present(tables: tuple[str, ...]) -> bool:
    known = current_app.extensions.setdefault("programmes_tables", {})
    missing = [name for name in tables if name not in known]
    if missing:
        inspector = sa.inspect(db.engine)
        for name in missing:
            known[name] = inspector.has_table(name)
    return all(known[name] for name in tables)


def live_sources() -> list[str]:
    return [source.name for source in SOURCES.values() if _tables_present(source.tables)]


def portfolio(user) -> list[EvidenceItem]:
    """Every item of every live source, newest first."""
    items: list[EvidenceItem] = []
    for source in SOURCES.values():
        if _tables_present(source.tables):
            items.extend(source.collect(user)[:MAX_PER_SOURCE])
    return sorted(items, key=lambda item: (item.date is None, -(item.date.timestamp() if item.date else 0)))


def pick(user, refs) -> list[EvidenceItem]:
    """The member's own items with these refs (anything else is ignored)."""
    wanted = set(refs or [])
    return [item for item in portfolio(user) if item.ref in wanted]


_GROUP_ROLES = {"owner": N_("Group owner"), "admin": N_("Group admin")}


# The resource library ----------------------------------------------------------------------

@register("resource", "Resources shared", ("resources",))
def _resources(user) -> list[EvidenceItem]:
    statement = resources.library_query(owner=user, sort="downloaded").limit(MAX_PER_SOURCE)
    return [
        EvidenceItem("resource", f"resource:{r.id}", r.title,
                     " · ".join((ngettext("%(num)s download", "%(num)s downloads", r.download_count),
                                 ngettext("%(num)s bookmark", "%(num)s bookmarks", r.bookmark_count))),
                     f"/resources/{r.id}", r.created_at)
        for r in db.session.scalars(statement)
    ]


# The forum, events and groups ---------------------------------------------------------------

@register("answer", "Accepted answers", ("forum_threads", "forum_posts"))
def _accepted_answers(user) -> list[EvidenceItem]:
    rows = db.session.execute(
        select(Thread.id, Thread.title, Post.id, Post.created_at)
        .join(Post, Post.id == Thread.accepted_post_id)
        .where(Post.author_id == user.id, Post.status == "published", Thread.status == "published")
        .order_by(Post.created_at.desc()).limit(MAX_PER_SOURCE))
    return [EvidenceItem("answer", f"answer:{post_id}", title, gettext("Accepted answer"), f"/p/{post_id}",
                         created)
            for _thread_id, title, post_id, created in rows]


@register("event", "Events hosted and TweetMeets led", ("events", "event_hosts"))
def _events_hosted(user) -> list[EvidenceItem]:
    rows = db.session.execute(
        select(Event.id, Event.title, Event.kind, Event.starts_at)
        .join(EventHost, EventHost.event_id == Event.id)
        .where(EventHost.user_id == user.id, Event.status == "published", Event.visibility == "public")
        .order_by(Event.starts_at.desc()).limit(MAX_PER_SOURCE))
    return [EvidenceItem("tweetmeet" if kind == "tweetmeet" else "event", f"event:{event_id}", title,
                         gettext("TweetMeet led") if kind == "tweetmeet" else gettext("Event hosted"),
                         f"/events/{event_id}", starts)
            for event_id, title, kind, starts in rows]


@register("group", "Groups run", ("groups", "group_members"))
def _groups_run(user) -> list[EvidenceItem]:
    # Public groups only: a private group's name is not the applicant's to show.
    rows = db.session.execute(
        select(Group.id, Group.name, Membership.role, Group.created_at)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id, Membership.role.in_(("owner", "admin")),
               Group.visibility == "public")
        .order_by(Group.created_at.desc()).limit(MAX_PER_SOURCE))
    return [EvidenceItem("group", f"group:{group_id}", name, gettext(_GROUP_ROLES[role]), f"/groups/{group_id}",
                         created)
            for group_id, name, role, created in rows]
