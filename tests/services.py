"""Which outside services the tests may use, and what to do when one is missing.

On a laptop a missing PostgreSQL, Redis or Chromium skips the tests that need
it, with the reason. With STAFFROOM_REQUIRE_SERVICES=1 (as .ci/run sets) the
same absence fails the test instead, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest

POSTGRES_URL = os.environ.get("STAFFROOM_TEST_DATABASE_URL") or None
REDIS_URL = os.environ.get("STAFFROOM_TEST_REDIS_URL") or None
CHROMIUM = os.environ.get("STAFFROOM_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("STAFFROOM_REQUIRE_SERVICES") == "1"


def unavailable(reason: str):
    """Skip, or fail when services are required."""
    if REQUIRED:
        pytest.fail(f"required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


def need_postgres() -> str:
    if not POSTGRES_URL:
        unavailable("PostgreSQL not configured (set STAFFROOM_TEST_DATABASE_URL)")
    return POSTGRES_URL


def need_redis() -> str:
    if not REDIS_URL:
        unavailable("Redis not configured (set STAFFROOM_TEST_REDIS_URL)")
    return REDIS_URL


def need_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401, PLC0415 (optional dependency probe)
    except ImportError:
        unavailable("playwright is not installed")
    return CHROMIUM
