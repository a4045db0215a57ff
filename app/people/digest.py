"""The email digest: a daily or weekly summary of a member's unread
notifications, sent by `flask digest send --period daily|weekly` (run it
from cron). Members choose the period on their settings page."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.people.models import PeopleSettings

log = logging.getLogger(__name__)
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
digest_cli = AppGroup("digest", help="Email digests of unread notifications.")

try:
    from app.notifications.models import Notification
except ImportError:  # pragma: no cover
    Notification = None


def compose(user: User, since) -> EmailMessage | None:
    """The digest email for one member, or None when there is nothing new."""
    if Notification is None:
        return None
    items = list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None), Notification.created_at > since)
        .order_by(Notification.created_at.desc()).limit(50)))
    if not items:
        return None
    config = current_app.config
    site = config["SITE_URL"].rstrip("/")
    message = EmailMessage()
    message["Subject"] = f"Staffroom: {len(items)} new notification{'s' if len(items) != 1 else ''}"
    message["From"] = config["MAIL_FROM"]
    message["To"] = user.email
    lines = [f"- {item.text}\n  {site}{item.url}" for item in items]
    message.set_content("\n".join(["Here is what happened on Staffroom:", "", *lines, "",
                                   f"Change or stop this digest: {site}/settings/people"]))
    return message


def send_digests(period: str, now=None) -> dict[str, int]:
    """Compose (and, when MAIL_SERVER is set, send) each due member's digest."""
    now = now or utcnow()
    window = PERIODS[period]
    rows = db.session.execute(select(PeopleSettings, User).join(User, User.id == PeopleSettings.user_id)
                              .where(PeopleSettings.digest == period, User.suspended_at.is_(None))).all()
    counts = {"members": len(rows), "composed": 0, "sent": 0}
    config = current_app.config
    for settings, user in rows:
        since = settings.last_digest_at or now - window
        if settings.last_digest_at and now - settings.last_digest_at < window - timedelta(hours=1):
            continue  # sent recently: a second run the same day does not repeat it
        message = compose(user, since)
        settings.last_digest_at = now
        if message is None:
            continue
        counts["composed"] += 1
        if config.get("MAIL_SERVER"):
            try:
                with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
                    if config.get("MAIL_USE_TLS"):
                        smtp.starttls()
                    if config.get("MAIL_USERNAME"):
                        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                    smtp.send_message(message)
                counts["sent"] += 1
            except (OSError, smtplib.SMTPException):
                log.exception("could not send the digest to user %s", user.id)
                settings.last_digest_at = since  # try again next run
    db.session.commit()
    return counts


@digest_cli.command("send")
@click.option("--period", type=click.Choice(sorted(PERIODS)), required=True)
def send_command(period: str) -> None:
    """Send the daily or weekly digest to the members who chose it."""
    counts = send_digests(period)
    note = "" if current_app.config.get("MAIL_SERVER") else " (MAIL_SERVER is not set: nothing was emailed)"
    click.echo(f"{counts['composed']} digest(s) composed for {counts['members']} member(s), "
               f"{counts['sent']} sent{note}.")


def register(app: Flask) -> None:
    app.cli.add_command(digest_cli)
