"""With REDIS_URL set, rate limits live in Redis and so hold across processes."""

from __future__ import annotations

import secrets

import pytest
import redis

from app import create_app
from tests import services
from tests.conftest import make_settings
from tests.helpers import Client


def forget_limits(url: str, prefix: str) -> None:
    """Only this test's counters: the other xdist worker may be counting
    under its own prefix in the same Redis right now."""
    connection = redis.Redis.from_url(url)
    for key in connection.scan_iter(f"*LIMITER/{prefix}/*"):
        connection.delete(key)


@pytest.fixture
def app_settings():
    url, prefix = services.need_redis(), f"test-{secrets.token_hex(8)}"
    yield {"REDIS_URL": url, "RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": prefix}
    forget_limits(url, prefix)


def test_login_limit_is_kept_in_redis(app, auth, make_user):
    make_user("wanjiru_k")
    for _ in range(10):
        assert auth.login("wanjiru_k", "not-the-password").status_code == 401
    assert auth.login("wanjiru_k").status_code == 429
    prefix = app.config["RATELIMIT_KEY_PREFIX"]
    keys = list(redis.Redis.from_url(app.config["REDIS_URL"]).scan_iter(f"*LIMITER/{prefix}/signin-*"))
    assert keys, "the limiter wrote nothing to Redis under this app's prefix"


def test_a_second_app_process_sees_the_same_counter(app, auth, make_user, database, tmp_path):
    make_user("wanjiru_k")
    for _ in range(10):
        auth.login("wanjiru_k", "not-the-password")
    # Its own folder, but the same database: the failures are counted per
    # member, and both processes must see the same member, as in production.
    (tmp_path / "other").mkdir()
    other = create_app(make_settings(database, tmp_path / "other", REDIS_URL=app.config["REDIS_URL"],
                                     SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                                     RATELIMIT_STORAGE_URI=app.config["REDIS_URL"],
                                     RATELIMIT_KEY_PREFIX=app.config["RATELIMIT_KEY_PREFIX"]))
    other.test_client_class = Client
    with other.app_context():
        response = other.test_client().submit("/login", {"login": "wanjiru_k", "password": "x" * 12})
    assert response.status_code == 429
