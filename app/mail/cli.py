"""`flask mail worker` and `flask mail status`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app import background
from app.mail import sender

mail_cli = AppGroup("mail", help="The mail outbox.")


@mail_cli.command("worker")
@click.option("--once", is_flag=True, help="Send what is due and stop.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between checks for due mail.")
def worker_command(once: bool, poll: float) -> None:
    """Send queued mail as it comes (run one or more beside web processes
    that have MAIL_WORKER=off)."""
    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not set: mail is written to instance/mail/*.eml")
    background.run_in_foreground(sender.tick, once=once, poll=poll,
                                 report=lambda sent: click.echo(f"sent {sent} mail(s)"))


@mail_cli.command("status")
def status_command() -> None:
    """How many mails are queued, sent, failed and dropped."""
    for name, count in sender.status().items():
        click.echo(f"{name:<8} {count:>8}")
