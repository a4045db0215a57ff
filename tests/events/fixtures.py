"""Event fixtures shared by tests/events and tests/live: events made through
the real service. Import them into a test module or conftest to use them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.db_types import utcnow
from app.events import services
from app.events.models import Event
from app.extensions import db


@pytest.fixture
def make_event(make_user):
    """Create an event through `services.create_event`; `organiser` defaults
    to a new member, the start to two days from now."""
    counter = iter(range(1, 100_000))

    def make(organiser=None, **fields):
        n = next(counter)
        defaults = {"title": f"Connection call {n}", "kind": "connection_call", "duration_min": 60,
                    "starts_at": utcnow() + timedelta(days=2), "description": "Updates and *celebrations*."}
        defaults.update(fields)
        return services.create_event(organiser or make_user(), **defaults)

    return make


def at_utc(hour: int, minute: int = 0, days: int = 3) -> datetime:
    """A start `days` from now at a fixed UTC time of day: reminders that say
    "today" or "tomorrow" then say the same whenever the tests run."""
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=minute, second=0, microsecond=0)


def move(event: Event, starts_at, duration_min: int | None = None) -> Event:
    """Put an event at another time directly (the service refuses starts in the past)."""
    event.starts_at = starts_at
    if duration_min is not None:
        event.duration_min = duration_min
    event.ends_at = event.starts_at + timedelta(minutes=event.duration_min)
    db.session.commit()
    return event


@pytest.fixture
def live_event(make_event, make_user):
    """A connection call whose room is open now."""

    def make(organiser=None, **fields):
        event = make_event(organiser, **fields)
        return move(event, utcnow() - timedelta(minutes=5))

    return make
