"""Weekly time windows ("weekdays 14:00-15:00 in Asia/Riyadh") and their
overlap, computed in UTC with zoneinfo.

Each window is expanded into real UTC intervals over one reference week
(Monday to Sunday of the week after `today`), so daylight saving time in
either zone is taken as it will be that week.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from flask_babel import gettext, pgettext

from app.i18n import current_locale

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # data (the export); pages use day_names()
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)
Interval = tuple[datetime, datetime]


def reference_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def utc_intervals(zone: str, weekdays: list[int], start_minute: int, end_minute: int,
                  monday: date) -> list[Interval]:
    tz = ZoneInfo(zone)
    intervals = []
    for day in sorted(set(weekdays)):
        local_day = monday + timedelta(days=day)
        midnight = datetime.combine(local_day, time(0), tzinfo=tz)
        start = (midnight + timedelta(minutes=start_minute)).astimezone(timezone.utc)
        end = (midnight + timedelta(minutes=end_minute)).astimezone(timezone.utc)
        intervals.append((start, end))
    return intervals


def overlap(first: list[Interval], second: list[Interval]) -> list[Interval]:
    shared = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                shared.append((start, end))
    return sorted(shared)


def overlap_minutes(shared: list[Interval]) -> int:
    return int(sum((end - start).total_seconds() for start, end in shared) // 60)


def minute_label(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def day_names() -> list[str]:
    """Monday to Sunday, abbreviated in the request's language (Babel): Mon, lun, الاثنين."""
    names = get_day_names("abbreviated", locale=current_locale())
    return [names[day] for day in range(7)]


def _days_text(weekdays) -> str:
    days = sorted(set(weekdays))
    if days == [0, 1, 2, 3, 4]:
        return gettext("Weekdays")
    if days == list(range(7)):
        return gettext("Every day")
    names = day_names()
    return pgettext("between the days of a list", ", ").join(names[d] for d in days)


def window_label(weekdays: list[int], start_minute: int, end_minute: int) -> str:
    """The window on its own clock: "Weekdays 14:00-15:00"."""
    return f"{_days_text(weekdays)} {minute_label(start_minute)}-{minute_label(end_minute)}"


def window_in_zone(zone: str, weekdays: list[int], start_minute: int, end_minute: int, monday: date,
                   viewer_zone: str) -> str:
    """The window as a clock in `viewer_zone` shows it in the week from
    `monday`, with that zone's abbreviation: "Weekdays 12:00-13:00 CET".
    Its days can move ("Sun, Mon, Tue, Wed, Thu 22:00-23:00") and its end
    can fall on the next day ("23:00-01:00 next day")."""
    viewer = ZoneInfo(viewer_zone)
    groups: dict[tuple[str, str], list[int]] = {}
    names: list[str] = []
    for start, end in utc_intervals(zone, weekdays, start_minute, end_minute, monday):
        local_start, local_end = start.astimezone(viewer), end.astimezone(viewer)
        days_later = (local_end.date() - local_start.date()).days
        if days_later == 0:
            end_text = f"{local_end:%H:%M}"
        elif days_later == 1 and local_end.time() == time(0):
            end_text = "24:00"
        else:
            end_text = gettext("%(time)s next day", time=f"{local_end:%H:%M}")
        groups.setdefault((f"{local_start:%H:%M}", end_text), []).append(local_start.weekday())
        if local_start.tzname() not in names:
            names.append(local_start.tzname())
    windows = "; ".join(f"{_days_text(days)} {start}-{end}" for (start, end), days in groups.items())
    return f"{windows} {'/'.join(names)}"


def parse_minute(text: str) -> int | None:
    """"14:30" -> 870; "24:00" -> 1440; None when it is not a time."""
    # ASCII digits, at most two for the hour: isdigit() also let through a
    # 5,000-digit hour and "²", on which int() raised (a 500 from the API).
    match = _CLOCK.fullmatch((text or "").strip())
    if match is None:
        return None
    minutes = int(match.group(2))
    value = int(match.group(1)) * 60 + minutes
    return value if minutes < 60 and value <= 1440 else None
