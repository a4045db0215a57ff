"""Request ids and the structured request log."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from app.ops.request_log import JsonFormatter, RequestIdFilter, StaffroomHandler, TextFormatter
from tests.ops.conftest import bare_root_logger

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


def request_lines(caplog) -> list[dict]:
    """The request log records, formatted as they reach a log collector."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records if record.name == "staffroom.request"]


def test_a_request_without_an_id_gets_one(client):
    first = client.get("/login").headers["X-Request-ID"]
    second = client.get("/login").headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(first) and GENERATED_ID.fullmatch(second)
    assert first != second


def test_a_sane_incoming_id_is_kept(client):
    incoming = "5f1c2b7e-0d4a-4e39-9c0b-2f8e6a1d3b47"
    response = client.get("/login", headers={"X-Request-ID": incoming})
    assert response.headers["X-Request-ID"] == incoming


@pytest.mark.parametrize("junk", ["has spaces <script>", "x" * 300, "", "é-accented"])
def test_a_junk_incoming_id_is_replaced(client, junk):
    response = client.get("/login", headers={"X-Request-ID": junk})
    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])


def test_api_errors_carry_the_id_in_the_header_and_keep_their_shape(client):
    response = client.get("/api/v1/nowhere", headers={"X-Request-ID": "trace-404"})
    assert response.headers["X-Request-ID"] == "trace-404"
    assert response.get_json() == {"error": {"code": "not_found", "message": "There is nothing here.", "fields": {}}}


def test_one_json_line_per_request(client, caplog):
    caplog.set_level(logging.INFO, logger="staffroom.request")
    client.get("/search?q=private+words", headers={"X-Request-ID": "trace-abc.123"})
    [line] = request_lines(caplog)
    assert line["request_id"] == "trace-abc.123"
    assert line["level"] == "INFO" and line["logger"] == "staffroom.request"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/search", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["remote_addr"] == "127.0.0.1"
    assert line["user_id"] is None
    assert line["time"].endswith("+00:00")
    assert "private" not in json.dumps(line), "query strings stay out of the log"


def test_the_line_names_the_signed_in_member(client, auth, caplog):
    user = auth.as_role()
    caplog.set_level(logging.INFO, logger="staffroom.request")
    client.get("/")
    [line] = request_lines(caplog)
    assert line["user_id"] == user.id and line["status"] == 200


def test_healthy_probes_stay_out_of_the_log_but_failures_do_not(make_app, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="staffroom.request")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    app = make_app()
    app.test_client().get("/healthz")
    app.test_client().get("/readyz")
    assert request_lines(caplog) == []
    make_app(SEARCH_INDEX_DIR=str(blocker / "index")).test_client().get("/readyz")
    [line] = request_lines(caplog)
    assert (line["path"], line["status"]) == ("/readyz", 503)


def test_what_a_request_logs_carries_its_id(app, client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.ops.view")
    logger.addHandler(handler)
    app.add_url_rule("/_ops/noisy", "noisy", lambda: logger.warning("something odd") or "done")
    try:
        client.get("/_ops/noisy", headers={"X-Request-ID": "trace-noisy"})
    finally:
        logger.removeHandler(handler)
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["message"] == "something odd" and line["request_id"] == "trace-noisy"


@pytest.mark.parametrize("log_format, formatter", [("json", JsonFormatter), ("text", TextFormatter)])
def test_outside_tests_the_app_logs_in_log_format(make_app, log_format, formatter):
    with bare_root_logger() as root:
        app = make_app(TESTING=False, LOG_FORMAT=log_format)
        [handler] = root.handlers
        assert isinstance(handler, StaffroomHandler) and isinstance(handler.formatter, formatter)
        handler.setStream(io.StringIO())
        app.test_client().get("/login", headers={"X-Request-ID": "trace-prod"})
        output = handler.stream.getvalue()
    if log_format == "json":
        lines = [json.loads(text) for text in output.splitlines()]
        assert [(line["path"], line["request_id"]) for line in lines if line["logger"] == "staffroom.request"] \
            == [("/login", "trace-prod")]
    else:
        assert "[trace-prod]: GET /login 200" in output
