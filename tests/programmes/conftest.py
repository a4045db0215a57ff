"""Fixtures for the programmes: a frozen programme clock, cohorts made
through the real service, and browsers signed in as a given member.

`clock.at(when)` sets the time every programme service and page reads
(`app.programmes.clock.utcnow`), so deadlines can be crossed by one second.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.programmes import applications, reviews, services
from app.programmes import clock as programme_clock

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)  # a Monday in winter (no DST anywhere in Europe)
OPENS = NOW - timedelta(days=1)
CLOSES = NOW + timedelta(days=10)
ANNOUNCE = NOW + timedelta(days=30)
QUESTIONS = [
    {"text": "How has technology changed learning in your classroom?", "help": "One example.", "max_length": 500},
    {"text": "How do you share with colleagues?", "max_length": 500},
    {"text": "What would you do as an expert?", "max_length": 300},
    {"text": "Anything else?", "required": False, "max_length": 300},
]


class FrozenClock:
    def __init__(self, when: datetime):
        self.now = when

    def at(self, when: datetime) -> datetime:
        self.now = when
        return when

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    frozen = FrozenClock(NOW)
    monkeypatch.setattr(programme_clock, "utcnow", frozen)
    return frozen


@pytest.fixture
def admin(make_user):
    return make_user("prog_admin", role="admin", display_name="Programme Admin")


@pytest.fixture
def make_cohort(admin):
    """A cohort relative to NOW: open from OPENS to CLOSES, announced at ANNOUNCE."""

    def make(school_year: str = "2026-2027", *, opens=OPENS, closes=CLOSES, announce=ANNOUNCE, questions=None):
        return services.create_cohort(
            admin, school_year=school_year, questions=questions or QUESTIONS,
            nominations_open_at=opens, nominations_close_at=closes, review_starts_at=closes + timedelta(hours=1),
            review_ends_at=announce - timedelta(hours=1), announce_at=announce)

    return make


@pytest.fixture
def answered(clock):
    """An application with every required question answered (at NOW)."""

    def make(cohort, user):
        application = applications.start(cohort, user, now=NOW)
        fields = {q.id: applications.FieldSave(f"My answer to {q.text}", 0) for q in cohort.questions if q.required}
        applications.save_answers(application, user, fields, now=NOW)
        return application

    return make


@pytest.fixture
def submitted(answered):
    def make(cohort, user, decision: str | None = None, decided_by=None):
        application = applications.submit(answered(cohort, user), user, now=NOW)
        if decision:
            reviews.decide(decided_by, application.id, decision, now=NOW)
        return application

    return make
