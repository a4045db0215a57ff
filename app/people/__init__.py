"""People: the home page, the member directory, follows, settings,
notification preferences, the email digest and "my data"."""

from __future__ import annotations

from flask import Flask

from app.people import digest, views


def register(app: Flask) -> None:
    """The pages and `flask digest`."""
    app.register_blueprint(views.bp)
    app.cli.add_command(digest.digest_cli)
