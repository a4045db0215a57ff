"""Private messages between members: conversations of up to ten people."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.messages import api, views


def register(app: Flask) -> None:
    """The pages, the header's unread badge and the API."""
    app.register_blueprint(views.bp)
    app.jinja_env.globals["unread_messages"] = views.unread_badge
    extensions.api.register_blueprint(api.blp)
