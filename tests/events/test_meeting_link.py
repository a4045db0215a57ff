"""The meeting link of an online event: what is accepted, and who sees it
when (members going, from 15 minutes before the start to the end; hosts;
never visitors, other members, the waitlist or a cancelled event), on the
page, in the API, through /join, in reminders, and never in calendars or
search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.db_types import utcnow
from app.events import calendar, meeting, reminders, services
from app.events import rsvp as rsvps
from app.events.models import Event
from app.extensions import db
from app.mail.models import MailOutbox
from app.notifications import mail as notification_mail
from app.notifications.models import Notification
from app.search import service as search
from tests.events.fixtures import move
from tests.events.test_pages import event_form

LINK = "https://zoom.us/j/8123456789?pwd=quokkaSecret"
WAIT = "The link to join appears here 15 minutes before the start"


# What is accepted ----------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    LINK, "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d",
    "https://meet.jit.si/StaffroomMaths", "https://bbb.school.example:8443/b/ama-x1", "https://zoom.us./j/1",
    "https://münchen.example/call",
])
def test_links_that_are_accepted(url):
    assert meeting.url_problem(url) is None


@pytest.mark.parametrize(("url", "message"), [
    ("http://zoom.us/j/1", "Use an https:// link"),
    ("zoom.us/j/1", "Use an https:// link"),
    ("javascript:alert(1)", "Use an https:// link"),
    ("https://localhost/call", "full site name"),
    ("https://192.168.1.10/call", "full site name"),
    ("https://[::1]/call", "full site name"),
    ("https://zoom/j/1", "full site name"),
    ("https://zoom.123/j/1", "full site name"),
    ("https://", "full site name"),
    ("https://zoom.us@evil.example/j/1", "without a user name"),
    ("https://zoom.us:99999/j/1", "That is not a link"),
    ("https://zoom.us/j/1 and more", "no spaces"),
    ("https://zoom.us/" + "a" * 500, "at most 500 characters"),
])
def test_links_that_are_refused_say_why(url, message):
    assert message in meeting.url_problem(url)


def test_known_services_are_named():
    assert meeting.provider(LINK) == "Zoom"
    assert meeting.provider("https://myschool.zoom.us/j/1") == "Zoom"
    assert meeting.provider("https://meet.jit.si/x") == "Jitsi Meet"
    assert meeting.provider("https://notzoom.us/j/1") is None


# Who sees it, when -------------------------------------------------------------------------

@pytest.fixture
def people(make_user, make_event):
    """An online call with a link: organiser, co-host, a member going, one on
    the waitlist (3 places: the hosts hold two), one not going."""
    organiser, cohost = make_user(), make_user()
    going, waiting, other = make_user(), make_user(), make_user()
    event = make_event(organiser, hosts=[cohost.username], capacity=3, meeting_url=LINK)
    assert rsvps.rsvp(event, going) == "going"
    assert rsvps.rsvp(event, waiting) == "waitlisted"
    return event, {"organiser": organiser, "cohost": cohost, "going": going, "waiting": waiting, "other": other,
                   "visitor": None}


def states(event, users) -> dict[str, str]:
    return {name: meeting.for_viewer(event, user).state for name, user in users.items()}


def test_the_rule_before_during_and_after_the_call(people):
    event, users = people
    hosts = {"organiser": "open", "cohost": "open"}
    refused = {"waiting": "hidden", "other": "hidden", "visitor": "hidden"}
    assert states(event, users) == {**hosts, "going": "soon", **refused}
    assert meeting.for_viewer(event, users["going"]).available_at == event.starts_at - timedelta(minutes=15)
    assert meeting.for_viewer(event, users["going"]).url is None

    move(event, utcnow() + timedelta(minutes=16))
    assert states(event, users)["going"] == "soon"
    move(event, utcnow() + timedelta(minutes=14))  # the window opens 15 minutes before
    assert states(event, users) == {**hosts, "going": "open", **refused}
    assert meeting.for_viewer(event, users["going"]).url == LINK
    move(event, utcnow() - timedelta(minutes=59))  # an hour long: a minute left
    assert states(event, users)["going"] == "open"
    move(event, utcnow() - timedelta(minutes=61))
    assert states(event, users) == {**hosts, "going": "over", **refused}


def test_nobody_sees_the_link_of_a_cancelled_or_in_person_event(people, make_event, make_user):
    event, users = people
    move(event, utcnow() + timedelta(minutes=5))
    services.cancel_event(event, users["organiser"])
    assert set(states(event, users).values()) == {"none"}
    venue = make_event(kind="meetup", is_online=False, location="ExCeL", city="London", country="GB")
    assert meeting.for_viewer(venue, venue.organiser).state == "none"


def page_shows(browser, event) -> bool:
    response = browser.get(f"/events/{event.id}")
    assert response.status_code == 200
    return LINK in response.get_data(as_text=True)


def join_goes_to(browser, event) -> str:
    response = browser.get(f"/events/{event.id}/join")
    assert response.status_code == 302
    return response.location


def api_sees(api_client, event) -> dict:
    body = api_client.get(f"/events/{event.id}").get_json()
    return {"meeting_url": body["meeting_url"], "available_at": body["meeting_url_available_at"]}


def test_pages_api_and_join_follow_the_rule_for_each_viewer(people, client, api, client_for, api_for):
    event, users = people
    browsers = {name: client_for(user) if user else client for name, user in users.items()}
    apis = {name: api_for(user) if user else api for name, user in users.items()}
    opens = (event.starts_at - timedelta(minutes=15)).isoformat()

    # Two days before: hosts only; the member going is told when.
    for name in ("organiser", "cohost"):
        assert page_shows(browsers[name], event) and join_goes_to(browsers[name], event) == LINK
        assert api_sees(apis[name], event) == {"meeting_url": LINK, "available_at": None}
    going_page = browsers["going"].get(f"/events/{event.id}").get_data(as_text=True)
    assert LINK not in going_page and WAIT in going_page
    assert api_sees(apis["going"], event) == {"meeting_url": None, "available_at": opens}
    assert join_goes_to(browsers["going"], event) == f"/events/{event.id}"
    assert "appears 15 minutes before the start" in browsers["going"].get(f"/events/{event.id}").get_data(
        as_text=True)  # the flash message of /join
    for name in ("waiting", "other", "visitor"):
        assert not page_shows(browsers[name], event)
        assert api_sees(apis[name], event) == {"meeting_url": None, "available_at": None}
    assert "You are on the waitlist: if a place opens up" in browsers["waiting"].get(
        f"/events/{event.id}").get_data(as_text=True)
    assert join_goes_to(browsers["visitor"], event).startswith("/login")

    # In the window: the member going too, nobody else.
    move(event, utcnow() + timedelta(minutes=10))
    assert page_shows(browsers["going"], event)
    assert api_sees(apis["going"], event) == {"meeting_url": LINK, "available_at": None}
    response = browsers["going"].get(f"/events/{event.id}/join")
    assert response.location == LINK and response.headers["Referrer-Policy"] == "no-referrer"
    room = browsers["going"].get(f"/events/{event.id}/room").get_data(as_text=True)
    assert "Join the call on Zoom" in room
    for name in ("waiting", "other", "visitor"):
        assert not page_shows(browsers[name], event)
        assert api_sees(apis[name], event)["meeting_url"] is None
    for name in ("waiting", "other"):
        assert join_goes_to(browsers[name], event) == f"/events/{event.id}"
        assert LINK not in browsers[name].get(f"/events/{event.id}/room").get_data(as_text=True)
    listed = apis["going"].get("/events?when=live").get_json()["items"]
    assert [item["meeting_url"] for item in listed] == [LINK]
    assert [item["meeting_url"] for item in apis["other"].get("/events?when=live").get_json()["items"]] == [None]

    # After the end: gone for the member; hosts still have it.
    move(event, utcnow() - timedelta(minutes=61))
    assert not page_shows(browsers["going"], event)
    assert api_sees(apis["going"], event) == {"meeting_url": None, "available_at": None}
    assert join_goes_to(browsers["going"], event) == f"/events/{event.id}"
    assert api_sees(apis["organiser"], event)["meeting_url"] == LINK


def test_the_link_never_reaches_calendars_or_search(people, client, index_now, client_for):
    event, users = people
    move(event, utcnow() + timedelta(minutes=5))
    for data in (calendar.event_ics(event, "https://staffroom.example"),
                 calendar.feed_ics(users["going"], "https://staffroom.example"),
                 client_for(users["going"]).get(f"/events/{event.id}/calendar.ics").data):
        assert "quokka" not in Calendar.from_ical(data).to_ical().decode().lower()
    move(event, utcnow() + timedelta(days=1))
    links = calendar.add_links(event, "https://staffroom.example")
    assert links and not any("quokka" in url.lower() or "zoom" in url for url in links.values())
    index_now()
    assert search.search("quokkaSecret").total == 0
    assert search.search("zoom", user=users["going"]).total == 0
    assert LINK not in client.get("/events").get_data(as_text=True)


# Setting it ------------------------------------------------------------------------------------

def test_the_form_takes_a_link_and_refuses_a_bad_one(client, auth):
    auth.as_role()
    response = client.submit("/events/new", event_form(meeting_url="http://zoom.us/j/1"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="meeting_url-error"' in page and "Use an https:// link" in page
    assert db.session.scalar(select(Event.id)) is None
    response = client.submit("/events/new", event_form(is_online="0", location="ExCeL", city="London",
                                                       country="GB", meeting_url=LINK))
    assert response.status_code == 422 and "Only online events have a meeting link" in response.get_data(
        as_text=True)
    response = client.submit("/events/new", event_form(meeting_url=f"  {LINK} "))
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert event.meeting_url == LINK
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="https://zoom.us/j/8123456789?pwd=quokkaSecret"' in edit.replace("&amp;", "&")


def test_the_api_sets_changes_and_removes_it(api, make_user):
    make_user("amira_h")
    api.login("amira_h")
    start = (utcnow() + timedelta(days=3)).replace(microsecond=0).isoformat()
    body = {"title": "Call with a link", "kind": "connection_call", "starts_at": start, "duration_min": 60}
    bad = api.post("/events", json={**body, "meeting_url": "https://127.0.0.1/x"})
    assert bad.status_code == 422
    assert "full site name" in bad.get_json()["error"]["fields"]["meeting_url"]
    too_long = api.post("/events", json={**body, "meeting_url": "https://zoom.us/" + "a" * 600})
    assert too_long.get_json()["error"]["fields"] == {"meeting_url": "Use a link of at most 500 characters."}
    assert db.session.scalar(select(Event.id)) is None
    created = api.post("/events", json={**body, "meeting_url": LINK}).get_json()
    assert created["meeting_url"] == LINK  # the organiser sees it
    path = f"/events/{created['id']}"
    assert api.patch(path, json={"meeting_url": "https://meet.jit.si/Call"}).get_json()["meeting_url"] == \
        "https://meet.jit.si/Call"
    assert api.patch(path, json={"meeting_url": "ftp://x.example"}).status_code == 422
    assert api.patch(path, json={"meeting_url": None}).get_json()["meeting_url"] is None
    api.patch(path, json={"meeting_url": LINK})
    moved = api.patch(path, json={"online": False, "location": "ExCeL", "city": "London", "country": "GB"})
    assert moved.status_code == 200 and moved.get_json()["meeting_url"] is None  # in person: no link
    assert db.session.get(Event, created["id"]).meeting_url is None


def test_those_going_hear_the_link_changed_but_not_the_link(people):
    event, users = people
    services.update_event(event, users["cohost"], meeting_url="https://meet.jit.si/NewRoom")
    told = db.session.scalars(select(Notification).where(Notification.kind == "event_changed")).all()
    assert {n.user_id for n in told} == {users["organiser"].id, users["going"].id}  # not the waitlist
    assert all("has changed" in n.text and "jit.si" not in n.text for n in told)


def test_reminders_link_to_join_never_to_the_call(people, app):
    event, users = people
    assert reminders.send_reminders(event.starts_at - timedelta(minutes=50)) == 3  # both hosts and the member
    note = db.session.scalar(select(Notification).where(Notification.user_id == users["going"].id,
                                                        Notification.kind == "event_reminder"))
    assert note.url == f"/events/{event.id}/join"
    assert "Join the call from" in note.text and "quokka" not in note.text
    notification_mail.queue_due()
    mail = db.session.scalar(select(MailOutbox).where(MailOutbox.to_user_id == users["going"].id))
    assert f"/events/{event.id}/join" in mail.text_body and f"/events/{event.id}/join" in mail.html_body
    assert "quokka" not in mail.text_body + mail.html_body
