"""Fixtures for private messages: rate limits that start afresh with each test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Message rate limits are counted per user id in memory; ids restart with each test's database."""
    from app.live import support  # noqa: PLC0415

    support.reset_limits()
    yield
    support.reset_limits()
