"""The application factory: the only place that wires the app together."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import cli, errors, security, template_helpers
from app import config as settings
from app.accounts import api as accounts_api
from app.accounts import recovery_api as accounts_recovery_api  # noqa: F401 (adds its endpoints to accounts_api)
from app.accounts import recovery_views as accounts_recovery_views  # noqa: F401 (adds its pages to accounts.bp)
from app.accounts import security_views as accounts_security_views  # noqa: F401 (adds its pages to accounts.bp)
from app.accounts import views as accounts_views
from app.api_support import IdConverter, register_api_hooks
from app.backup import cli as backup_cli
from app.db_types import render_migration_item
from app.events import api as events_api
from app.events import views as events_views
from app.events.searchable import register_searchable as register_event_search
from app.extensions import api, csrf, db, limiter, login_manager, migrate, socketio
from app.forum import api as forum_api
from app.forum import cli as forum_cli
from app.forum import moderation_views as forum_moderation_views  # noqa: F401 (adds its pages to forum.bp)
from app.forum import views as forum_views
from app.forum.searchable import register_searchable as register_forum_search
from app.groups import activity_api as groups_activity_api  # noqa: F401 (adds its endpoints to groups_api)
from app.groups import activity_views as groups_activity_views  # noqa: F401 (adds its pages to groups.bp)
from app.groups import api as groups_api
from app.groups import views as groups_views
from app.groups.searchable import register_searchable as register_group_search
from app import live  # noqa: F401 (registers the /live Socket.IO handlers)
from app.live.queue import ResyncRedisManager
from app.mail import cli as mail_cli
from app.mail import sender as mail_sender
from app.mail import views as mail_views
from app.messages import api as messages_api
from app.messages import views as messages_views
from app.notifications import api as notifications_api
from app.notifications import views as notifications_views
from app.ops import doctor as ops_doctor
from app.ops import health as ops_health
from app.ops import request_log
from app.people import digest as people_digest
from app.people import views as people_views
from app.programmes import api as programmes_api
from app.programmes import collab_views as programmes_collab_views  # noqa: F401 (adds its pages to programmes.bp)
from app.programmes import review_views as programmes_review_views  # noqa: F401 (adds its pages to programmes.bp)
from app.programmes import school_api as programmes_school_api  # noqa: F401 (adds its endpoints to programmes_api.blp)
from app.programmes import school_views as programmes_school_views  # noqa: F401 (adds its pages to programmes.bp)
from app.programmes import views as programmes_views
from app.programmes.searchable import register_searchable as register_programme_search
from app.resources import api as resources_api
from app.resources import views as resources_views
from app.resources import text_jobs as resources_text_jobs
from app.resources.searchable import register_searchable as register_resource_search
from app.search import api as search_api
from app.search import views as search_views
from app.search import worker as search_worker


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings (tests use it)."""
    overrides = dict(config or {})
    instance_path = overrides.pop("INSTANCE_PATH", None)
    app = Flask(
        __name__,
        instance_path=str(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=str(settings.ROOT / "templates"),
        static_folder=str(settings.ROOT / "static"),
    )
    configure_settings(app, overrides)
    configure_logging(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_search(app)
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
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, render_item=render_migration_item)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    # The limiter outlives apps (tests build many) and keeps some settings of
    # the first app it met: a new app starts out trusting its own storage,
    # whatever an earlier app found of Redis, and counts under its own prefix.
    limiter._storage_dead = False  # noqa: SLF001 (Flask-Limiter has no public setter for these)
    limiter._key_prefix = app.config.get("RATELIMIT_KEY_PREFIX", "")  # noqa: SLF001
    api.init_app(app)
    # Flask-SocketIO keeps the message-queue manager of its first app in
    # server_options; drop it so each app gets the queue its own config asks for.
    socketio.server_options.pop("client_manager", None)
    queue = {}
    if app.config["REDIS_URL"]:
        # Our RedisManager: quick to reconnect, and it tells the live rooms
        # to catch up afterwards (app/live/queue.py).
        queue["client_manager"] = ResyncRedisManager(app.config["REDIS_URL"], channel=app.config["SOCKETIO_CHANNEL"])
    socketio.init_app(
        app,
        async_mode="threading",
        # None means "same origin only"; a list replaces that check entirely,
        # so the site's own origin must then be listed too.
        cors_allowed_origins=app.config["SOCKETIO_ORIGINS"] or None,
        max_http_buffer_size=64 * 1024,
        **queue,
    )


def configure_blueprints(app: Flask) -> None:
    # `<int:id>` bounded to what an id column holds, in pages and API alike.
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(people_views.bp)
    app.register_blueprint(resources_views.bp)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(forum_views.bp)
    app.register_blueprint(groups_views.bp)
    app.register_blueprint(programmes_views.bp)
    app.register_blueprint(ops_health.bp)
    notifications_views.register(app)
    messages_views.register(app)
    events_views.register(app)
    mail_views.register(app)
    mail_sender.register(app)
    register_api_hooks(app)
    api.register_blueprint(accounts_api.blp)
    api.register_blueprint(resources_api.blp)
    api.register_blueprint(search_api.blp)
    api.register_blueprint(notifications_api.blp)
    api.register_blueprint(forum_api.blp)
    api.register_blueprint(events_api.blp)
    api.register_blueprint(groups_api.blp)
    api.register_blueprint(programmes_api.blp)
    api.register_blueprint(messages_api.blp)
    if app.config["BENCH_ENDPOINTS"]:
        # A bare "hello" route for bench/ to compare real pages against.
        app.add_url_rule("/_bench/hello", "bench_hello", lambda: "hello")


def configure_search(app: Flask) -> None:
    """Each feature says what it puts in the index; the worker keeps it current."""
    register_resource_search()
    register_forum_search()
    register_event_search()
    register_group_search()
    register_programme_search()
    search_worker.register(app)
    resources_text_jobs.register(app)


def configure_templates(app: Flask) -> None:
    template_helpers.register(app)


def configure_security(app: Flask) -> None:
    security.register(app)


def configure_errors(app: Flask) -> None:
    errors.register(app)


def configure_cli(app: Flask) -> None:
    cli.register(app)
    forum_cli.register(app)
    people_digest.register(app)
    mail_cli.register(app)
    backup_cli.register(app)
    ops_doctor.register(app)
