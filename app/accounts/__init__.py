"""Accounts: members, signing in and out, profiles, roles, suspension, API
tokens, server-side sessions, email verification and password resets."""

from __future__ import annotations

from flask import Flask

from app import extensions
from app.accounts import (
    api,
    cli,
    recovery_api,  # noqa: F401 (adds its endpoints to api.blp)
    recovery_views,  # noqa: F401 (adds its pages to views.bp)
    security_views,  # noqa: F401 (adds its pages to views.bp)
    views,
)


def register(app: Flask) -> None:
    """Sign-in (Flask-Login's loader and refusal), the account pages, the
    API and `flask users`."""
    login_manager = extensions.login_manager
    login_manager.login_view = "accounts.login"
    login_manager.login_message = views.SIGN_IN_FIRST
    login_manager.login_message_category = "info"
    login_manager.user_loader(views.load_user)
    login_manager.unauthorized_handler(views.unauthorized)
    app.register_blueprint(views.bp)
    extensions.api.register_blueprint(api.blp)
    app.cli.add_command(cli.users_cli)
