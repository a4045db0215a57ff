"""Fixtures for private messages: members signed in through their own clients."""

from __future__ import annotations

import pytest

from tests.helpers import ApiClient


@pytest.fixture
def client_for(app):
    """A signed-in browser client for a member."""

    def make(user):
        client = app.test_client()
        response = client.submit("/login", {"login": user.username, "password": "correct-horse-battery"})
        assert response.status_code == 302
        return client

    return make


@pytest.fixture
def api_for(app):
    def make(user):
        api = ApiClient(app.test_client())
        api.login(user.username)
        return api

    return make


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Message rate limits are counted per user id in memory; ids restart with each test's database."""
    from app.live import support  # noqa: PLC0415

    support.reset_limits()
    yield
    support.reset_limits()
