"""A member cache store that fails is skipped: pages compute what they
show, as without a cache, and do not wait on it again for a while."""

from __future__ import annotations

import time

from app import member_cache
from app.people import services as people
from tests.people.test_member_cache import badge, home_page


def test_pages_answer_and_stay_current_while_the_store_is_away(app, client_for, make_user):
    store = app.extensions["member_cache"] = member_cache.RedisStore("redis://127.0.0.1:1/0")  # nothing listens
    mira, fan = make_user("mira"), make_user("fan")
    browser = client_for(mira)
    assert badge(home_page(browser), "unread-count") == "0"
    assert store.down_until > time.monotonic()  # skipped from now on, for STORE_RETRY_SECONDS
    people.follow(fan, mira)
    assert badge(home_page(browser), "unread-count") == "1"
