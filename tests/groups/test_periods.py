"""Weeks in the group's time zone: bounds computed with zoneinfo, compared in UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from app.groups import periods, stats

SYDNEY = ZoneInfo("Australia/Sydney")


def test_a_sydney_monday_morning_run_counts_in_the_new_week_in_sydney_and_the_old_week_in_utc(
        make_user, make_group, log_run):
    # Monday 2 March 2026, 00:30 in Sydney (AEDT, UTC+11) is still Sunday 1 March, 13:30 in UTC.
    runner = make_user(timezone="Australia/Sydney")
    started = datetime(2026, 3, 2, 0, 30, tzinfo=SYDNEY)
    assert started.astimezone(timezone.utc).weekday() == 6  # Sunday in UTC
    sydney = make_group(runner, name="Harbourside Runners", timezone="Australia/Sydney")
    utc = make_group(runner, name="Everywhere Runners", timezone="UTC")
    log_run(runner, km=10, started_at=started)

    during = datetime(2026, 3, 4, 12, 0, tzinfo=timezone.utc)  # Wednesday, in both zones
    week_after = stats.leaderboard(sydney, "week", now=during)
    assert week_after.period.first_day == date(2026, 3, 2)
    assert week_after.rows[0].distance_m == 10_000

    assert stats.leaderboard(utc, "week", now=during).rows[0].distance_m == 0
    before = datetime(2026, 2, 28, 12, 0, tzinfo=timezone.utc)  # Saturday: the UTC week of 23 Feb-1 Mar
    utc_before = stats.leaderboard(utc, "week", now=before)
    assert utc_before.period.first_day == date(2026, 2, 23)
    assert utc_before.rows[0].distance_m == 10_000
    assert stats.leaderboard(sydney, "week", now=before).rows[0].distance_m == 0


def test_week_bounds_are_local_midnights_in_utc():
    week = periods.week_of(date(2026, 3, 4), "Australia/Sydney")
    assert week.start == datetime(2026, 3, 1, 13, 0, tzinfo=timezone.utc)  # Mon 00:00 AEDT
    assert week.end == datetime(2026, 3, 8, 13, 0, tzinfo=timezone.utc)
    assert (week.first_day, week.last_day) == (date(2026, 3, 2), date(2026, 3, 8))


def test_a_week_with_a_daylight_saving_change_is_167_or_169_hours():
    spring = periods.week_of(date(2026, 3, 29), "Europe/London")  # clocks go forward on Sunday 29 March
    assert spring.end - spring.start == timedelta(hours=167)
    autumn = periods.week_of(date(2026, 4, 6), "Australia/Sydney")  # clocks go back on Sunday 5 April
    assert periods.week_of(date(2026, 4, 5), "Australia/Sydney").end - \
        periods.week_of(date(2026, 4, 5), "Australia/Sydney").start == timedelta(hours=169)
    assert autumn.end - autumn.start == timedelta(hours=168)


def test_month_and_last_weeks():
    month = periods.month_of(date(2026, 2, 14), "America/Chicago")
    assert (month.first_day, month.last_day) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month.start == datetime(2026, 2, 1, 6, 0, tzinfo=timezone.utc)
    weeks = periods.last_weeks("UTC", 12, now=datetime(2026, 3, 4, tzinfo=timezone.utc))
    assert len(weeks) == 12 and weeks[-1].first_day == date(2026, 3, 2) and weeks[0].first_day == date(2025, 12, 15)
    assert all(a.end == b.start for a, b in zip(weeks, weeks[1:], strict=False))
