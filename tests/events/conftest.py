"""Fixtures for events: events made through the real service."""

from __future__ import annotations

from tests.events.fixtures import live_event, make_event  # noqa: F401 (fixtures)
