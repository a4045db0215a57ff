"""The resource library: files and links, upload checks, text jobs,
bookmarks, collections and import."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.resources import api, cli, searchable, text_jobs, views


def register(app: Flask) -> None:
    """The pages, the API, `flask resources`, resources in search, and the
    thread that reads uploads' text."""
    app.register_blueprint(views.bp)
    extensions.api.register_blueprint(api.blp)
    app.cli.add_command(cli.resources_cli)
    searchable.register_searchable()
    text_jobs.register(app)
