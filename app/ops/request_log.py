"""Request ids and one structured log line per request.

Every request gets an id: the caller's `X-Request-ID` when it looks sane (so
the id a proxy or load balancer gave the request joins its logs to ours),
else a new one. The id is kept in `g.request_id`, sent back in the
`X-Request-ID` response header (a member reporting a problem can quote it)
and stamped on every log record written while the request runs, so the
traceback of a 500 can be found from the request line and the other way
round. The id is not added to JSON error bodies: their shape is fixed
(docs/ARCHITECTURE.md, 'The JSON API').

LOG_FORMAT picks the shape of every log line: "json" (one object a line,
for a log collector) or "text" (for a terminal).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request

from app import login_state

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_ENVIRON = "HTTP_X_REQUEST_ID"  # the header as WSGI hands it over
# Long enough for a UUID, an AWS trace id or nginx's $request_id; a charset
# that cannot split a header or a text log line.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:=+/-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

log = logging.getLogger("staffroom.request")


# One encoder for every line: `json.dumps` with options builds a new one each call.
_ENCODER = json.JSONEncoder(default=str, ensure_ascii=False)


_second_text = (0, "1970-01-01T00:00:00")  # the last second formatted, as one tuple (threads)


def _utc_time(created: float) -> str:
    """`created` as ISO 8601 UTC to the millisecond; the date and time of a
    second are formatted once (a busy site logs many lines a second)."""
    global _second_text  # noqa: PLW0603 (a memo of one entry)
    second = int(created)
    memo = _second_text
    if memo[0] != second:
        memo = _second_text = (second, datetime.fromtimestamp(second, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"))
    return f"{memo[1]}.{int((created - second) * 1000):03d}+00:00"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key[0] != "_":
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return _ENCODER.encode(entry)


class TextFormatter(logging.Formatter):
    """The classic one-line format, with the request id ("-" outside requests)."""

    def __init__(self):
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        record.__dict__.setdefault("request_id", "-")
        return super().format(record)


class RequestIdFilter(logging.Filter):
    """Stamps the current request's id on records logged while it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id") and has_request_context() and "request_id" in g:
            record.request_id = g.request_id
        return True


class StaffroomHandler(logging.StreamHandler):
    """Our root handler, told apart from handlers a deployer configured."""


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure_logging(app: Flask) -> None:
    """Send INFO and above to stderr in LOG_FORMAT.

    Debug runs and tests keep Flask's and pytest's own handling. Logging a
    deployer set up already (a root handler that is not ours, e.g. from
    gunicorn --log-config) is left alone; the request line still carries
    its fields as record attributes there.
    """
    if app.debug or app.testing:
        return
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, StaffroomHandler)), None)
    if handler is None:
        if root.handlers:
            return
        handler = StaffroomHandler()
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    handler.setFormatter(formatter_for(app.config["LOG_FORMAT"]))


def quiet_when_ok(view):
    """Leave successful calls of `view` out of the request log.

    For load-balancer probes: one every few seconds would drown the lines
    that matter. A failing probe is still logged.
    """
    view.quiet_when_ok = True
    return view


def _request_id() -> str:
    incoming = request.environ.get(_REQUEST_ID_ENVIRON, "")
    if _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return secrets.token_hex(16)  # 32 hex digits, as a uuid4's hex (a third of its cost)


def _loaded_user_id(user) -> int | None:
    """The signed-in member's id from the identity map: reading `user.id`
    after the request committed would reload the whole member (three
    queries) just for the log line."""
    state = sa.inspect(user, raiseerr=False) if user is not None else None
    if state is None or state.identity is None:
        return None  # nobody signed in (the anonymous user is not a model)
    return state.identity[0]


def start_request() -> None:
    g.request_id = _request_id()
    g.request_started = time.perf_counter()


def finish_request(response):
    """Return the id in a header and write the request's log line."""
    if "request_id" not in g:  # a response made before our before_request ran
        start_request()
    response.headers[REQUEST_ID_HEADER] = g.request_id
    status = response.status_code
    level = logging.WARNING if status >= 500 else logging.INFO
    if not log.isEnabledFor(level):
        return response
    req = request._get_current_object()  # one look-up, not one per field
    endpoint = req.endpoint
    if status < 400 and endpoint and getattr(current_app.view_functions.get(endpoint), "quiet_when_ok", False):
        return response
    request_g = g._get_current_object()
    duration_ms = round((time.perf_counter() - request_g.request_started) * 1000, 1)
    method, path = req.method, req.path
    fields = {
        "request_id": request_g.request_id,
        "method": method,
        # The path without the query string: queries can hold search terms
        # and tokens that do not belong in a log.
        "path": path,
        "status": status,
        "duration_ms": duration_ms,
        # Only a user Flask-Login already loaded: reading current_user here
        # would cost a query on requests that never needed the user.
        "user_id": _loaded_user_id(login_state.loaded_user()),
        "remote_addr": req.remote_addr,
    }
    # Logger.log with its caller looked up on the stack, which this line
    # does not show: made and handled directly, it costs a third less.
    log.handle(log.makeRecord(log.name, level, __file__, 0, "%s %s %s %.1fms",
                              (method, path, status, duration_ms), None, extra=fields))
    return response


def register(app: Flask) -> None:
    """Configure logging and hook the request id in before any other hook,
    so even a request another hook answers early (401, 429) has an id."""
    configure_logging(app)
    app.before_request(start_request)
    app.after_request(finish_request)
