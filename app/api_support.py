"""What every JSON endpoint shares: pagination, bounded ids (in paths,
query strings and bodies), the signed-in check, and the parts of the
OpenAPI document that follow from those (security scheme, common error
responses). Who the caller is (bearer token or cookie) is decided before
the request reaches an endpoint: app/accounts/api_auth.py."""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from apispec import BasePlugin
from flask import Flask, request
from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from app import field_messages
from app.exceptions import AuthenticationFailed
from app.extensions import api, csrf, db
from app.i18n import N_
from app.params import MAX_ID, MAX_PAGE, parse_page

# The OpenAPI security requirement of endpoints that need a signed-in caller.
BEARER = [{"bearerAuth": []}]
MAX_PER_PAGE = 100


class IdConverter(IntegerConverter):
    """`<int:...>` bounded to what an id column holds.

    Werkzeug's own accepts any number of digits, and an id past the column's
    range made the database driver raise (OverflowError on SQLite, "integer
    out of range" on PostgreSQL): a 500 for what is simply "no such thing".
    Such an id is now a 404 for every method (a plain ValidationError would
    make Werkzeug answer 405 on PATCH and DELETE), and the OpenAPI document
    states the range (flask-smorest reads `max` from the converter).
    """

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's parameter names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


class CommonErrorsPlugin(BasePlugin):
    """Documents the errors that follow from an operation's shape rather
    than from its own rules, so no endpoint can forget them:

    - it needs a token (`security`): 401 when the token is missing or bad;
    - its path names something (`{id}`): 404 when that does not exist;
    - it takes a body: 400 when the body is not valid JSON at all.
    """

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            if not isinstance(operation, dict):
                continue
            implied = []
            if operation.get("security"):
                implied.append(("401", "UNAUTHORIZED"))
            if path and "{" in path:
                implied.append(("404", "NOT_FOUND"))
            if "requestBody" in operation:
                implied.append(("400", "BAD_REQUEST"))
            responses = operation.setdefault("responses", {})
            declared = {str(code) for code in responses}  # flask-smorest keys may be ints
            for code, name in implied:
                if code not in declared:
                    responses[code] = name


def register_api_hooks(app: Flask) -> None:
    """Before the API blueprints register: their documentation picks up the
    security scheme and the common error responses. (`create_app` installs
    IdConverter before any blueprint, pages included.)"""
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "POST /api/v1/tokens"}
    )
    plugin = CommonErrorsPlugin()
    plugin.init_spec(api.spec)
    api.spec.plugins.append(plugin)


def exempt_from_form_csrf(blueprint) -> None:
    """API blueprints check CSRF themselves (above): bearer callers need none."""
    csrf.exempt(blueprint)


def api_login_required(view):
    """401 in the API's error format unless someone is signed in.

    Also documents the endpoint as needing a token (`security`), from which
    CommonErrorsPlugin lists the 401: one decorator says it all.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            raise AuthenticationFailed(N_("Sign in, or send a valid API token."))
        return view(*args, **kwargs)

    return Blueprint.doc(security=BEARER)(wrapper)


# Ids and pages in query strings and bodies ---------------------------------------

_ID_RANGE = ma.validate.Range(min=1, max=MAX_ID, error=field_messages.ID_RANGE)


class Id(ma.fields.Integer):
    """An id a request names: a number past what the column holds (or below
    1) is a 422 naming the field, as IdConverter makes it a 404 in a path,
    and the OpenAPI document states the range."""

    def __init__(self, **kwargs):
        super().__init__(validate=_ID_RANGE, **kwargs)


class Page(ma.fields.Integer):
    """A page number: 1 up to MAX_PAGE, the same bound the pages use."""

    def __init__(self, **kwargs):
        kwargs.setdefault("load_default", 1)
        super().__init__(validate=ma.validate.Range(min=1, max=MAX_PAGE), **kwargs)


class FileUpload(Upload):
    """A file in a multipart body. A plain form value sent under the file's
    name is a 422 for that field (the view would otherwise read it as a file
    and fail with a 500)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ma.ValidationError(N_("Send a file here."))
        return value


# Pagination -------------------------------------------------------------------

class PageArgs(ma.Schema):
    page = Page()
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
    """Run a select for one page and count the whole; returns the envelope
    (`pages`, at least 1, is for pages' pagers: the API schemas leave it out)."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "page": page, "per_page": per_page, "total": total, "pages": max(1, -(-total // per_page))}


def paginate_request(statement, per_page: int) -> dict:
    """The page of `statement` an HTML list's ?page=N asks for (a missing or bad N: page 1)."""
    return paginate(statement, parse_page(request.args.get("page")), per_page)
