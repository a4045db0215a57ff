"""Notifications: stored for each member, pushed live to their open pages,
batched into mail."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.mail import sender as mail_sender
from app.notifications import api, mail, views


def register(app: Flask) -> None:
    """The page, the header's unread badge, the API, delivery after each
    request of what it notified, and notification mail batched at the start
    of each round of the mail sender."""
    app.register_blueprint(views.bp)
    app.jinja_env.globals["unread_notifications"] = views.unread_badge
    app.after_request(views.deliver_after_request)
    extensions.api.register_blueprint(api.blp)
    mail_sender.add_round_job(app, mail.queue_due)
