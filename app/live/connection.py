"""Connecting to /live: a session cookie or an API token, or no socket at all.

Each member's sockets join their own room (`user:<id>`), which the rest of
the app pushes notifications and messages to.
"""

from __future__ import annotations

from flask import session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from app.accounts import services as accounts
from app.i18n import N_, translate
from app.live.support import SESSION_KEY
from app.push import user_room


def _user_from(auth):
    if isinstance(auth, dict) and auth.get("token"):
        row = accounts.token_row(str(auth["token"]))
        return row.user if row is not None else None
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def on_connect(auth=None):
    user = _user_from(auth)
    if user is None or not user.is_active:
        message = translate(N_("Sign in or send an API token."))
        raise ConnectionRefusedError({"code": "unauthorized", "message": message})
    # This is the socket's own copy of the session; it never reaches HTTP.
    session[SESSION_KEY] = user.id
    join_room(user_room(user.id))
