"""The email digest: a daily or weekly summary of a member's unread
notifications, queued by `flask digest send --period daily|weekly` (run it
from cron) and sent by the mail sender loop. Members choose the period on
their settings page, or stop it from the mail's unsubscribe link."""

from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask.cli import AppGroup
from flask_babel import lazy_ngettext
from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.i18n import for_member
from app.mail import outbox, unsubscribe
from app.mail.models import MailOutbox
from app.notifications.models import Notification
from app.people.models import PeopleSettings

log = logging.getLogger(__name__)
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
digest_cli = AppGroup("digest", help="Email digests of unread notifications.")


def compose(user: User, since) -> MailOutbox | None:
    """Queue the digest mail for one member (the caller commits), or None
    when there is nothing new."""
    items = list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None), Notification.created_at > since)
        .order_by(Notification.created_at.desc()).limit(50)))
    if not items:
        return None
    subject = lazy_ngettext("Staffroom: %(num)s new notification", "Staffroom: %(num)s new notifications", len(items))
    with for_member(user):  # each notification in the reader's language
        listed = [{"text": item.text, "link": outbox.link_to(item.url)} for item in items]
    return outbox.queue(user, "digest", subject, {"items": listed},
                        kind="digest", unsubscribe_kind=unsubscribe.DIGEST)


def send_digests(period: str, now=None) -> dict[str, int]:
    """Queue each due member's digest; the mail sender loop sends them."""
    now = now or utcnow()
    window = PERIODS[period]
    rows = db.session.execute(select(PeopleSettings, User).join(User, User.id == PeopleSettings.user_id)
                              .where(PeopleSettings.digest == period, User.suspended_at.is_(None))).all()
    counts = {"members": len(rows), "composed": 0}
    for settings, user in rows:
        since = settings.last_digest_at or now - window
        if settings.last_digest_at and now - settings.last_digest_at < window - timedelta(hours=1):
            continue  # sent recently: a second run the same day does not repeat it
        # Queued in the same transaction as last_digest_at: both happen, or neither.
        if compose(user, since) is not None:
            counts["composed"] += 1
        settings.last_digest_at = now
    db.session.commit()
    return counts


@digest_cli.command("send")
@click.option("--period", type=click.Choice(sorted(PERIODS)), required=True)
def send_command(period: str) -> None:
    """Queue the daily or weekly digest for the members who chose it."""
    counts = send_digests(period)
    click.echo(f"{counts['composed']} digest(s) composed for {counts['members']} member(s) "
               "and queued for the mail sender.")
