"""Events: connection calls, TweetMeets, meetups and webinars, with RSVPs,
calendars and live rooms."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.events import (
    api,
    cli,
    reminders,
    searchable,
    series_api,  # noqa: F401 (adds its endpoints to api.blp)
    series_views,  # noqa: F401 (adds its pages to views.bp)
    views,
)


def register(app: Flask) -> None:
    """The pages, the API, `flask events`, events in search, and the
    scheduler thread (reminders, due TweetMeet questions, transcripts)."""
    app.register_blueprint(views.bp)
    extensions.api.register_blueprint(api.blp)
    app.cli.add_command(cli.events_cli)
    searchable.register_searchable()
    reminders.register(app)
