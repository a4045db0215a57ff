"""Notifications: stored for each member, pushed live to their open pages,
batched into mail."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.notifications import api, views


def register(app: Flask) -> None:
    """The page, the header's unread badge, the API, and delivery after each
    request of what it notified."""
    app.register_blueprint(views.bp)
    app.jinja_env.globals["unread_notifications"] = views.unread_badge
    app.after_request(views.deliver_after_request)
    extensions.api.register_blueprint(api.blp)
