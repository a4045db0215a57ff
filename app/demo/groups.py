"""Demo groups: "Staffroom Runners" with eight weeks of runs (some members
reach the 25 km weekly goal), a walking group, and a private interest group."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.db_types import utcnow
from app.groups import activities, challenges, services, social
from app.groups.periods import local_today

# username: runs a week (min, max) and typical run length in km (min, max)
RUNNERS = {
    "wanjiru_k": ((4, 5), (6.0, 9.0)),
    "jordan_t": ((3, 5), (6.0, 10.0)),
    "gary_w": ((2, 4), (4.0, 8.0)),
    "emma_c": ((2, 3), (5.0, 7.0)),
    "claire_d": ((1, 3), (4.0, 6.5)),
    "chidi_o": ((2, 3), (5.0, 8.0)),
    "rafael_s": ((1, 2), (8.0, 12.0)),
}
# Runners who share their runs with everyone; the others with the members of their groups only.
SHARE_PUBLICLY = {"wanjiru_k", "chidi_o", "rafael_s"}
WALKERS = ["amira_h", "priya_n", "sofia_g", "leyla_m"]
TITLES = ["Easy run", "Tempo run", "Hill repeats", "Park loop", "Long run", "Recovery jog", "Before-school run",
          "Intervals on the track"]
COMMENTS = ["Great pace!", "Those hills, well done.", "See you at Saturday's parkrun?", "Inspiring!"]


def _start(user, day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 15), tzinfo=ZoneInfo(user.timezone))


def _log_runs(user, weeks: int, per_week, length, rng: random.Random) -> list:
    made = []
    today = local_today(user.timezone)
    monday = today - timedelta(days=today.weekday())
    for back in range(weeks - 1, -1, -1):
        week_start = monday - timedelta(weeks=back)
        days = sorted(rng.sample(range(7), rng.randint(*per_week)))
        for offset in days:
            day = week_start + timedelta(days=offset)
            started = _start(user, day, rng.choice([6, 7, 17, 18]))
            if started > utcnow() - timedelta(hours=1):
                continue
            km = round(rng.uniform(*length), 2)
            pace = rng.uniform(5.0, 6.6) * 60  # seconds per km
            made.append(activities.log_activity(
                user, sport="run", distance_m=int(km * 1000), duration_s=int(km * pace), started_at=started,
                title=rng.choice(TITLES), visibility="public" if user.username in SHARE_PUBLICLY else "groups",
                unit="km"))
    return made


def seed_groups(context: dict, echo) -> None:
    users = context["users"]
    rng = random.Random(6)
    owner = users["wanjiru_k"]
    runners = services.create_group(
        owner, name="Staffroom Runners", focus="running", weekly_goal_m=25_000, group_goal_m=150_000,
        timezone="Europe/London",
        description="Educators who run, wherever we teach. **25 km a week** each, and we cheer each other on: "
                    "log your runs, give kudos, join the monthly challenge.")
    for username in RUNNERS:
        if username != "wanjiru_k":
            services.join(runners, users[username])
    services.set_role(runners, owner, users["jordan_t"], "admin")
    logged = []
    for username, (per_week, length) in RUNNERS.items():
        logged += _log_runs(users[username], 8, per_week, length, rng)
    today = local_today(runners.timezone)
    challenges.create_challenge(runners, owner, title=f"100 km in {today:%B}", kind="distance", target=100_000,
                                starts_on=today.replace(day=1),
                                ends_on=(today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
    monday = today - timedelta(days=today.weekday())
    challenges.create_challenge(runners, users["jordan_t"], title="Run 4 days this week", kind="days", target=4,
                                starts_on=monday, ends_on=monday + timedelta(days=6))
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    challenges.create_challenge(runners, owner, title=f"50 km in {last_month:%B}", kind="distance", target=50_000,
                                starts_on=last_month, ends_on=today.replace(day=1) - timedelta(days=1))
    for activity in logged[-12:]:
        for username in rng.sample(list(RUNNERS), 3):
            if users[username].id != activity.user_id:
                social.give_kudos(activity, users[username])
        if rng.random() < 0.5:
            commenter = users[rng.choice([u for u in RUNNERS if users[u].id != activity.user_id])]
            social.add_comment(activity, commenter, rng.choice(COMMENTS))

    walkers = services.create_group(
        users["amira_h"], name="Lunchtime Walkers", focus="walking", weekly_goal_m=10_000, timezone="Asia/Riyadh",
        description="A brisk walk at lunch clears the head for the afternoon.")
    for username in WALKERS[1:]:
        services.join(walkers, users[username])
    for username in WALKERS:
        user = users[username]
        for back in range(1, 15, 2):
            day = local_today(user.timezone) - timedelta(days=back)
            activities.log_activity(user, sport="walk", distance_m=rng.randint(2500, 5000),
                                    duration_s=rng.randint(1800, 3600), started_at=_start(user, day, 12),
                                    title="Lunch walk", visibility="groups", unit="km")

    circle = services.create_group(
        users["emma_c"], name="Early Years Circle", focus="interest", visibility="private", timezone="Australia/Sydney",
        description="A private circle for early-years educators to share what works with the youngest learners.")
    services.join(circle, users["yuki_t"])
    services.approve(circle, users["emma_c"], users["yuki_t"])
    context["groups"] = [runners, walkers, circle]
    echo(f"  groups: 3 ({len(logged)} runs logged in Staffroom Runners)")
