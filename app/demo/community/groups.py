"""Community groups: 300 clubs (running, walking, cycling, swimming, mixed,
interest) with their members and roles, 100,000 activities logged by those
members in their own zones, kudos, weekly goals, and the all-time totals
the leaderboards read (`totals.rebuild`, the path meant for bulk imports)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.demo.community.words import ACTIVITY_TITLES, GROUP_NAMES, GROUP_WHATS, SCHOOL_NAMES, TOPICS
from app.extensions import db
from app.groups import totals
from app.groups.models import FOCUS_SPORTS, Activity, FitnessSettings, Group, Kudos, Membership
from app.i18n import N_
from app.text import render_markdown

FOCUS_WEIGHTS = {"running": 35, "walking": 20, "cycling": 15, "swimming": 5, "mixed": 15, "interest": 10}
# Distance (km) and pace (minutes per km) by sport.
SPORT_SHAPE = {"run": ((3, 15), (4.5, 7.0)), "walk": ((2, 8), (10, 14)), "ride": ((10, 60), (2.0, 3.5)),
               "swim": ((0.5, 3), (18, 30))}
WEEKLY_GOALS = {"running": 25_000, "walking": 15_000, "cycling": 100_000, "swimming": 5_000, "mixed": 30_000}


def _groups(world) -> list[dict]:
    rng, load, now = world.rng, world.load, world.now
    focuses, weights = list(FOCUS_WEIGHTS), list(FOCUS_WEIGHTS.values())
    groups, descriptions = [], {}
    for group_id in load.ids(Group.__table__, world.count("groups")):
        focus = rng.choices(focuses, weights)[0]
        owner = world.popular_member()
        name = rng.choice(GROUP_NAMES).format(place=rng.choice(SCHOOL_NAMES), what=GROUP_WHATS[focus],
                                              subject=rng.choice(list(TOPICS)).replace("-", " ").title())
        md = descriptions.setdefault(focus, f"Educators who love {GROUP_WHATS[focus].lower()}: log what you do, "
                                            "cheer each other on, and meet the **weekly goal** together.")
        created = now - timedelta(days=700 * rng.random())
        groups.append({
            "id": group_id, "name": name[:80], "description_md": md,
            "description_html": render_markdown(md), "focus": focus,
            "visibility": "private" if rng.random() < 0.15 else "public", "weekly_goal_m": WEEKLY_GOALS.get(focus),
            "group_goal_m": None, "timezone": world.zone(owner), "created_at": created, "updated_at": created,
            "owner": owner,
        })
    return groups


def seed_groups(world) -> None:
    rng, load = world.rng, world.load
    groups = _groups(world)
    memberships, sports_of = [], defaultdict(set)
    mates = defaultdict(set)
    for group in groups:
        size = min(len(world.member_ids) // 2, 2 + int(rng.paretovariate(1.3) * 12))
        people = {group["owner"]} | {world.member() for _ in range(size)}
        admins = set(rng.sample(sorted(people - {group["owner"]}), min(2, len(people) - 1)))
        for user_id in sorted(people):
            role = "owner" if user_id == group["owner"] else "admin" if user_id in admins else "member"
            memberships.append({"group_id": group["id"], "user_id": user_id, "role": role,
                                "joined_at": group["created_at"] + (world.now - group["created_at"]) * rng.random()})
            sports_of[user_id] |= set(FOCUS_SPORTS[group["focus"]])
            mates[user_id] |= people
        group.pop("owner")
    load.write(Group.__table__, groups)
    load.write(Membership.__table__, memberships)
    active = sorted(user_id for user_id, sports in sports_of.items() if sports)
    _activities(world, active, {user_id: sorted(sports_of[user_id]) for user_id in active},
                {user_id: sorted(mates[user_id]) for user_id in active})
    load.write(FitnessSettings.__table__, [
        {"user_id": user_id, "distance_unit": "mi" if world.country(user_id) in ("US", "GB") else "km",
         "weekly_goal_m": rng.choice((10_000, 20_000, 25_000, 40_000))}
        for user_id in active if rng.random() < 0.3])
    totals.rebuild()
    db.session.commit()


def _activities(world, active: list[int], sports: dict[int, list[str]], mates) -> None:
    rng, load, now = world.rng, world.load, world.now
    keen = [user_id for user_id in active if rng.random() < 0.3]  # a third log most of the activities
    rows, kudos = [], []
    for activity_id in load.ids(Activity.__table__, world.count("activities")):
        user_id = rng.choice(keen) if keen and rng.random() < 0.7 else rng.choice(active)
        sport = rng.choice(sports[user_id])
        zone = world.zone(user_id)
        (low, high), (slow, fast) = SPORT_SHAPE[sport]
        km = round(rng.uniform(low, high), 2)
        day = (now - timedelta(days=730 * rng.random() ** 2)).astimezone(ZoneInfo(zone)).date()
        started = datetime.combine(day, time(rng.choice((6, 7, 12, 17, 18, 19)), rng.randrange(60)),
                                   tzinfo=ZoneInfo(zone))
        if started > now - timedelta(hours=2):
            started -= timedelta(days=1)
            day -= timedelta(days=1)
        visibility = rng.choices(("public", "groups", "private"), (0.3, 0.6, 0.1))[0]
        title = rng.choice(ACTIVITY_TITLES[sport])
        rows.append({
            "id": activity_id, "user_id": user_id, "sport": sport, "title": title, "notes_md": "",
            "notes_html": "", "distance_m": int(km * 1000), "duration_s": int(km * rng.uniform(slow, fast) * 60),
            "elevation_gain_m": rng.randrange(200) if sport in ("run", "ride", "walk") else None,
            "started_at": started, "started_on": day, "timezone": zone, "visibility": visibility,
            "source": "manual", "created_at": started + timedelta(hours=2), "updated_at": started + timedelta(hours=2),
        })
        if visibility != "private" and rng.random() < 0.4:
            givers = {rng.choice(mates[user_id]) for _ in range(rng.randint(1, 4))} - {user_id}
            for giver in givers:
                given = min(now, started + timedelta(hours=rng.uniform(2, 30)))
                kudos.append({"activity_id": activity_id, "user_id": giver, "created_at": given})
                world.notify(user_id, "kudos", N_("%(name)s gave kudos to “%(title)s”."),
                             {"name": world.names[giver], "title": title}, f"/activities/{activity_id}", giver,
                             given, f"kudos:{activity_id}:{giver}")
    load.write(Activity.__table__, rows)
    load.write(Kudos.__table__, kudos)
