"""Full-text search: the only package that imports Whoosh.

    from app.search import SearchIndex, SearchQuery, SearchResults, Hit, Document

`SearchIndex` is a library over a folder (no Flask, no database); the rest
of the package puts it to work for the app: what is searchable (registry),
the outbox and its worker, the search page and API.
"""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.search import api, views, worker
from app.search.engine import SearchIndex
from app.search.models import Document, Hit, SearchQuery, SearchResults

__all__ = ["Document", "Hit", "SearchIndex", "SearchQuery", "SearchResults", "register"]


def register(app: Flask) -> None:
    """The search page and API, and the thread that keeps the index current
    (`flask search` spans features: app/cli.py)."""
    app.register_blueprint(views.bp)
    extensions.api.register_blueprint(api.blp)
    worker.register(app)
