"""Numbers too large for the database, from the places a security review
found them: each was a 500 (OverflowError on SQLite, "integer out of range"
on PostgreSQL) and is now an ordinary page, a 404 or a validation error.

2147483648 is the first number PostgreSQL's INTEGER cannot hold;
99999999999999999999 is past SQLite's 64-bit one as well.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.forum import categories
from app.forum.models import Thread
from app.notifications import services as notifications
from app.resources import collections
from app.resources import services as resources

HUGE = ["2147483648", "99999999999999999999"]


def field_errors(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["error"]["fields"]


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


# The JSON API -----------------------------------------------------------------------------

@pytest.mark.parametrize("huge", HUGE)
def test_adding_a_resource_that_cannot_exist_to_a_collection_is_a_422(api, make_user, huge):
    me = make_user()
    api.login(me.username)
    collection = collections.create_collection(me, "Week one")
    response = api.post(f"/collections/{collection.id}/items", json={"resource_id": int(huge)})
    assert "resource_id" in field_errors(response)


def test_adding_a_resource_still_works(api, make_user):
    me = make_user()
    api.login(me.username)
    collection = collections.create_collection(me, "Week one")
    resource = resources.create_resource(me, title="Fractions starter", url="https://example.org/fractions",
                                         subject="mathematics", license="cc-by")
    assert api.post(f"/collections/{collection.id}/items", json={"resource_id": resource.id}).status_code == 201


@pytest.mark.parametrize("huge", HUGE)
def test_listing_threads_in_a_category_that_cannot_exist_is_a_422(api, huge):
    assert "category_id" in field_errors(api.get(f"/threads?category_id={huge}"))


@pytest.mark.parametrize("huge", HUGE)
def test_starting_a_thread_in_a_category_that_cannot_exist_is_a_422(api, make_user, huge):
    categories.ensure_defaults()
    api.login(make_user().username)
    response = api.post("/threads", json={"category_id": int(huge), "title": "Marking in half the time?",
                                          "body": "What works for you?", "kind": "question"})
    assert "category_id" in field_errors(response)
    assert db.session.scalar(select(func.count(Thread.id))) == 0
