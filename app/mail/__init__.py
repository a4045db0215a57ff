"""Mail: every email the site sends goes through this package.

A feature calls `outbox.queue()` inside its own transaction; the mail is
rendered there and stored in `mail_outbox`, so it is sent if and only if the
change that caused it commits. `sender` drains the table over SMTP (or into
instance/mail/*.eml without MAIL_SERVER), retrying with backoff while the
server is away.
"""

from __future__ import annotations

from flask import Flask

from app.mail import cli, sender, views


def register(app: Flask) -> None:
    """The unsubscribe page, the sender thread (MAIL_WORKER=thread) and
    `flask mail`."""
    app.register_blueprint(views.bp)
    sender.register(app)
    app.cli.add_command(cli.mail_cli)
