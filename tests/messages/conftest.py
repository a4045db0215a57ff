"""Fixtures for private messages: rate limits that start afresh with each test."""

from __future__ import annotations

import pytest

from app import rate_limits


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Message rate limits are counted per user id in memory; ids restart with each test's database."""
    rate_limits.reset_limits()
    yield
    rate_limits.reset_limits()
