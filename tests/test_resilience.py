"""Redis away, and a proxy in front: what members and operators still get.

"Redis down" is a REDIS_URL on a loopback port nobody listens on; the
machine's shared Redis is never touched.
"""

from __future__ import annotations

import pytest
from flask import request

from app import config as settings
from deploy.cluster import free_port
from tests.helpers import PASSWORD

DEAD_REDIS = {"dead_redis": True}


@pytest.fixture
def app_settings(request):
    """Settings from the test's `app_settings` parameter; `dead_redis`
    points Redis (queue and rate limits) at a closed port."""
    extra = dict(getattr(request, "param", {}))
    if extra.pop("dead_redis", False):
        url = f"redis://127.0.0.1:{free_port()}/0"
        extra.update(REDIS_URL=url, RATELIMIT_STORAGE_URI=url)
    return extra


def get_token(client, login, password=PASSWORD, address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post("/api/v1/tokens", json={"login": login, "password": password}, headers=headers)


# Redis down ------------------------------------------------------------------------------------

@pytest.mark.parametrize("app_settings", [DEAD_REDIS], indirect=True)
def test_sign_in_works_while_redis_is_down_and_is_still_limited(app, auth, client, make_user):
    make_user("amara_o")
    assert auth.login("amara_o").status_code == 302
    assert client.get("/events").status_code == 200
    auth.logout()
    for _ in range(10):
        assert auth.login("amara_o", "not-the-password").status_code == 401
    # Counted in this process's memory meanwhile: the eleventh try is refused.
    refused = auth.login("amara_o")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]


@pytest.mark.parametrize("app_settings", [DEAD_REDIS], indirect=True)
def test_the_api_signs_in_and_registers_while_redis_is_down(app, client, make_user):
    make_user("tomas_r")
    assert get_token(client, "tomas_r").status_code == 201
    response = client.post("/api/v1/users", json={
        "username": "keiko_s", "email": "keiko@school.example", "password": PASSWORD,
        "display_name": "Keiko S", "country": "JP"})
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("app_settings", [DEAD_REDIS], indirect=True)
def test_readyz_still_reports_redis_as_failing(app, client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"] == "failed"


# A trusted proxy in front ------------------------------------------------------------------

@pytest.fixture
def whoami(app):
    """A route that shows what the app believes about the client."""
    app.add_url_rule("/_test/whoami", "test_whoami", lambda: f"{request.remote_addr} {request.scheme} {request.host}")
    return "/_test/whoami"


@pytest.mark.parametrize("app_settings", [{"PROXY_FIX": 1}], indirect=True)
def test_behind_one_proxy_the_client_is_read_from_the_forwarded_headers(app, client, whoami):
    headers = {"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "staffroom.example.org"}
    assert client.get(whoami, headers=headers).get_data(as_text=True) == "203.0.113.5 https staffroom.example.org"
    # The proxy appends the address it saw: a client's own entries before it are not trusted.
    forged = {"X-Forwarded-For": "198.51.100.1, 203.0.113.5"}
    assert client.get(whoami, headers=forged).get_data(as_text=True).split()[0] == "203.0.113.5"


def test_without_proxy_fix_forwarded_headers_are_ignored(app, client, whoami):
    headers = {"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}
    assert client.get(whoami, headers=headers).get_data(as_text=True) == "127.0.0.1 http localhost"


# The per-address failure limit lowered below the per-account one (10), so
# what is refused here is the address, as the proxy reports it.
ADDRESS_LIMIT = {"RATELIMIT_LOGIN_FAILURES_PER_ADDRESS": "5 per hour"}


@pytest.mark.parametrize("app_settings", [{"PROXY_FIX": 1, **ADDRESS_LIMIT}], indirect=True)
def test_behind_a_proxy_the_sign_in_limit_counts_each_client_address(app, client, make_user):
    make_user("lena_w")
    for _ in range(5):
        assert get_token(client, "lena_w", "not-the-password", "203.0.113.5").status_code == 401
    refused = get_token(client, "lena_w", address="203.0.113.5")
    assert refused.status_code == 429
    assert "from your network" in refused.get_json()["error"]["message"]
    assert get_token(client, "lena_w", address="198.51.100.1, 203.0.113.5").status_code == 429
    assert get_token(client, "lena_w", address="203.0.113.6").status_code == 201


@pytest.mark.parametrize("app_settings", [ADDRESS_LIMIT], indirect=True)
def test_without_proxy_fix_every_client_counts_as_the_proxy(app, client, make_user):
    make_user("lena_w")
    for _ in range(5):
        assert get_token(client, "lena_w", "not-the-password", "203.0.113.5").status_code == 401
    assert get_token(client, "lena_w", address="203.0.113.6").status_code == 429


def test_proxy_fix_must_be_a_number_of_proxies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.setenv("PROXY_FIX", "1")
    assert settings.from_env(tmp_path)["PROXY_FIX"] == 1
    monkeypatch.setenv("PROXY_FIX", "yes")
    with pytest.raises(ValueError, match="PROXY_FIX must be a whole number"):
        settings.from_env(tmp_path)
