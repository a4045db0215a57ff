"""Fixtures for groups and fitness: groups and activities made through the
real services, signed-in browsers and API clients per member."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.groups import activities, periods, services
from tests import helpers

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def make_group(make_user):
    def make(owner=None, **fields):
        defaults = {"name": "Staffroom Runners", "focus": "running", "weekly_goal_m": 25_000,
                    "timezone": "Europe/London"}
        defaults.update(fields)
        return services.create_group(owner or make_user(), **defaults)

    return make


@pytest.fixture
def log_run():
    """Log an activity through the service, `ago` before now; by default a
    minute ago, but never before this week began in London (most test
    groups' zone), so "this week" tests pass on Monday mornings too."""

    def log(user, km: float = 5, minutes: float | None = None, ago: timedelta | None = None, started_at=None,
            **fields):
        fields.setdefault("sport", "run")
        fields.setdefault("visibility", "groups")
        if started_at is None:
            now = datetime.now(timezone.utc)
            started_at = now - ago if ago is not None else max(
                now - timedelta(minutes=1), periods.period("week", "Europe/London", now).start + timedelta(seconds=1))
        minutes = minutes if minutes is not None else km * 6  # 6:00 /km
        return activities.log_activity(user, distance_m=int(round(km * 1000)), duration_s=int(minutes * 60),
                                       started_at=started_at, **fields)

    return log


@pytest.fixture
def count_queries(app):
    return helpers.count_queries


def gpx_fixture(name: str = "loop_5km.gpx") -> bytes:
    return (FIXTURES / name).read_bytes()
