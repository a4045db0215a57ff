"""Extension objects, created unbound here and bound in `create_app`.

Keeping them here (not in `app/__init__.py`) lets every feature import
`db`, `socketio` and friends without an import cycle.

`init_limiter` is the one place that touches Flask-Limiter's private
state, and `StaffroomApi` the one that defers flask-smorest's documenting
(both libraries are pinned exactly; tests/test_library_pins.py).
"""

from __future__ import annotations

import sqlite3
import threading
from functools import partial

import marshmallow as ma
from flask import Flask, current_app, request
from flask.globals import request_ctx
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names on SQLite and PostgreSQL, so migrations can drop
# and alter constraints by name on both.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class ErrorSchema(ma.Schema):
    """The one error body of the API: {"error": {"code", "message", "fields"}}."""

    error = ma.fields.Nested(ErrorDetailSchema, required=True)


class StaffroomApi(Api):
    """flask-smorest's Api, documenting our error body rather than its own.

    Its JSON handler for HTTPException, registered by `init_app`, would
    turn every HTML error page into JSON: `errors.register` (called later by
    `create_app`) registers ours for HTTPException, which replaces it, and
    answers in JSON under /api/ and in HTML elsewhere.
    """

    ERROR_SCHEMA = ErrorSchema

    # Documenting a blueprint (apispec resolving every schema of every
    # operation) was the other half of `create_app`'s time, and only the
    # OpenAPI document and its readers need it. `register_blueprint` adds the
    # routes now and queues the documentation; reading `spec` writes what is
    # queued first, in registration order, so the document is the same.

    def init_app(self, app: Flask, *, spec_kwargs: dict | None = None) -> None:
        self._undocumented: list = []
        self._documenting = threading.RLock()  # two first requests for the document
        super().init_app(app, spec_kwargs=spec_kwargs)

    @property
    def spec(self):
        if getattr(self, "_undocumented", None):
            with self._documenting:
                while self._undocumented:
                    self._undocumented.pop(0)()
        return self._spec

    @spec.setter
    def spec(self, value) -> None:
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options) -> None:
        """`Api.register_blueprint`, with the documentation written when first read."""
        name = options.get("name", blp.name)
        app = self._app
        app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        app.register_blueprint(blp, **options)

        def document() -> None:
            blp.register_views_in_doc(self, app, self._spec, name=name, parameters=parameters)
            self._spec.tag({"name": name, "description": blp.description})

        self._undocumented.append(document)


class StaffroomLimiter(Limiter):
    """Flask-Limiter, without its before-request check on the requests that
    check has nothing for.

    That hook resolves which limits apply to every request (tens of µs, a
    fifth of a bare request's time) and applies the limits that are not on a
    view: default, application, blueprint and meta limits, and those of
    decorated helpers the endpoint called before ("hints"). The app sets
    none of those: its limits are on views (`limiter.shared_limit`, checked
    by the decorator itself as the view is called) or counted by hand
    (app/accounts/limits.py, app/rate_limits.py). So the hook runs when the
    app's settings or blueprints give it something to check, and the
    decorated views limit as before.
    """

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if in_middleware and not (checks_every_request(current_app)
                                  or self.limit_manager.has_hints(request.endpoint or "")):
            return
        super()._check_request_limit(callable_name, in_middleware)


def checks_every_request(app: Flask) -> bool:
    """Whether `app` has limits that Flask-Limiter checks before every
    request (see StaffroomLimiter); worked out on the first request, once
    every blueprint is registered."""
    answer = app.extensions.get("limiter_checks_every_request")
    if answer is None:
        manager = limiter.limit_manager
        answer = bool(manager.application_limits or manager.default_limits
                      or app.config.get("RATELIMIT_META") or app.config.get("RATELIMIT_IN_MEMORY_FALLBACK")
                      or any(manager.blueprint_limits(app, name) for name in app.blueprints))
        app.extensions["limiter_checks_every_request"] = answer
    return answer


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = StaffroomLimiter(key_func=get_remote_address)
socketio = SocketIO()
api = StaffroomApi()


def init_limiter(app: Flask) -> None:
    """`limiter.init_app(app)`, with the two settings the limiter kept from
    an earlier app reset for this one.

    The one limiter outlives apps (tests build many), and Flask-Limiter has
    no public setter for these: whether the storage was found dead (a new
    app starts out trusting its own storage, whatever an earlier app found
    of Redis) and the key prefix (init_app keeps the first non-empty one; a
    new app counts under its own RATELIMIT_KEY_PREFIX).
    """
    limiter.init_app(app)
    limiter._storage_dead = False  # noqa: SLF001 (pinned Flask-Limiter: no public setter)
    limiter._key_prefix = app.config.get("RATELIMIT_KEY_PREFIX", "")  # noqa: SLF001 (pinned Flask-Limiter: no public setter)
    _after_hooks_only_when_checked(app)


# Where Flask-Limiter keeps its per-request state, on Flask's request context.
_LIMITER_CONTEXT = "_limiter_request_context"


def _limiter_checked() -> bool:
    """Whether Flask-Limiter made its state for this request, which it does
    when it checks a limit (a limited view, or its before-request check)."""
    return hasattr(request_ctx._get_current_object(), _LIMITER_CONTEXT)


def _after_hooks_only_when_checked(app: Flask) -> None:
    """Flask-Limiter's after-request hook (rate-limit headers, deductions)
    and teardown (reset its state) for the requests it checked. On the
    others they made an empty state only to read and reset it: a tenth of
    a bare request's time, on every page without a limit."""
    inject, release = Limiter._Limiter__inject_headers, Limiter._Limiter__release_context  # noqa: SLF001 (pinned Flask-Limiter: its hooks)
    after = app.after_request_funcs.get(None, [])
    for index, hook in enumerate(after):
        if getattr(hook, "func", None) is inject:
            after[index] = partial(_after_request_if_checked, hook)
    teardown = app.teardown_request_funcs.get(None, [])
    for index, hook in enumerate(teardown):
        if getattr(hook, "__func__", None) is release:
            teardown[index] = partial(_teardown_if_checked, hook)


def _after_request_if_checked(hook, response):
    return hook(response) if _limiter_checked() else response


def _teardown_if_checked(hook, error=None) -> None:
    if _limiter_checked():
        hook(error)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, enforced foreign keys and a busy timeout on every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
