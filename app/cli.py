"""Flask commands: `flask seed-demo`, `flask users ...`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app import demo
from app.accounts import services as accounts
from app.exceptions import ServiceError

users_cli = AppGroup("users", help="Manage educator accounts.")


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Add demo data even though the database has users.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has users.")
def seed_demo(force: bool, if_empty: bool) -> None:
    """Fill an empty database with demo educators and their content."""
    if accounts.count_users() and not force:
        if if_empty:
            click.echo("The database already has users; demo data not loaded.")
            return
        raise click.ClickException("The database already has users. Use --force to add demo data anyway.")
    demo.seed(click.echo)


@users_cli.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--email", prompt=True)
@click.option("--display-name", prompt="Display name")
@click.option("--country", prompt="Country (ISO code, e.g. GB)")
@click.password_option()
def create_admin(username: str, email: str, display_name: str, country: str, password: str) -> None:
    """Create an administrator account."""
    try:
        user = accounts.register(username=username, email=email, password=password,
                                 display_name=display_name, country=country, role="admin")
    except ServiceError as error:
        details = "; ".join(f"{field}: {message}" for field, message in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from error
    click.echo(f"Admin {user.username} created.")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(["member", "moderator", "admin"]))
def set_role(username: str, role: str) -> None:
    """Make a member a moderator or admin, or back."""
    user = accounts.get_by_username(username)
    if user is None:
        raise click.ClickException(f"No user {username}.")
    accounts.set_role(user, role)
    click.echo(f"{user.username} is now {role}.")


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(users_cli)
