"""Fixtures for events: events made through the real service."""

from __future__ import annotations

import pytest

from tests.events.fixtures import live_event, make_event  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD


@pytest.fixture
def client_for(app):
    """A separate browser signed in as `user`."""

    def make(user):
        browser = app.test_client()
        response = browser.submit("/login", {"login": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return browser

    return make
