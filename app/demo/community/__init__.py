"""`flask seed-demo --scale community`: the demo, then a community-sized
dataset on top of it (10,000 members in 100 countries, 20,000 resources,
5,000 threads with 200,000 posts, 300 groups with 100,000 activities, 2,000
events, 50,000 private messages, 100,000 notifications), bulk-inserted with
SQLAlchemy Core from a seeded random generator, then indexed for search.
`factor` scales every count (tests use a small one)."""

from __future__ import annotations

import random
import time

from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.demo.community import events, forum, groups, library, messages, notifications, people
from app.demo.community.bulk import Loader
from app.extensions import db
from app.search import service as search_service

COUNTS = {"members": 10_000, "resources": 20_000, "threads": 5_000, "posts": 200_000, "groups": 300,
          "activities": 100_000, "events": 2_000, "messages": 50_000, "notifications": 100_000}
# Enough of each at a small factor for every page to have something to show.
MINIMUM = {"members": 120, "threads": 10, "posts": 40, "groups": 3, "resources": 20, "events": 5}
SEED = 20


class World:
    """What the steps share: the random generator, the loader, "now", the
    members made so far, and the notifications their doings would send."""

    def __init__(self, factor: float, echo):
        self.rng = random.Random(SEED)
        self.load = Loader(echo)
        self.factor = factor
        self.now = utcnow().replace(microsecond=0)
        self._member_ids: list[int] = []
        self.demo: list[int] = []  # the demo's members
        self.usernames: dict[int, str] = {}
        self.names: dict[int, str] = {}
        self.countries: dict[int, str] = {}
        self.zones: dict[int, str] = {}
        self.notices: list[tuple] = []

    def count(self, name: str) -> int:
        return max(MINIMUM.get(name, 1), round(COUNTS[name] * self.factor))

    @property
    def member_ids(self) -> list[int]:
        return self._member_ids

    @property
    def demo_ids(self) -> list[int]:
        return self.demo

    def members_ready(self, users: list[dict]) -> None:
        self._member_ids = [row["id"] for row in users]
        for row in users:
            self.countries[row["id"]], self.zones[row["id"]] = row["country"], row["timezone"]

    def member(self) -> int:
        return self.rng.choice(self._member_ids)

    def popular_member(self) -> int:
        """Anyone, but some far more often: a few members do much of the
        posting, and the demo's members take part too."""
        draw = self.rng.random()
        if draw < 0.03:
            return self.rng.choice(self.demo_ids)
        if draw < 0.5:
            return self._member_ids[int(len(self._member_ids) * self.rng.random() ** 3)]
        return self.rng.choice(self._member_ids)

    def zone(self, user_id: int) -> str:
        return self.zones[user_id]

    def country(self, user_id: int) -> str | None:
        return self.countries.get(user_id)

    def notify(self, user_id, kind, key, params, url, actor, at, dedupe) -> None:
        """A notification this happening would have sent (notifications.py keeps some)."""
        self.notices.append((user_id, kind, key, params, url, actor, at, dedupe))


def _demo_members(world: World) -> None:
    for user in db.session.scalars(select(User).order_by(User.id)):
        world.demo.append(user.id)
        world.usernames[user.id], world.names[user.id] = user.username, user.stored_display_name
        world.zones[user.id], world.countries[user.id] = user.timezone or "UTC", user.country


STEPS = [("members", people.seed_members), ("library", library.seed_library), ("forum", forum.seed_forum),
         ("groups", groups.seed_groups), ("events", events.seed_events), ("messages", messages.seed_messages),
         ("notifications", notifications.seed_notifications)]


def seed_community(factor: float, echo) -> World:
    """Add the community on top of the demo; prints seconds per step and rows per table."""
    started = time.perf_counter()
    world = World(factor, echo)
    _demo_members(world)
    echo(f"Community data (factor {factor:g}):")
    for name, step in STEPS:
        with world.load.step(name):
            step(world)
    world.load.fix_sequences()
    with world.load.step("search index"):
        documents = search_service.reindex()
    world.load.rows["search documents"] = documents
    total = time.perf_counter() - started
    echo("Rows written:")
    for table, rows in sorted(world.load.rows.items(), key=lambda item: -item[1]):
        echo(f"  {table:<26} {rows:>8,}")
    echo(f"Community data: {total:.1f} s ({sum(world.load.cpu_seconds.values()):.1f} s of CPU), of which "
         f"search index {world.load.seconds['search index']:.1f} s.")
    return world
