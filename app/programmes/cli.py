"""`flask programmes announce`: announce due cohorts from cron (the pages
do the same on every programme page view)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.notifications import services as notifications
from app.programmes import services

programmes_cli = AppGroup("programmes", help="Expert cohorts and their announcements.")


@programmes_cli.command("announce")
def announce_command() -> None:
    """Announce every cohort whose announcement time has passed (safe to repeat)."""
    done = services.announce_due()
    notifications.deliver_pending()
    for cohort in done:
        click.echo(f"Announced {cohort.school_year}: applicants notified.")
    if not done:
        click.echo("Nothing to announce.")
