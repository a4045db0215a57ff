"""`flask users`: administrator accounts and roles."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts import services as accounts
from app.exceptions import ServiceError

users_cli = AppGroup("users", help="Manage educator accounts.")


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
                                 display_name=display_name, country=country, role="admin",
                                 email_verified=True)  # made by whoever runs the server
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
