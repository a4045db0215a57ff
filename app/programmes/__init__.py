"""Programmes: yearly expert cohorts, showcase schools and the
collaboration board."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.programmes import (
    api,
    cli,
    collab_views,  # noqa: F401 (adds its pages to views.bp)
    review_views,  # noqa: F401 (adds its pages to views.bp)
    school_api,  # noqa: F401 (adds its endpoints to api.blp)
    school_views,  # noqa: F401 (adds its pages to views.bp)
    searchable,
    views,
)


def register(app: Flask) -> None:
    """The pages, the API, `flask programmes`, announcements in search (and
    who may see them early)."""
    app.register_blueprint(views.bp)
    extensions.api.register_blueprint(api.blp)
    app.cli.add_command(cli.programmes_cli)
    searchable.register_searchable()
