"""/healthz and /readyz, as a load balancer sees them."""

from __future__ import annotations

import threading

import pytest

from app.ops import health
from tests import services
from tests.ops.conftest import CLOSED_PORT

DEAD_POSTGRES = f"postgresql+psycopg://postgres@127.0.0.1:{CLOSED_PORT}/staffroom"


def test_healthz_answers_without_the_database(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=DEAD_POSTGRES)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_with_a_working_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "not configured", "search_index": "ok"},
    }
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", [DEAD_POSTGRES, "sqlite:////nonexistent-folder/staffroom.db"])
def test_readyz_fails_when_the_database_is_unreachable(make_app, url):
    response = make_app(SQLALCHEMY_DATABASE_URI=url).test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "failed", "redis": "not configured", "search_index": "ok"}
    assert "cannot query the database" in body["errors"]["database"]
    # The probe is public: the cause goes to the log, not to whoever asks.
    assert "127.0.0.1" not in response.get_data(as_text=True)
    assert "nonexistent-folder" not in response.get_data(as_text=True)


def test_readyz_fails_fast_when_redis_is_down(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["redis"] == "failed" and body["checks"]["database"] == "ok"
    assert "cannot reach Redis" in body["errors"]["redis"]


def test_readyz_checks_redis_when_configured(make_app):
    app = make_app(REDIS_URL=services.need_redis())
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"]["redis"] == "ok"


def test_readyz_fails_when_the_search_index_folder_is_not_writable(make_app, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    # A path under a regular file: not writable even for root, unlike chmod.
    response = make_app(SEARCH_INDEX_DIR=str(blocker / "index")).test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["search_index"] == "failed"
    assert "not writable" in body["errors"]["search_index"]


def test_a_process_that_only_reads_the_index_is_ready_before_the_index_exists(make_app, tmp_path):
    app = make_app(SEARCH_INDEX_READ_ONLY=True, SEARCH_INDEX_DIR=str(tmp_path / "not-built-yet"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 200 and response.get_json()["checks"]["search_index"] == "ok"
    assert not (tmp_path / "not-built-yet").exists()  # the probe wrote nothing either


def test_a_hanging_check_fails_the_probe_instead_of_hanging_it(make_app, monkeypatch):
    release = threading.Event()

    def hangs(app):
        release.wait()
        return "ok"

    # Only the hanging check, so nothing else races the short deadline.
    monkeypatch.setattr(health, "CHECKS", {"database": hangs})
    app = make_app(READYZ_TIMEOUT_SECONDS=0.05)
    try:
        response = app.test_client().get("/readyz")
    finally:
        release.set()
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "checks": {"database": "failed"},
        "errors": {"database": "no answer within 0.05 s"},
    }


def test_probes_are_not_part_of_the_api_spec(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert not any(path.endswith(("healthz", "readyz")) for path in paths)
