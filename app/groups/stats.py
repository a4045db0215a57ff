"""Leaderboards, weekly progress and a member's own totals.

Each figure is one aggregate query: GROUP BY in SQL over the activities in
a window whose UTC bounds come from `periods` (the group's or the member's
time zone), never a Python loop over activity rows. All-time leaderboards
add up `activity_totals` (per member and sport, see `totals.py`) instead
of every activity ever logged.

Leaderboard order (documented, and stable for ties): by the chosen measure
(distance, activities or time), highest first; then distance, highest
first; then username A-Z. Members with equal measures share a rank
(1, 2, 2, 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, and_, case, cast, func, select

from app.accounts.models import User
from app.extensions import db
from app.groups import periods, units
from app.groups.activities import COUNTED_VISIBILITIES, counted
from app.groups.models import Activity, ActivityTotal, Group, Membership
from app.groups.people import PersonRow

SORTS = ("distance", "activities", "time")


@dataclass
class Row:
    user: PersonRow
    distance_m: int
    activities: int
    duration_s: int
    goal_met: bool | None = None
    rank: int = 0

    @property
    def distance_km(self) -> float:
        return units.km(self.distance_m)


@dataclass(frozen=True)
class GroupGoal:
    """What the whole group aims for in a week, to set against `Board.total_m`
    (every member's distance that counts, in the same week).

    `basis` says where the figure comes from: "group", the group's own weekly
    goal; "members", each member's weekly goal added up over the members."""

    goal_m: int
    basis: str
    members: int
    members_goal_m: int | None  # the members' goals added up, when the group has a weekly goal per member


@dataclass
class Board:
    group: Group
    period: periods.Period
    sort: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total_m(self) -> int:
        return sum(row.distance_m for row in self.rows)

    @property
    def group_goal(self) -> GroupGoal | None:
        """The whole group's goal this week (week boards only): the group's own
        weekly goal, else its members' weekly goals added up; None without either."""
        if self.period.name != "week":
            return None
        members = len(self.rows)
        members_goal = self.group.weekly_goal_m * members if self.group.weekly_goal_m and members else None
        if self.group.group_goal_m:
            return GroupGoal(self.group.group_goal_m, "group", members, members_goal)
        if members_goal:
            return GroupGoal(members_goal, "members", members, members_goal)
        return None

    @property
    def goal_reached(self) -> bool | None:
        goal = self.group_goal
        return None if goal is None else self.total_m >= goal.goal_m

    def row_for(self, user_id: int) -> Row | None:
        return next((row for row in self.rows if row.user.id == user_id), None)


def leaderboard(group: Group, period: str = "week", sort: str = "distance", now: datetime | None = None) -> Board:
    """Every member's totals in the period, in the group's time zone: one query."""
    window = periods.period(period if period in periods.PERIODS else "week", group.timezone, now)
    sort = sort if sort in SORTS else "distance"
    sports = group.sports or ("-",)
    if window.start is None:
        # All time: the per-sport totals kept in step with the activities (a few rows a member).
        source = ActivityTotal
        joined = and_(ActivityTotal.user_id == Membership.user_id, ActivityTotal.sport.in_(sports))
        count = func.coalesce(func.sum(ActivityTotal.activities), 0).label("activities")
    else:
        source = Activity
        joined = and_(Activity.user_id == Membership.user_id, Activity.sport.in_(sports),
                      Activity.visibility.in_(COUNTED_VISIBILITIES),
                      Activity.started_at >= window.start, Activity.started_at < window.end)
        count = func.count(Activity.id).label("activities")
    distance = func.coalesce(func.sum(source.distance_m), 0).label("distance_m")
    duration = func.coalesce(func.sum(source.duration_s), 0).label("duration_s")
    first = {"distance": distance, "activities": count, "time": duration}[sort]
    statement = (select(User.id, User.username, User.display_name, User.avatar_file, distance, count, duration)
                 .select_from(Membership)
                 .join(User, User.id == Membership.user_id)
                 .outerjoin(source, joined)
                 .where(Membership.group_id == group.id)
                 .group_by(User.id, User.username, User.display_name, User.avatar_file)
                 .order_by(first.desc(), distance.desc(), User.username))
    goal = group.weekly_goal_m if window.name == "week" else None
    board = Board(group=group, period=window, sort=sort)
    previous, rank = None, 0
    for position, row in enumerate(db.session.execute(statement), start=1):
        measures = (int(row.distance_m), int(row.activities), int(row.duration_s))
        entry = Row(user=PersonRow(row.id, row.username, row.display_name, row.avatar_file),
                    distance_m=measures[0], activities=measures[1], duration_s=measures[2],
                    goal_met=(measures[0] >= goal) if goal else None)
        key = {"distance": measures[0], "activities": measures[1], "time": measures[2]}[sort]
        if key != previous:
            rank, previous = position, key
        entry.rank = rank
        board.rows.append(entry)
    return board


def goal_messages(board: Board, unit: str = "km") -> list[str]:
    """"Wanjiru reached 25 km this week" for each member past the weekly goal."""
    if board.period.name != "week":
        return []
    messages = []
    if board.group.weekly_goal_m:
        goal = units.format_distance(board.group.weekly_goal_m, unit, compact=True)
        messages = [_l("%(name)s reached %(goal)s this week", name=row.user.display_name, goal=goal)
                    for row in board.rows if row.goal_met]
    if board.goal_reached:
        messages.insert(0, _l("Together the group passed its goal of %(goal)s this week",
                              goal=units.format_distance(board.group_goal.goal_m, unit, compact=True)))
    return messages


# A member's own figures -----------------------------------------------------------------------

@dataclass
class Week:
    first_day: date
    distance_m: int = 0
    activities: int = 0
    duration_s: int = 0


def _by_week(windows: list[periods.Period], *conditions, join=None) -> list[Week]:
    """Totals of the activities matching `conditions` in each window, oldest first: one query."""
    bucket = case(*[(and_(Activity.started_at >= w.start, Activity.started_at < w.end), index)
                    for index, w in enumerate(windows)], else_=-1).label("week")
    inner = select(bucket, Activity.distance_m, Activity.duration_s)
    if join is not None:
        inner = inner.join(*join)
    inner = inner.where(*conditions, Activity.started_at >= windows[0].start,
                        Activity.started_at < windows[-1].end).subquery()
    rows = db.session.execute(select(inner.c.week, func.sum(inner.c.distance_m), func.count(),
                                     func.sum(inner.c.duration_s)).group_by(inner.c.week)).all()
    result = [Week(first_day=w.first_day) for w in windows]
    for index, distance, count, duration in rows:
        if 0 <= index < len(result):
            result[index] = Week(windows[index].first_day, int(distance or 0), int(count), int(duration or 0))
    return result


def weekly_totals(user: User, weeks: int = 12, now: datetime | None = None) -> list[Week]:
    """The member's totals for each of the last `weeks` weeks (all their
    activities, in their time zone), oldest first: one query."""
    return _by_week(periods.last_weeks(user.timezone or "UTC", weeks, now), Activity.user_id == user.id)


def group_weekly_totals(group: Group, weeks: int = 12, now: datetime | None = None) -> list[Week]:
    """The group's totals for each of the last `weeks` weeks (its weeks, in
    its time zone): what counts for it, as on its leaderboard. One query."""
    joined, *conditions = counted(group, COUNTED_VISIBILITIES)
    return _by_week(periods.last_weeks(group.timezone, weeks, now), *conditions, join=(Membership, joined))


def chart_summary(weeks: list[Week], goal_m: int | None, basis: str | None = None) -> dict:
    """The weekly chart's figures for the API (kilometres)."""
    return {"goal_km": units.km(goal_m) if goal_m else None, "goal_basis": basis,
            "weeks": [{"first_day": w.first_day, "distance_km": units.km(w.distance_m), "activities": w.activities,
                       "duration_s": w.duration_s, "goal_met": w.distance_m >= goal_m if goal_m else None}
                      for w in weeks]}


@dataclass
class Streaks:
    current: int = 0
    longest: int = 0
    active_days: int = 0


def streaks(user: User, now: datetime | None = None) -> Streaks:
    """Days in a row with at least one activity (the member's calendar days).
    The current streak is still alive if the last active day was yesterday."""
    days = list(db.session.scalars(select(Activity.started_on).where(Activity.user_id == user.id)
                                   .group_by(Activity.started_on).order_by(Activity.started_on)))
    result = Streaks(active_days=len(days))
    run, previous = 0, None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        result.longest = max(result.longest, run)
        previous = day
    today = periods.local_today(user.timezone or "UTC", now)
    if previous is not None and (today - previous).days <= 1:
        result.current = run
    return result


def personal_bests(user: User) -> list[dict]:
    """Per sport: longest distance, longest time, best pace (over 1 km or
    more), totals: one query."""
    pace = func.min(case((Activity.distance_m >= 1000,
                          cast(Activity.duration_s, Float) / cast(Activity.distance_m, Float))))
    rows = db.session.execute(
        select(Activity.sport, func.max(Activity.distance_m), func.max(Activity.duration_s), pace,
               func.count(), func.sum(Activity.distance_m), func.sum(Activity.duration_s),
               func.max(Activity.elevation_gain_m))
        .where(Activity.user_id == user.id).group_by(Activity.sport).order_by(Activity.sport)
    ).all()
    return [{"sport": sport, "longest_m": int(longest or 0), "longest_s": int(longest_s or 0),
             "best_seconds_per_m": float(best) if best is not None else None, "count": int(count),
             "total_m": int(total or 0), "total_s": int(total_s or 0),
             "most_climb_m": int(climb) if climb is not None else None}
            for sport, longest, longest_s, best, count, total, total_s, climb in rows]
