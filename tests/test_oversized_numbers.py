"""Numbers too large for the database, from the places a security review
found them: each was a 500 (OverflowError on SQLite, "integer out of range"
on PostgreSQL) and is now an ordinary page, a 404 or a validation error.

2147483648 is the first number PostgreSQL's INTEGER cannot hold;
99999999999999999999 is past SQLite's 64-bit one as well.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db
from app.forum import categories
from app.forum import services as forum
from app.forum.models import Post, Thread
from app.groups import activities
from app.notifications import services as notifications
from app.programmes.models import ChecklistItem
from app.resources import collections
from app.resources import services as resources
from tests.helpers import csrf_from

HUGE = ["2147483648", "99999999999999999999"]


def field_errors(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["error"]["fields"]


# Page numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("page, shown", [*((huge, False) for huge in HUGE), ("-5", True), ("0", True), ("abc", True)])
def test_a_page_far_past_the_last_is_empty_and_one_that_is_not_a_number_is_the_first(client, auth, make_user,
                                                                                      page, shown):
    me = auth.as_role()
    notifications.notify(me, "reply", "Someone answered your question", "/discuss", actor=make_user())
    db.session.commit()
    response = client.get(f"/notifications?page={page}")
    assert response.status_code == 200
    assert ("Someone answered your question" in response.get_data(as_text=True)) is shown


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


# Ids in query strings and forms ----------------------------------------------------------

@pytest.mark.parametrize("group", HUGE)
def test_logging_an_activity_for_a_group_that_cannot_exist_shows_the_plain_form(client, auth, group):
    auth.as_role()
    response = client.get(f"/activities/new?group={group}")
    assert response.status_code == 200
    assert 'name="distance"' in response.get_data(as_text=True)


def test_a_kudos_button_naming_a_group_that_cannot_exist_goes_back_to_the_activity(client, auth, make_user):
    auth.as_role()
    activity = activities.log_activity(make_user(), sport="run", distance_m=5000, duration_s=1800,
                                       started_at=utcnow() - timedelta(hours=1), visibility="public")
    response = client.submit(f"/activities/{activity.id}/kudos", {"group_id": HUGE[1]},
                             page=f"/activities/{activity.id}")
    assert response.status_code == 302 and response.location == f"/activities/{activity.id}"


@pytest.fixture
def thread(app, make_user):
    categories.ensure_defaults()
    category = categories.by_slug("ask-the-community", None)
    return forum.create_thread(make_user(), category, title="Marking in half the time?", body="What works?",
                               kind="question", enforce_limits=False)


@pytest.mark.parametrize("name", ["quote", "reply_to"])
@pytest.mark.parametrize("huge", HUGE)
def test_quoting_a_post_that_cannot_exist_is_a_404(client, auth, thread, name, huge):
    auth.as_role()
    response = client.get(f"/t/{thread.id}/reply?{name}={huge}")
    assert response.status_code == 404
    assert "text/html" in response.content_type


@pytest.mark.parametrize("huge", HUGE)
def test_replying_to_a_post_that_cannot_exist_is_a_404_and_posts_nothing(client, auth, thread, huge):
    auth.as_role()
    token = csrf_from(client.get(f"/t/{thread.id}/reply").get_data(as_text=True))
    response = client.post(f"/t/{thread.id}/reply", data={"csrf_token": token, "body": "Whole-class feedback.",
                                                           "reply_to": huge})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Post.id))) == 1


def test_adding_a_resource_that_cannot_exist_from_a_collections_page_says_so(client, auth):
    me = auth.as_role()
    collection = collections.create_collection(me, "Week one")
    response = client.submit(f"/collections/{collection.id}/items", {"resource_id": HUGE[1]},
                             page=f"/collections/{collection.id}")
    assert response.status_code == 302
    assert "Say which resource to add." in client.get(response.location).get_data(as_text=True)


def test_saving_a_checklist_item_that_cannot_exist_is_a_404(client, auth):
    auth.as_role("admin")
    response = client.submit("/programmes/admin/checklist", {"title": "Runs a parents' evening", "item_id": HUGE[1]},
                             page="/programmes/admin/schools")
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(ChecklistItem.id))) == 0


@pytest.mark.parametrize("position", ["-5", HUGE[1]])
def test_a_checklist_position_out_of_range_is_refused(client, auth, api, position):
    admin = auth.as_role("admin")
    response = client.submit("/programmes/admin/checklist", {"title": "Runs a parents' evening", "position": position},
                             page="/programmes/admin/schools")
    assert response.status_code == 302
    api.login(admin.username)
    assert "position" in field_errors(api.post("/checklist-items", json={"title": "Runs a parents' evening",
                                                                         "position": int(position)}))
    assert db.session.scalar(select(func.count(ChecklistItem.id))) == 0


# Live rooms -------------------------------------------------------------------------------

@pytest.mark.parametrize("event_id, code", [(10**30, "not_found"), (2**31, "not_found"), (-1, "not_found"),
                                            ("x", "bad_request")])
def test_joining_a_room_that_cannot_exist_is_an_error_ack_and_the_socket_stays_usable(
        live, make_user, live_event, event_id, code):
    event = live_event()
    socket = live(token=accounts.issue_token(make_user())[0])
    ack = socket.emit("join", {"event_id": event_id}, namespace="/live", callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code
    assert socket.is_connected("/live")
    assert socket.emit("join", {"event_id": event.id}, namespace="/live", callback=True)["ok"] is True


# Files -----------------------------------------------------------------------------------------

def test_a_gpx_upload_sent_as_text_is_a_422_naming_it(api, make_user):
    api.login(make_user().username)
    response = api.post("/activities", data={"gpx": "not a file", "sport": "run"})
    assert "gpx" in field_errors(response)


# Decimal numbers typed on the fitness pages ---------------------------------------------------

@pytest.mark.parametrize("field", ["distance", "duration"])
def test_a_distance_or_time_too_large_to_store_is_a_field_error(client, auth, field):
    auth.as_role()
    form = {"sport": "run", "distance": "5", "duration": "30:00", "date": "2026-01-10", "start_time": "07:15",
            "visibility": "groups", field: "1e40"}
    response = client.submit("/activities/new", form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
