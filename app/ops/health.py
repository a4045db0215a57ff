"""Health probes for load balancers and orchestrators.

GET /healthz: the process is up and serving (no database, nothing slow), so
a liveness probe never restarts a healthy process because a dependency is
down. GET /readyz: the process can do useful work: the database answers,
Redis answers when REDIS_URL is set, the search index folder is writable
(readable, for a process that only reads the index).
A probe that fails gets 503, naming the failing check, so the balancer sends
traffic elsewhere until it passes again.

Each check runs in its own thread and is given READYZ_TIMEOUT_SECONDS: a
database or Redis that accepts a connection and then hangs makes the probe
fail, not hang. The messages are short and generic because the probes are
public (no auth); the details go to the log.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis
from flask import Blueprint, Flask, current_app, jsonify

from app.extensions import csrf, db, limiter
from app.ops.request_log import quiet_when_ok

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)
# A check returns "ok" or "not configured", or raises with what is wrong.
Check = Callable[[Flask], str]


class CheckFailed(Exception):
    """A check's public message (the log gets the cause)."""


def check_database(app: Flask) -> str:
    try:
        with app.app_context(), db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as error:
        raise CheckFailed(f"cannot query the database ({type(error).__name__})") from error
    return "ok"


def check_redis(app: Flask) -> str:
    url = app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    timeout = app.config["READYZ_TIMEOUT_SECONDS"]
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except Exception as error:
        raise CheckFailed(f"cannot reach Redis ({type(error).__name__})") from error
    finally:
        client.close()
    return "ok"


def check_search_index(app: Flask) -> str:
    """Write and remove a scratch file where the index lives.

    A folder the index writer cannot write to loses every search update
    silently, so it is worth catching before traffic arrives. A process that
    only reads the index (SEARCH_INDEX_READ_ONLY) needs to read it; one not
    built yet is no reason to stop sending it traffic (search answers 503
    until the worker has built it, everything else works).
    """
    folder = Path(app.config["SEARCH_INDEX_DIR"])
    if app.config.get("SEARCH_INDEX_READ_ONLY"):
        if folder.exists() and not os.access(folder, os.R_OK | os.X_OK):
            raise CheckFailed("the search index folder is not readable")
        return "ok"
    try:
        folder.mkdir(parents=True, exist_ok=True)  # as the index itself would
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".readyz-"):
            pass
    except OSError as error:
        raise CheckFailed(f"the search index folder is not writable ({type(error).__name__})") from error
    return "ok"


CHECKS: dict[str, Check] = {
    "database": check_database,
    "redis": check_redis,
    "search_index": check_search_index,
}


def run_checks(app: Flask, checks: dict[str, Check] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Run every check at once; return (status by name, error message by name)."""
    checks = CHECKS if checks is None else checks
    results: dict[str, str] = {}
    errors: dict[str, str] = {}

    def run(name: str, check: Check) -> None:
        try:
            results[name] = check(app)
        except CheckFailed as error:
            log.warning("readiness check %s failed: %s", name, error, exc_info=error.__cause__)
            errors[name] = str(error)
        except Exception as error:
            log.exception("readiness check %s crashed", name)
            errors[name] = f"check failed ({type(error).__name__})"

    # Daemon threads: one stuck on a dead server must not keep the process alive.
    threads = {name: threading.Thread(target=run, args=(name, check), daemon=True, name=f"readyz-{name}")
               for name, check in checks.items()}
    for thread in threads.values():
        thread.start()
    deadline = time.monotonic() + app.config["READYZ_TIMEOUT_SECONDS"]
    for name, thread in threads.items():
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            log.warning("readiness check %s timed out", name)
            errors[name] = f"no answer within {app.config['READYZ_TIMEOUT_SECONDS']:g} s"
    statuses = {name: "failed" if name in errors else results[name] for name in checks}
    return statuses, {name: errors[name] for name in checks if name in errors}


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@quiet_when_ok
def healthz():
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
@quiet_when_ok
def readyz():
    statuses, errors = run_checks(current_app._get_current_object())
    if errors:
        return _no_store(jsonify(status="unavailable", checks=statuses, errors=errors)), 503
    return _no_store(jsonify(status="ready", checks=statuses))


# Probes come every few seconds from the balancer's address and post nothing.
limiter.exempt(bp)
csrf.exempt(bp)
