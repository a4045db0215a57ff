"""Weeks and months in a time zone, as UTC bounds for SQL.

Every query filters `started_at >= start AND started_at < end` with bounds
computed here with zoneinfo, so SQLite and PostgreSQL agree and daylight
saving changes are handled by the tz database, not by SQL. Weeks run Monday
00:00 to the next Monday 00:00 local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from app.db_types import utcnow

PERIODS = ("week", "month", "all")


@dataclass(frozen=True)
class Period:
    name: str  # week, month, all
    start: datetime | None  # UTC, inclusive; None for all time
    end: datetime | None  # UTC, exclusive
    first_day: date | None = None  # local
    last_day: date | None = None  # local, inclusive

    @property
    def label(self) -> str:
        if self.name == "week":
            return f"Week of {self.first_day:%d %b %Y}"
        if self.name == "month":
            return f"{self.first_day:%B %Y}"
        return "All time"


def local_midnight_utc(day: date, zone: str) -> datetime:
    """The UTC instant at which `day` begins in `zone`."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def local_today(zone: str, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(zone)).date()


def week_of(day: date, zone: str) -> Period:
    monday = day - timedelta(days=day.weekday())
    next_monday = monday + timedelta(days=7)
    return Period("week", local_midnight_utc(monday, zone), local_midnight_utc(next_monday, zone),
                  monday, next_monday - timedelta(days=1))


def month_of(day: date, zone: str) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period("month", local_midnight_utc(first, zone), local_midnight_utc(following, zone),
                  first, following - timedelta(days=1))


def period(name: str, zone: str, now: datetime | None = None) -> Period:
    """This week, this month or all time, in `zone`."""
    today = local_today(zone, now)
    if name == "week":
        return week_of(today, zone)
    if name == "month":
        return month_of(today, zone)
    return Period("all", None, None)


def last_weeks(zone: str, count: int, now: datetime | None = None) -> list[Period]:
    """The `count` weeks ending with this one, oldest first."""
    monday = week_of(local_today(zone, now), zone).first_day
    return [week_of(monday - timedelta(weeks=back), zone) for back in range(count - 1, -1, -1)]


def days_bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """UTC bounds of the local days first..last (inclusive)."""
    return local_midnight_utc(first, zone), local_midnight_utc(last + timedelta(days=1), zone)
