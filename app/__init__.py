"""The application factory: settings, logging, extensions, then every
feature in FEATURES through its own `register(app)`; nothing is wired by
importing a module."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (
    accounts,
    backup,
    cli,
    cookie_session,
    demo,
    errors,
    events,
    forum,
    groups,
    i18n,
    live,
    mail,
    member_cache,
    messages,
    notifications,
    ops,
    people,
    programmes,
    resources,
    routing,
    search,
    security,
    template_helpers,
)
from app import config as settings
from app.api_support import IdConverter, register_api_hooks
from app.db_types import render_migration_item
from app.extensions import api, csrf, db, init_limiter, login_manager, migrate, socketio
from app.live.queue import ResyncRedisManager
from app.ops import request_log

# The features, each wired by its own `register(app)`: pages, JSON API, CLI
# commands, socket handlers, what it puts in search, its worker threads.
# Searchable types register in this order (`flask search status` lists them so).
FEATURES = (
    accounts,
    people,
    resources,
    search,
    forum,
    events,
    groups,
    programmes,
    messages,
    notifications,
    mail,
    live,
    ops,
    backup,
    demo,
)


class Staffroom(Flask):
    """Flask, asking once per function whether it is a coroutine function.

    Flask asks `inspect.iscoroutinefunction` of every hook and of the view
    on every request (sixteen times for a visitor's hello, a tenth of a
    bare request's time) although the answer never changes. The answers
    are kept per function; functions made per request
    (`after_this_request`) would only fill the memo, so it is bounded.
    """

    _SYNC_KEPT = 4096

    def ensure_sync(self, func):
        memo = self.__dict__.setdefault("_sync_funcs", {})
        try:
            return memo[func]
        except KeyError:
            if len(memo) >= self._SYNC_KEPT:
                memo.clear()
            sync = memo[func] = super().ensure_sync(func)
            return sync
        except TypeError:  # unhashable: ask every time, as Flask does
            return super().ensure_sync(func)


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings (tests use it)."""
    overrides = dict(config or {})
    instance_path = overrides.pop("INSTANCE_PATH", None)
    app = Staffroom(
        __name__,
        instance_path=str(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=str(settings.ROOT / "templates"),
        static_folder=str(settings.ROOT / "static"),
    )
    app.url_rule_class = routing.Rule
    configure_settings(app, overrides)
    configure_logging(app)
    configure_extensions(app)
    configure_features(app)
    configure_templates(app)
    configure_security(app)
    configure_errors(app)
    configure_cli(app)
    if app.config["PROXY_FIX"]:
        # Outermost, so pages, rate limits and Socket.IO all see the client's
        # address and scheme rather than the proxy's.
        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def configure_settings(app: Flask, overrides: dict) -> None:
    app.config.from_object(settings.Defaults)
    app.config.update(settings.from_env(Path(app.instance_path)))
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config[
            "SQLALCHEMY_DATABASE_URI"
        ].replace("postgresql://", "postgresql+psycopg://", 1)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    # The remember cookie signs a member in just as the session cookie does,
    # so it travels under the same rules unless set on its own.
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", app.config["SESSION_COOKIE_SAMESITE"])


def configure_logging(app: Flask) -> None:
    request_log.register(app)


def configure_extensions(app: Flask) -> None:
    app.session_interface = cookie_session.SessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, render_item=render_migration_item)
    login_manager.init_app(app)
    csrf.init_app(app)
    security.register_csrf_check(app)
    init_limiter(app)
    member_cache.init_app(app)
    api.init_app(app)
    i18n.register(app)  # Flask-Babel, the language switcher
    # With Redis, our message queue: quick to reconnect, and it tells the
    # live rooms to catch up afterwards (app/live/queue.py).
    queue = None
    if app.config["REDIS_URL"]:
        queue = ResyncRedisManager(app.config["REDIS_URL"], channel=app.config["SOCKETIO_CHANNEL"])
    socketio.init_app(
        app,
        async_mode="threading",
        # None means "same origin only"; a list replaces that check entirely,
        # so the site's own origin must then be listed too.
        cors_allowed_origins=app.config["SOCKETIO_ORIGINS"] or None,
        max_http_buffer_size=64 * 1024,
        # Given even when None: Flask-SocketIO keeps its options from one app
        # to the next, and each app gets the queue its own config asks for.
        client_manager=queue,
    )


def configure_features(app: Flask) -> None:
    # `<int:id>` bounded to what an id column holds, in pages and API alike.
    app.url_map.converters["int"] = IdConverter
    # The OpenAPI security scheme and common error responses, before any
    # API blueprint registers (their documentation picks them up).
    register_api_hooks(app)
    for feature in FEATURES:
        feature.register(app)
    if app.config["BENCH_ENDPOINTS"]:
        # A bare "hello" route for bench/ to compare real pages against.
        app.add_url_rule("/_bench/hello", "bench_hello", lambda: "hello")


def configure_templates(app: Flask) -> None:
    template_helpers.register(app)


def configure_security(app: Flask) -> None:
    security.register(app)


def configure_errors(app: Flask) -> None:
    errors.register(app)


def configure_cli(app: Flask) -> None:
    # Commands that span features; each feature registers its own.
    cli.register(app)
