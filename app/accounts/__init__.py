"""Accounts: members, signing in and out, profiles, roles, suspension, API
tokens, server-side sessions, email verification and password resets."""

from __future__ import annotations

from flask import Flask

from app import extensions, i18n
from app.accounts import (
    api,
    api_auth,
    cli,
    gate,
    recovery_api,  # noqa: F401 (adds its endpoints to api.blp)
    recovery_views,  # noqa: F401 (adds its pages to views.bp)
    security_views,  # noqa: F401 (adds its pages to views.bp)
    services,
    views,
)
from app.mail import sender as mail_sender


def register(app: Flask) -> None:
    """Who is asking (API tokens; Flask-Login's loader and refusal), the
    account pages and their template flag, the API, `flask users`, and no
    mail to members suspended since it was queued."""
    app.before_request(api_auth.authenticate_api_request)
    login_manager = extensions.login_manager
    login_manager.login_view = "accounts.login"
    login_manager.login_message = views.SIGN_IN_FIRST
    login_manager.login_message_category = "info"
    login_manager.user_loader(views.load_user)
    login_manager.unauthorized_handler(views.unauthorized)
    app.register_blueprint(views.bp)
    app.jinja_env.globals["email_unconfirmed"] = gate.needs_verification
    extensions.api.register_blueprint(api.blp)
    app.cli.add_command(cli.users_cli)
    mail_sender.check_recipients_with(app, services.cannot_be_mailed)
    i18n.save_member_choice_with(services.set_locale)
