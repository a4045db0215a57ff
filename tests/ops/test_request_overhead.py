"""What every request pays for, made cheap without giving up what it is for
(bench/overhead.py prices each piece): a visitor's request needs no
database, the security headers and the rate limits still hold, and the
session cookie is still checked against the app's keys."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from flask import Blueprint

from app.extensions import db, limiter
from app.ops.request_log import JsonFormatter
from app.security import HEADERS
from tests.helpers import PASSWORD, count_queries, csrf_from


@pytest.fixture
def app_settings():
    return {"BENCH_ENDPOINTS": True}


def test_a_visitors_hello_runs_no_sql(client):
    assert count_queries(lambda: client.get("/_bench/hello")) == 0


def test_a_visitors_hello_sets_no_cookie(client):
    response = client.get("/_bench/hello")
    assert response.status_code == 200 and response.get_data(as_text=True) == "hello"
    assert "Set-Cookie" not in response.headers


def test_a_request_that_needs_no_row_makes_no_database_session(app, client):
    """The after-request delivery of notifications looks for a session
    rather than making one (and teardown then closing it)."""
    had_session = []
    app.teardown_request(lambda error: had_session.append(db.session.registry.has()))
    client.get("/_bench/hello")
    assert had_session == [False]


def test_hello_carries_every_security_header_once(client):
    response = client.get("/_bench/hello")
    for name, value in HEADERS.items():
        assert response.headers.getlist(name) == [value], name


def test_a_header_the_view_sets_itself_is_kept(app, client):
    app.add_url_rule("/_test/own-headers", "own_headers", lambda: (
        "ok", {"x-frame-options": "SAMEORIGIN", "Content-Security-Policy": "default-src 'none'"}))
    response = client.get("/_test/own-headers")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_registration_is_still_rate_limited(make_app):
    """A limit on a view is checked by its decorator, with or without the
    limiter's before-request check."""
    app = make_app(RATELIMIT_REGISTER="2 per hour")
    client = app.test_client()
    statuses = [client.post("/api/v1/users", json={}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def test_a_limit_on_a_blueprint_still_limits_its_routes(make_app):
    app = make_app()
    blueprint = Blueprint("limited_in_a_test", __name__)
    blueprint.add_url_rule("/_test/limited", "limited", lambda: "ok")
    limiter.limit("2 per minute")(blueprint)
    app.register_blueprint(blueprint)
    client = app.test_client()
    assert [client.get("/_test/limited").status_code for _ in range(3)] == [200, 200, 429]


def test_a_default_limit_still_limits_every_route(make_app):
    # Flask-Limiter keeps default limits on its one limiter, across apps:
    # set them aside afterwards, or every later test's app would have them.
    try:
        app = make_app(RATELIMIT_DEFAULT="2 per minute", BENCH_ENDPOINTS=True)
        client = app.test_client()
        assert [client.get("/_bench/hello").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        limiter.limit_manager.set_default_limits([])


def test_a_limited_view_still_sends_its_rate_limit_headers(make_app):
    """Flask-Limiter's after-request hook runs for the requests it checked."""
    client = make_app(RATELIMIT_REGISTER="5 per hour").test_client()
    client.post("/api/v1/users", json={})
    response = client.post("/api/v1/users", json={})
    assert response.headers["X-RateLimit-Limit"] == "5"
    assert response.headers["X-RateLimit-Remaining"] == "3"


def test_no_limit_no_rate_limit_headers(client):
    assert not [name for name in client.get("/_bench/hello").headers.keys() if name.startswith("X-RateLimit")]


def test_the_session_cookie_is_still_checked_against_the_keys(app, client, auth):
    """The signing serializer is made once per set of keys: a new key
    refuses the old cookie, unless the old key is kept as a fallback."""
    auth.as_role()
    assert 'action="/logout"' in client.get("/").get_data(as_text=True)
    app.secret_key = "another-secret-key-after-a-leak"
    assert 'action="/logout"' not in client.get("/").get_data(as_text=True)
    auth.as_role(username="second_member")
    app.config["SECRET_KEY_FALLBACKS"] = ["another-secret-key-after-a-leak"]
    app.secret_key = "a-third-secret-key"
    assert 'action="/logout"' in client.get("/").get_data(as_text=True)


def test_the_log_line_time_is_utc_to_the_millisecond(client, caplog):
    caplog.set_level(logging.INFO, logger="staffroom.request")
    before = datetime.now(timezone.utc)
    client.get("/_bench/hello")
    [record] = [r for r in caplog.records if r.name == "staffroom.request"]
    line = json.loads(JsonFormatter().format(record))
    logged = datetime.fromisoformat(line["time"])
    assert line["time"][-10:-6].startswith(".") and line["time"].endswith("+00:00")
    assert before - timedelta(milliseconds=1) <= logged <= datetime.now(timezone.utc)
    assert (line["method"], line["path"], line["status"]) == ("GET", "/_bench/hello", 200)


def test_a_form_posted_without_its_csrf_token_is_refused(client, make_user):
    """The CSRF check now runs only for the methods it checks, but runs."""
    user = make_user()
    refused = client.post("/login", data={"login": user.username, "password": PASSWORD})
    assert refused.status_code == 400
    assert 'action="/logout"' not in client.get("/").get_data(as_text=True)
    token = csrf_from(client.get("/login").get_data(as_text=True))
    signed_in = client.post("/login", data={"login": user.username, "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302
    assert 'action="/logout"' in client.get("/").get_data(as_text=True)


def test_a_signed_in_api_post_by_cookie_still_needs_the_token(client, auth):
    auth.as_role()
    assert client.post("/api/v1/tokens", json={"name": "laptop"}).status_code == 400
