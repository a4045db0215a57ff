"""Calendars: .ics files that parse back to the right UTC instant, with a
stable UID, SEQUENCE on change and CANCELLED status; the personal feed at
a secret, resettable address; times shown in the viewer's and organiser's zones."""

from __future__ import annotations

from datetime import datetime, timezone

from icalendar import Calendar

from app.events import calendar, services
from app.events import rsvp as rsvps


def parse(data: bytes):
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_ics_round_trip_for_an_organiser_in_riyadh_and_a_viewer_in_london(make_user, client_for):
    amira = make_user("amira_h", country="SA", timezone="Asia/Riyadh")
    # Entered as 19:00 in Riyadh (UTC+3) on a winter day: 16:00 UTC, 16:00 in London (GMT).
    event = services.create_event(amira, title="TweetMeet: reading for pleasure", kind="tweetmeet",
                                  local_start=datetime(2027, 1, 14, 19, 0), timezone="Asia/Riyadh", duration_min=60)
    assert event.starts_at == datetime(2027, 1, 14, 16, 0, tzinfo=timezone.utc)
    viewer = make_user("gary_w", timezone="Europe/London")
    browser = client_for(viewer)
    response = browser.get(f"/events/{event.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert b"DTSTART:20270114T160000Z" in response.data
    (item,) = parse(response.data)
    start = item.decoded("dtstart")
    assert start == datetime(2027, 1, 14, 16, 0, tzinfo=timezone.utc) and start.utcoffset().total_seconds() == 0
    assert item.decoded("dtend") == datetime(2027, 1, 14, 17, 0, tzinfo=timezone.utc)
    assert str(item["uid"]) == calendar.uid(event) and str(item["status"]) == "CONFIRMED"
    assert int(item["sequence"]) == 0 and str(item["summary"]) == "TweetMeet: reading for pleasure"
    page = browser.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Thu 14 Jan 2027, 16:00 GMT" in page  # the viewer's zone
    assert "Thu 14 Jan 2027, 19:00 +03" in page  # the organiser's
    assert "Asia/<wbr>Riyadh" in page  # the organiser's zone, which may wrap only after its slash


def test_summer_time_and_a_time_that_does_not_exist(make_user):
    organiser = make_user(timezone="Europe/London")
    summer = services.create_event(organiser, title="Summer call", kind="connection_call",
                                   local_start=datetime(2027, 7, 1, 18, 0), timezone="Europe/London", duration_min=45)
    assert summer.starts_at == datetime(2027, 7, 1, 17, 0, tzinfo=timezone.utc)
    try:
        services.create_event(organiser, title="Lost hour", kind="connection_call", duration_min=30,
                              local_start=datetime(2027, 3, 28, 1, 30), timezone="Europe/London")
    except services.ValidationFailed as error:
        assert "does not exist" in error.fields["starts_at"]
    else:
        raise AssertionError("01:30 on the spring-forward night was accepted")


def test_a_change_bumps_sequence_and_cancelling_says_cancelled(make_event, make_user, client):
    organiser = make_user()
    event = make_event(organiser)
    uid = calendar.uid(event)
    services.update_event(event, organiser, description="Only the text changed")
    assert int(parse(calendar.event_ics(event, "http://localhost"))[0]["sequence"]) == 0
    services.update_event(event, organiser, duration_min=90)
    (item,) = parse(calendar.event_ics(event, "http://localhost"))
    assert int(item["sequence"]) == 1 and str(item["uid"]) == uid
    services.cancel_event(event, organiser)
    (item,) = parse(client.get(f"/events/{event.id}/calendar.ics").data)
    assert str(item["status"]) == "CANCELLED" and int(item["sequence"]) == 2 and str(item["uid"]) == uid


def test_the_personal_feed_lists_my_events_at_a_secret_resettable_address(make_event, make_user, client_for, client):
    member = make_user()
    going = make_event(title="Going to this one")
    hosting = make_event(member, title="Hosting this one")
    make_event(title="Not going")
    rsvps.rsvp(going, member)
    browser = client_for(member)
    page = browser.get("/events/calendar").get_data(as_text=True)
    token = calendar.feed_token(member)
    assert f"/events/calendar/{token}.ics" in page
    feed = client.get(f"/events/calendar/{token}.ics")  # no cookie needed: calendar apps have none
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert sorted(str(item["summary"]) for item in parse(feed.data)) == ["Going to this one", "Hosting this one"]
    services.cancel_event(hosting, member)
    statuses = {
        str(item["summary"]): str(item["status"]) for item in parse(client.get(f"/events/calendar/{token}.ics").data)
    }
    assert statuses["Hosting this one"] == "CANCELLED"
    browser.submit("/events/calendar/reset", {}, page="/events/calendar")
    assert client.get(f"/events/calendar/{token}.ics").status_code == 404
    assert client.get(f"/events/calendar/{calendar.feed_token(member)}.ics").status_code == 200
    assert client.get("/events/calendar/not-a-token.ics").status_code == 404


def test_a_members_only_event_has_no_public_ics(make_event, client):
    event = make_event(visibility="members")
    assert client.get(f"/events/{event.id}/calendar.ics").status_code == 404
    assert client.get(f"/api/v1/events/{event.id}/calendar.ics").status_code == 404


DESCRIPTION = ("Bring **one** idea. Notes: [the agenda](/resources/7), "
               "[slides](https://slides.example/deck).\n\n- first\n- second")


def test_links_go_where_the_site_is_served_and_the_description_is_plain_text(app, make_event, make_user,
                                                                               client_for):
    member = make_user()
    event = make_event(member, description=DESCRIPTION)
    browser = client_for(member)
    token = calendar.feed_token(member)
    served_at = {"HTTP_HOST": "school.example:8443", "wsgi.url_scheme": "https"}
    # No SITE_URL: the address the request came to.
    for path in (f"/events/{event.id}/calendar.ics", f"/events/calendar/{token}.ics",
                 f"/api/v1/events/{event.id}/calendar.ics"):
        response = browser.get(path, environ_overrides=served_at)
        (item,) = parse(response.data)
        assert str(item["url"]) == f"https://school.example:8443/events/{event.id}"
        assert str(item["description"]) == (
            "Bring one idea. Notes: the agenda (https://school.example:8443/resources/7), "
            "slides (https://slides.example/deck).\n\n- first\n- second\n\n"
            f"https://school.example:8443/events/{event.id}")
    assert f"http://localhost/events/calendar/{token}.ics" in browser.get("/events/calendar").get_data(as_text=True)
    # SITE_URL set: always it, whatever the request's host; the UID never moves.
    uid = calendar.uid(event)
    app.config["SITE_URL"] = "https://staffroom.example.org/"
    (item,) = parse(browser.get(f"/events/calendar/{token}.ics", environ_overrides=served_at).data)
    assert str(item["url"]) == f"https://staffroom.example.org/events/{event.id}"
    assert "(https://staffroom.example.org/resources/7)" in str(item["description"])
    assert str(item["uid"]) == f"event-{event.id}@staffroom.example.org" != uid
    page = browser.get("/events/calendar").get_data(as_text=True)
    assert f"https://staffroom.example.org/events/calendar/{token}.ics" in page
