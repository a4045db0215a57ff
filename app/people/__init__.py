"""People: the home page, the member directory, follows, settings,
notification preferences, the email digest and "my data"."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.mail import unsubscribe
from app.people import api, digest, mail_settings, views


def register(app: Flask) -> None:
    """The pages, the people look-up API, `flask digest`, and what an unsubscribe link in a mail stops."""
    app.register_blueprint(views.bp)
    extensions.api.register_blueprint(api.blp)
    app.cli.add_command(digest.digest_cli)
    unsubscribe.use_settings(app, mail_settings.SETTINGS)
