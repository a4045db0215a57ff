"""With REDIS_URL set, rate limits live in Redis and so hold across processes."""

from __future__ import annotations

import secrets

import pytest
import redis

from app import create_app
from tests import services
from tests.conftest import make_settings
from tests.helpers import Client

# Tests that share the one Redis run on one xdist worker, one after another.
pytestmark = pytest.mark.xdist_group("redis")



def forget_test_limits(url: str) -> None:
    # Flask-Limiter keeps the first key prefix it was given for the life of
    # the process, so clear every test prefix, not only this test's.
    connection = redis.Redis.from_url(url)
    for key in connection.scan_iter("*LIMITER/test-*"):
        connection.delete(key)


@pytest.fixture
def app_settings():
    url = services.need_redis()
    forget_test_limits(url)
    yield {"REDIS_URL": url, "RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(4)}"}
    forget_test_limits(url)


def test_login_limit_is_kept_in_redis(app, auth, make_user):
    make_user("wanjiru_k")
    for _ in range(10):
        assert auth.login("wanjiru_k", "not-the-password").status_code == 401
    assert auth.login("wanjiru_k").status_code == 429
    keys = list(redis.Redis.from_url(app.config["REDIS_URL"]).scan_iter("*LIMITER/test-*login*"))
    assert keys, "the limiter wrote nothing to Redis"


def test_a_second_app_process_sees_the_same_counter(app, auth, make_user, database, tmp_path):
    make_user("wanjiru_k")
    for _ in range(10):
        auth.login("wanjiru_k", "not-the-password")
    # Its own folder: on SQLite a test database is a fresh copy of the template.
    (tmp_path / "other").mkdir()
    other = create_app(make_settings(database, tmp_path / "other", REDIS_URL=app.config["REDIS_URL"],
                                     RATELIMIT_STORAGE_URI=app.config["REDIS_URL"],
                                     RATELIMIT_KEY_PREFIX=app.config["RATELIMIT_KEY_PREFIX"]))
    other.test_client_class = Client
    with other.app_context():
        response = other.test_client().submit("/login", {"login": "wanjiru_k", "password": "x" * 12})
    assert response.status_code == 429
