"""`flask events send-reminders`: the events scheduler run from cron, or
with --every as a long-running process (app/events/reminders.py)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.events import reminders

events_cli = AppGroup("events", help="Event reminders and TweetMeet questions.")


@events_cli.command("send-reminders")
@click.option("--every", type=float, default=0, help="Keep running, a tick every N seconds (0: once).")
def send_reminders_command(every: float) -> None:
    """Reminders (24 h and 1 h before), due TweetMeet questions, archived transcripts into search."""
    emit = reminders.cli_emitter(current_app)
    while True:
        done = reminders.tick(emit=emit)
        click.echo(f"reminders sent {done['reminders']}, questions posted {done['questions']}, "
                   f"transcripts indexed {done['transcripts']}")
        if not every:
            return
        time.sleep(every)
