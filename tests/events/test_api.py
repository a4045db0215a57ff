"""Events in the JSON API: create with an offset, errors that name the field,
RSVPs, attendees, transcripts, questions, the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.db_types import utcnow
from app.events import chat
from app.events import rsvp as rsvps
from app.events.models import Event
from app.extensions import db
from app.notifications.models import Notification
from tests.events.fixtures import move


def future(days: int = 3) -> str:
    return (utcnow() + timedelta(days=days)).replace(microsecond=0).isoformat()


def test_create_read_update_and_cancel(api, make_user):
    make_user("amira_h", country="SA", timezone="Asia/Riyadh")
    make_user("leyla_m", country="AZ")
    api.login("amira_h")
    start = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    riyadh = start.astimezone(ZoneInfo("Asia/Riyadh")).isoformat()
    response = api.post("/events", json={
        "title": "TweetMeet: assessment", "kind": "tweetmeet", "starts_at": riyadh, "duration_min": 60,
        "description": "# Hello\n<script>x</script>", "hosts": ["leyla_m"], "hashtag": "#AssessChat", "capacity": 50,
    })
    assert response.status_code == 201, response.get_json()
    event = response.get_json()
    assert event["starts_at"] == start.isoformat()  # stored and returned in UTC
    assert event["timezone"] == "Asia/Riyadh"
    assert [h["username"] for h in event["hosts"]] == ["amira_h", "leyla_m"]
    assert [h["country"] for h in event["hosts"]] == ["SA", "AZ"]
    assert "<script>" not in event["description_html"]
    assert event["going"] == 2 and event["links"]["room"]  # the hosts are going == f"/events/{event['id']}/room"
    changed = api.patch(f"/events/{event['id']}", json={"duration_min": 90}).get_json()
    assert changed["sequence"] == 1 and changed["ends_at"] > changed["starts_at"]
    cancelled = api.post(f"/events/{event['id']}/cancel").get_json()
    assert cancelled["status"] == "cancelled"
    assert api.patch(f"/events/{event['id']}", json={"title": "Again"}).status_code == 409


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "party"}, "kind"),
    ({"starts_at": "2027-01-01T10:00:00"}, "starts_at"),  # no offset
    ({"duration_min": 2}, "duration_min"),
    ({"capacity": 0}, "capacity"),
    ({"hosts": ["nobody_here"]}, "hosts"),
    ({"country": "ZZ"}, "country"),
    ({"kind": "meetup"}, "location"),
    ({"always_open": True}, "always_open"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
])
def test_bad_fields_are_422_naming_the_field(api, make_user, body, field):
    make_user("amira_h")
    api.login("amira_h")
    payload = {"title": "A good title", "kind": "webinar", "starts_at": future(), "duration_min": 60, **body}
    response = api.post("/events", json=payload)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_only_a_moderator_switches_a_drop_in_room_on_or_off(api, make_user, make_event):
    moderator = make_user("mod_mira", role="moderator")
    make_user("leyla_m")
    event = make_event(moderator, title="Drop-in staffroom", always_open=True, hosts=["leyla_m"])
    path = f"/events/{event.id}"
    api.login("leyla_m")
    response = api.patch(path, json={"always_open": False})
    assert response.status_code == 422 and "always_open" in response.get_json()["error"]["fields"]
    assert api.get(path).get_json()["always_open"] is True
    # The co-host still runs the rest of the event, and may send the flag back unchanged.
    response = api.patch(path, json={"title": "Drop-in staffroom, all week", "always_open": True})
    assert response.status_code == 200, response.get_json()

    api.login("mod_mira")
    assert api.patch(path, json={"always_open": False}).get_json()["always_open"] is False


def test_writes_need_a_signed_in_member(api, make_event):
    event = make_event()
    assert api.post("/events", json={}).status_code == 401
    assert api.post(f"/events/{event.id}/rsvp").status_code == 401
    assert api.get(f"/events/{event.id}").status_code == 200


def test_rsvp_and_attendees(api, make_user, make_event):
    organiser = make_user("gary_w")
    event = make_event(organiser, capacity=2)  # the organiser has one place
    rsvps.rsvp(event, make_user())
    make_user("amira_h")
    api.login("amira_h")
    assert api.post(f"/events/{event.id}/rsvp").get_json() == {"status": "waitlisted"}
    assert api.get(f"/events/{event.id}/attendees").status_code == 403
    assert api.delete(f"/events/{event.id}/rsvp").get_json() == {"status": "not_going"}
    api.login("gary_w")
    rows = api.get(f"/events/{event.id}/attendees").get_json()["items"]
    assert [row["status"] for row in rows] == ["going", "going"]


def test_lists_and_transcript(api, make_event, live_event, make_user):
    live = live_event(title="Live")
    upcoming = make_event(title="Upcoming", kind="webinar")
    member = make_user()
    first, _ = chat.post_message(live, member, "one")
    chat.post_message(live, member, "two")
    assert [e["title"] for e in api.get("/events").get_json()["items"]] == ["Upcoming"]
    assert [e["title"] for e in api.get("/events?when=live").get_json()["items"]] == ["Live"]
    assert api.get("/events?kind=tweetmeet").get_json()["total"] == 0
    assert api.get("/events?when=soon").status_code == 422
    items = api.get(f"/events/{live.id}/messages?since_id={first.id}").get_json()["items"]
    assert [m["text"] for m in items] == ["two"]
    assert upcoming.id


def test_questions_through_the_api(api, make_user, make_event):
    host = make_user("priya_n")
    event = make_event(host, kind="tweetmeet")
    api.login("priya_n")
    response = api.post(
        f"/events/{event.id}/questions", json={"body": "What is your favourite tool?", "offset_min": 10}
    )
    assert response.status_code == 201 and response.get_json()["number"] == 1
    assert api.post(f"/events/{event.id}/questions", json={"body": "x", "offset_min": 10}).status_code == 422
    question_id = response.get_json()["id"]
    assert [q["number"] for q in api.get(f"/events/{event.id}/questions").get_json()["items"]] == [1]
    assert api.delete(f"/events/{event.id}/questions/{question_id}").status_code == 204


def test_hosts_edit_and_post_questions_through_the_api(api, make_user, make_event):
    host = make_user("priya_n")
    make_user("gary_w")
    event = make_event(host, kind="tweetmeet")
    api.login("priya_n")
    question = api.post(f"/events/{event.id}/questions", json={"body": "Q1 Your tool?", "offset_min": 10}).get_json()
    assert question["body"] == "Your tool?"
    path = f"/events/{event.id}/questions/{question['id']}"
    changed = api.patch(path, json={"body": "Q1 Your favourite tool?", "offset_min": 15})
    assert changed.status_code == 200 and changed.get_json() | {"posted_at": None} == {
        "id": question["id"], "number": 1, "body": "Your favourite tool?", "offset_min": 15, "posted_at": None}
    for bad, field in (
        ({"body": "x"}, "body"),
        ({"offset_min": 500}, "offset_min"),
        ({"offset_min": "5"}, "offset_min"),
        ({"number": 3}, "number"),
    ):
        response = api.patch(path, json=bad)
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], bad
    assert api.patch(f"/events/{event.id}/questions/999999", json={"body": "Nothing here"}).status_code == 404
    assert api.post(f"/events/{event.id}/questions/next").status_code == 409  # the room is not open yet
    move(event, utcnow() - timedelta(minutes=5))
    posted = api.post(f"/events/{event.id}/questions/next")
    assert posted.status_code == 201 and posted.get_json()["text"] == "Q1 Your favourite tool?"
    assert api.post(f"/events/{event.id}/questions/next").status_code == 409  # none left
    api.login("gary_w")
    assert api.post(f"/events/{event.id}/questions/next").status_code == 403
    assert api.patch(path, json={"body": "Not my question"}).status_code == 403


def test_hosts_are_going_and_a_new_cohost_is_told(api, make_user, make_event, app):
    organiser, cohost, late = make_user("amira_h"), make_user("leyla_m"), make_user("yuki_t")
    api.login("amira_h")
    event = api.post("/events", json={"title": "Small meetup call", "kind": "connection_call",
                                       "starts_at": future(), "duration_min": 60, "hosts": ["leyla_m"],
                                       "capacity": 3}).get_json()
    assert event["going"] == 2
    told = db.session.scalars(select(Notification).where(Notification.kind == "event_host")).all()
    assert [(n.user_id, n.text, n.url) for n in told] == [
        (cohost.id, f"{organiser.display_name} made you a host of “Small meetup call”.", f"/events/{event['id']}")]
    rsvps.rsvp(db.session.get(Event, event["id"]), make_user())  # the last place
    waiting = make_user()
    assert rsvps.rsvp(db.session.get(Event, event["id"]), waiting) == "waitlisted"
    changed = api.patch(f"/events/{event['id']}", json={"hosts": ["leyla_m", waiting.username, late.username]})
    assert changed.status_code == 422 and "at least 4 places" in changed.get_json()["error"]["fields"]["capacity"]
    changed = api.patch(f"/events/{event['id']}", json={"hosts": ["leyla_m", waiting.username], "capacity": 4})
    assert changed.status_code == 200 and changed.get_json()["going"] == 4  # a waiting host has a place
    assert api.get(f"/events/{event['id']}").get_json()["waitlisted"] == 0
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.kind == "event_host")) == 2


def test_openapi_documents_the_events_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [
        ("/api/v1/events", "post"),
        ("/api/v1/events/{event_id}/rsvp", "post"),
        ("/api/v1/events/{event_id}/rsvp", "delete"),
        ("/api/v1/events/{event_id}/calendar.ics", "get"),
    ]:
        assert method in paths[path], (path, method)
