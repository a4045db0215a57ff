"""Settings read from the environment, with defaults that work on a laptop.

Every variable in the configuration table (README.md, "Configuration"; see
docs/ARCHITECTURE.md, 'Configuration') is read here and nowhere else.
`from_env(instance_path)` is called by `create_app`; tests pass a dict of
overrides instead of touching the environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_SITE_URL = "http://127.0.0.1:5000"  # `make run`'s address


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created with 0600 so other local users cannot read it.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _hops(name: str) -> int:
    value = os.environ.get(name, "0").strip() or "0"
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number of proxies (0 = none), not {value!r}")
    return int(value)


def from_env(instance_path: Path) -> dict:
    """The whole configuration as a dict, from the environment and defaults."""
    instance_path = Path(instance_path)
    database_url = os.environ.get(
        "DATABASE_URL", f"sqlite:///{instance_path / 'staffroom.db'}"
    )
    redis_url = os.environ.get("REDIS_URL") or None
    environment = os.environ.get("STAFFROOM_ENV", "production").strip().lower()
    max_upload_mb = int(os.environ.get("MAX_UPLOAD_MB", "25"))
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(ROOT / "search_index")),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance_path / "uploads")),
        "MAX_UPLOAD_MB": max_upload_mb,
        # Werkzeug refuses larger bodies with 413 before a view runs; a little
        # headroom covers the multipart envelope around a file of the limit.
        "MAX_CONTENT_LENGTH": max_upload_mb * 1024 * 1024 + 64 * 1024,
        "MAX_AVATAR_MB": int(os.environ.get("MAX_AVATAR_MB", "5")),
        "MAX_POST_IMAGE_MB": int(os.environ.get("MAX_POST_IMAGE_MB", "5")),
        "HOST": os.environ.get("HOST", "127.0.0.1"),
        "PORT": int(os.environ.get("PORT", "5000")),
        # Origins allowed to open a Socket.IO connection besides the site's own.
        "SOCKETIO_ORIGINS": [o for o in os.environ.get("SOCKETIO_ORIGINS", "").split(",") if o],
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        # The remember cookie signs in as well as the session cookie does:
        # it follows the session cookie's settings (see configure_settings).
        "BENCH_ENDPOINTS": _bool("STAFFROOM_BENCH", False),
        # "thread": the web process drains index jobs itself; "off": run
        # `flask search worker` separately (several web processes).
        "SEARCH_WORKER": os.environ.get("SEARCH_WORKER", "thread"),
        # Set on web processes when `flask search worker` is the index's one
        # writer: they then never create, replace or write the index (the
        # worker and `flask search reindex` still do).
        "SEARCH_INDEX_READ_ONLY": _bool("SEARCH_INDEX_READ_ONLY", False),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Staffroom <no-reply@staffroom.example>"),
        # The public address. Unset: pages and calendars link to the address
        # each request came to, and mail (which has no request to go by, and
        # must not trust one's Host header) to LOCAL_SITE_URL.
        "SITE_URL": os.environ.get("SITE_URL") or None,
        # New members confirm their address (a mailed link) before they may
        # post, message or upload; 0 turns that gate off.
        "REQUIRE_EMAIL_VERIFICATION": _bool("REQUIRE_EMAIL_VERIFICATION", True),
        "MAIL_TIMEOUT_SECONDS": float(os.environ.get("MAIL_TIMEOUT_SECONDS", "10")),
        # "thread": each web process sends queued mail itself (safe in
        # several: mails are claimed); "off": run `flask mail worker`.
        "MAIL_WORKER": os.environ.get("MAIL_WORKER", "thread"),
        "MAIL_POLL_SECONDS": float(os.environ.get("MAIL_POLL_SECONDS", "5")),
        # Notifications wait this long before they are mailed, so a busy
        # thread becomes one mail; unread private messages wait longer.
        "NOTIFY_MAIL_DELAY_SECONDS": float(os.environ.get("NOTIFY_MAIL_DELAY_SECONDS", "120")),
        "MESSAGE_MAIL_DELAY_SECONDS": float(os.environ.get("MESSAGE_MAIL_DELAY_SECONDS", "600")),
        # Event reminders and TweetMeet questions: "thread" in the web
        # process, or "off" and run `flask events send-reminders --every 30`.
        "EVENT_SCHEDULER": os.environ.get("EVENT_SCHEDULER", "thread"),
        "EVENT_SCHEDULER_SECONDS": float(os.environ.get("EVENT_SCHEDULER_SECONDS", "30")),
        # Redis pub/sub channel for Socket.IO; separate deployments (or test
        # runs) sharing one Redis use different channels.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "flask-socketio"),
        # Rate-limit counters in Redis are kept under this prefix: deployments
        # (or test runs) sharing one Redis count apart.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        # Members' cached panels in Redis (app/member_cache.py) are kept under this prefix.
        "MEMBER_CACHE_PREFIX": os.environ.get("MEMBER_CACHE_PREFIX", "staffroom"),
        # Discussions: posts a member may write per minute; hold new members'
        # first post for approval; how often view counts are written.
        "FORUM_POSTS_PER_MINUTE": int(os.environ.get("FORUM_POSTS_PER_MINUTE", "5")),
        "FORUM_HOLD_FIRST_POST": _bool("FORUM_HOLD_FIRST_POST", False),
        "FORUM_IMAGES_PER_DAY": int(os.environ.get("FORUM_IMAGES_PER_DAY", "50")),
        "FORUM_VIEW_FLUSH_SECONDS": float(os.environ.get("FORUM_VIEW_FLUSH_SECONDS", "30")),
        "SEARCH_POLL_SECONDS": float(os.environ.get("SEARCH_POLL_SECONDS", "2")),
        # The ceilings of the child process that reads an uploaded file's
        # words (address space and CPU seconds); a file over them is kept,
        # marked "text not searchable".
        "TEXT_EXTRACT_MEMORY_MB": int(os.environ.get("TEXT_EXTRACT_MEMORY_MB", "128")),
        "TEXT_EXTRACT_SECONDS": int(os.environ.get("TEXT_EXTRACT_SECONDS", "30")),
        # "production" unless told otherwise, so a forgotten setting errs on
        # the safe side; `flask doctor` holds production to stricter checks.
        "STAFFROOM_ENV": environment,
        # "json": one object a line for log collectors; "text" for a terminal.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json" if environment == "production" else "text"),
        # How long /readyz waits for each check (database, Redis, search index).
        "READYZ_TIMEOUT_SECONDS": float(os.environ.get("READYZ_TIMEOUT_SECONDS", "2")),
        # How many reverse proxies in front set X-Forwarded-For/-Proto/-Host
        # (deploy/nginx.conf: 1). 0 reads none of them. More than there are
        # proxies would let a client forge its address, so only behind them.
        "PROXY_FIX": _hops("PROXY_FIX"),
    }


class Defaults:
    """Settings that do not come from the environment."""

    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = None  # a form left open for hours still posts
    # Flask-WTF's own before-request check looks up the view's exemptions
    # before the method, on every GET; app/security.py's `check_csrf` asks
    # it only for the methods it checks (WTF_CSRF_METHODS), in the same place.
    WTF_CSRF_CHECK_DEFAULT = False
    JSON_SORT_KEYS = False
    # A jinja2.BytecodeCache for compiled templates, or None: each app then
    # compiles a template the first time it renders it. The tests share one
    # between their many apps (tests/conftest.py).
    TEMPLATE_BYTECODE_CACHE = None
    # argon2id cost: a profile name from argon2.profiles.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"

    # Rate limits (Flask-Limiter syntax); storage is chosen in extensions.
    RATELIMIT_HEADERS_ENABLED = True
    # Stated, not left to the default: Flask-Limiter's one limiter keeps an
    # earlier app's "off" for every later app in the process that is silent.
    RATELIMIT_ENABLED = True
    # A moving window: a fixed one starts afresh when it ends, so ten failed
    # sign-ins just before that and ten just after would all get through.
    RATELIMIT_STRATEGY = "moving-window"
    # Redis away: count in this process's memory (same limits) until it is
    # back, rather than answer 500; an error mid-request is logged, not raised.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Failed sign-ins (app/accounts/limits.py): per client address, generous
    # because a school signs in from one address; per account from any address.
    RATELIMIT_LOGIN_FAILURES_PER_ADDRESS = "100 per hour"
    RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT = "10 per 15 minutes"
    RATELIMIT_REGISTER = "20 per hour"
    # The forum composer, per member (app/forum/media.py).
    RATELIMIT_POST_IMAGES = "10 per minute"
    RATELIMIT_POST_PREVIEW = "60 per minute"

    # flask-smorest: the spec lives at /api/v1/openapi.json.
    API_TITLE = "Staffroom API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
