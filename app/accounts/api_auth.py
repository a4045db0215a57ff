"""Who is calling the JSON API: a bearer token, or the session cookie.

Runs before every /api/ request (accounts.register adds it). A bearer
token, when sent, wins over any session cookie (and a bad one is a 401, not
a silent fall back to the cookie). Callers that ride on the session cookie
must send the CSRF token on unsafe methods, like a form.
"""

from __future__ import annotations

from flask import g, request
from flask_login import current_user

from app import login_state
from app.accounts import services as accounts
from app.errors import json_error
from app.extensions import csrf
from app.i18n import N_

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or ""


def authenticate_api_request():
    if not request.path.startswith("/api/"):
        return None
    if "Authorization" in request.headers:
        token = _bearer_token()
        row = accounts.token_row(token) if token is not None else None
        if row is None:
            return json_error(401, N_("That API token is not valid, or it was revoked."))
        accounts.touch_token(row)
        login_state.use_for_this_request(row.user)
        g.api_token = row
        return None
    if request.method in UNSAFE_METHODS and current_user.is_authenticated:
        csrf.protect()
    return None
