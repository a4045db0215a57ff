"""Numbers too large for the database, from the places a security review
found them: each was a 500 (OverflowError on SQLite, "integer out of range"
on PostgreSQL) and is now an ordinary page, a 404 or a validation error.

2147483648 is the first number PostgreSQL's INTEGER cannot hold;
99999999999999999999 is past SQLite's 64-bit one as well.
"""

from __future__ import annotations

import pytest

from app.extensions import db
from app.notifications import services as notifications

HUGE = ["2147483648", "99999999999999999999"]


# Page numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("page", HUGE)
def test_a_notifications_page_far_past_the_last_is_empty(client, auth, make_user, page):
    me = auth.as_role()
    notifications.notify(me, "reply", "Someone answered your question", "/discuss", actor=make_user())
    db.session.commit()
    response = client.get(f"/notifications?page={page}")
    assert response.status_code == 200
    assert "Someone answered your question" not in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["-5", "0", "abc"])
def test_a_page_number_that_is_not_one_shows_the_first_page(client, auth, make_user, page):
    me = auth.as_role()
    notifications.notify(me, "reply", "Someone answered your question", "/discuss", actor=make_user())
    db.session.commit()
    response = client.get(f"/notifications?page={page}")
    assert response.status_code == 200
    assert "Someone answered your question" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", HUGE)
def test_my_fitness_page_far_past_the_last_still_shows_my_totals(client, auth, page):
    auth.as_role()
    response = client.get(f"/me/fitness?page={page}")
    assert response.status_code == 200
    assert "Personal bests" in response.get_data(as_text=True)
