"""Groups: clubs, roles, activities (by hand or GPX), goals, leaderboards,
challenges, kudos and comments."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.groups import (
    activity_api,  # noqa: F401 (adds its endpoints to api.blp)
    activity_views,  # noqa: F401 (adds its pages to views.bp)
    api,
    searchable,
    views,
)


def register(app: Flask) -> None:
    """The pages, the API, groups in search (and who may see private ones)."""
    app.register_blueprint(views.bp)
    extensions.api.register_blueprint(api.blp)
    searchable.register_searchable()
