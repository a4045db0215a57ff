"""What every JSON endpoint shares: bearer-token auth, CSRF for cookie
callers, pagination and the OpenAPI security scheme."""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask import Flask, g, request
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.errors import json_error
from app.exceptions import AuthenticationFailed
from app.extensions import api, csrf, db

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The OpenAPI security requirement of endpoints that need a signed-in caller.
BEARER = [{"bearerAuth": []}]
MAX_PER_PAGE = 100


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or ""


def authenticate_api_request():
    """Runs before every /api/ request.

    A bearer token, when sent, wins over any session cookie (and a bad one
    is a 401, not a silent fall back to the cookie). Callers that ride on the
    session cookie must send the CSRF token on unsafe methods, like a form.
    """
    if not request.path.startswith("/api/"):
        return None
    if "Authorization" in request.headers:
        token = _bearer_token()
        row = accounts.token_row(token) if token is not None else None
        if row is None:
            return json_error(401, "That API token is not valid, or it was revoked.")
        accounts.touch_token(row)
        g._login_user = row.user  # Flask-Login reads the user from here
        g.api_token = row
        return None
    if request.method in UNSAFE_METHODS and current_user.is_authenticated:
        csrf.protect()
    return None


def register_api_hooks(app: Flask) -> None:
    app.before_request(authenticate_api_request)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "POST /api/v1/tokens"}
    )


def exempt_from_form_csrf(blueprint) -> None:
    """API blueprints check CSRF themselves (above): bearer callers need none."""
    csrf.exempt(blueprint)


def login_required(view):
    """401 in the API's error format unless someone is signed in."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            raise AuthenticationFailed("Sign in, or send a valid API token.")
        return view(*args, **kwargs)

    return wrapper


# Pagination -------------------------------------------------------------------

class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE))


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A list envelope {items, page, per_page, total} around `item_schema`."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
            "total": ma.fields.Integer(),
        },
        name=name,
    )


def paginate(statement, page: int, per_page: int) -> dict:
    """Run a select for one page and count the whole; returns the envelope."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "page": page, "per_page": per_page, "total": total or 0}
