"""Error responses: JSON under /api/, HTML pages elsewhere.

Every error body under /api/ has the one shape fixed in
docs/ARCHITECTURE.md, 'The JSON API': {"error": {"code", "message",
"fields"}}; no HTML page or stack trace ever reaches an API client.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from app import field_messages
from app.exceptions import FIELDS_NEED_ATTENTION, ServiceError
from app.extensions import db
from app.i18n import N_, translate

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}
MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Sign in, or send a valid API token."),
    403: N_("You are not allowed to do that."),
    404: N_("There is nothing here."),
    413: N_("That upload is too large."),
    422: FIELDS_NEED_ATTENTION,
    429: N_("Too many requests. Please wait a moment and try again."),
    500: N_("Something went wrong on our side. It has been logged."),
}
HTML_PAGES = {403, 404, 413, 429, 500}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str | None = None, fields: dict | None = None, code: str | None = None):
    body = {
        "error": {
            "code": code or CODES.get(status, "error"),
            "message": translate(message or MESSAGES.get(status, N_("Request failed."))),
            "fields": {name: translate(text) for name, text in (fields or {}).items()},
        }
    }
    return jsonify(body), status


def _flatten(messages, prefix: str = "") -> dict[str, str]:
    """webargs' nested {"json": {"tags": {"0": ["..."]}}} to {"tags.0": "..."},
    each message in the reader's language (`field_messages`)."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
    elif isinstance(messages, (list, tuple)):
        if messages and all(isinstance(item, str) for item in messages):
            flat[prefix or "_schema"] = " ".join(map(field_messages.translate, messages))
        else:
            for index, value in enumerate(messages):
                flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "_schema"] = field_messages.translate(str(messages))
    return flat


def _webargs_fields(error: HTTPException) -> dict[str, str]:
    messages = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
    if not messages:
        return {}
    fields: dict[str, str] = {}
    for location, value in messages.items():
        # Drop the location ("json", "query", "files") from the field names.
        fields.update(_flatten(value) if isinstance(value, dict) else _flatten(list(map(str, value)), location))
    return fields


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if wants_json():
        fields = _webargs_fields(error)
        message = None
        if status == 400 and fields.get("json"):
            message = fields.pop("json")
        elif status not in MESSAGES and error.description:
            message = error.description
        response = make_response(json_error(status, message, fields))
    else:
        template = f"errors/{status}.html" if status in HTML_PAGES else "errors/generic.html"
        response = make_response(render_template(template, error=error, status=status), status)
    # Keep what the exception asks for, e.g. Retry-After on 429 or Allow on 405.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_service_error(error: ServiceError):
    if wants_json():
        response = make_response(json_error(error.status, error.message, error.fields, error.code))
    else:
        response = make_response(render_template("errors/generic.html", status=error.status,
                                                 message=translate(error.message)), error.status)
    if error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


FALLBACK_500 = ("<!doctype html><html lang=en><title>Something went wrong · Staffroom</title>"
                "<h1>Something went wrong</h1><p>It is our fault, not yours, and it has been logged. "
                "<a href='/'>Back to the staffroom</a></p></html>")


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()  # a failed transaction must not poison the error page
    try:
        return handle_http_exception(InternalServerError())
    except Exception:  # the error page itself needs what just broke (e.g. the database)
        log.exception("The error page could not be rendered either")
        return make_response(FALLBACK_500, 500)


def register(app: Flask) -> None:
    # After api.init_app: this replaces flask-smorest's JSON-only handler.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(Exception, handle_unexpected)
