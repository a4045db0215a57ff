"""The forum: categories, threads, posts, Q&A, mentions, subscriptions,
moderation and the audit log."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.forum import (
    api,
    cli,
    media_api,  # noqa: F401 (adds its operations to api.blp)
    media_views,  # noqa: F401 (adds its route to views.bp)
    moderation_views,  # noqa: F401 (adds its pages to views.bp)
    searchable,
    views,
)


def register(app: Flask) -> None:
    """The pages, the API, `flask forum`, threads and replies in search."""
    app.register_blueprint(views.bp)
    extensions.api.register_blueprint(api.blp)
    app.cli.add_command(cli.forum_cli)
    searchable.register_searchable()
