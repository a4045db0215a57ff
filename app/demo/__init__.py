"""Demo data for `flask seed-demo`: a small, believable educator community.

Each feature adds a `seed_*` step to STEPS; steps run in order and receive
what earlier steps made (the educators, by username).
"""

from __future__ import annotations

import click
from flask import Flask

from app.accounts import services as accounts
from app.demo import community, events, forum, groups, library, people, people_extra, programmes

STEPS = [people.seed_educators, library.seed_library, groups.seed_groups, forum.seed_forum, events.seed_events,
         programmes.seed_programmes, people_extra.seed_people_extra]


def seed(echo) -> dict:
    context: dict = {}
    for step in STEPS:
        step(context, echo)
    return context


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Add demo data even though the database has users.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has users.")
@click.option("--scale", type=click.Choice(["demo", "community"]), default="demo", show_default=True,
              help="community: the demo, then 10,000 members and their content on top (minutes).")
@click.option("--factor", type=click.FloatRange(0.0001, 10), default=1.0, show_default=True,
              help="With --scale community: multiply every count by this (0.01 for a quick try).")
def seed_demo(force: bool, if_empty: bool, scale: str, factor: float) -> None:
    """Fill an empty database with demo educators and their content."""
    if accounts.count_users() and not force:
        if if_empty:
            click.echo("The database already has users; demo data not loaded.")
            return
        raise click.ClickException("The database already has users. Use --force to add demo data anyway.")
    seed(click.echo)
    if scale == "community":
        community.seed_community(factor, click.echo)


def register(app: Flask) -> None:
    """`flask seed-demo`."""
    app.cli.add_command(seed_demo)
