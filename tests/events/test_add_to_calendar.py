"""Google Calendar and Outlook links on the event page and in the API: the
event's own details in plain text, its page as the place of an online event,
none for cancelled or finished events."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from app.db_types import utcnow
from app.events import services
from tests.events.fixtures import move


def query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_the_page_and_the_api_offer_google_and_outlook(client, api, make_event, app):
    event = make_event(title="Exit tickets", description="Bring **one** [ticket](/events).",
                       meeting_url="https://zoom.us/j/99")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Google Calendar" in page and "Outlook.com" in page and "Outlook for work or school" in page
    links = api.get(f"/events/{event.id}").get_json()["links"]
    site = "http://localhost"
    google = query(links["google_calendar"])
    assert links["google_calendar"].startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    assert google["text"] == "Exit tickets"
    assert google["details"] == f"Bring one ticket ({site}/events).\n\n{site}/events/{event.id}"
    assert google["location"] == f"{site}/events/{event.id}"  # online: its page, never the call
    assert google["dates"] == f"{event.starts_at:%Y%m%dT%H%M%SZ}/{event.ends_at:%Y%m%dT%H%M%SZ}"
    outlook = query(links["outlook_calendar"])
    assert links["outlook_calendar"].startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert links["outlook_work_calendar"].startswith("https://outlook.office.com/calendar/0/deeplink/compose?")
    assert outlook["subject"] == "Exit tickets" and outlook["startdt"] == f"{event.starts_at:%Y-%m-%dT%H:%M:%SZ}"
    assert "zoom" not in " ".join(links.values())


def test_a_venue_is_the_place_and_finished_or_cancelled_events_have_none(api, make_event):
    meetup = make_event(kind="meetup", is_online=False, location="ExCeL", city="London", country="GB")
    assert query(api.get(f"/events/{meetup.id}").get_json()["links"]["google_calendar"])["location"] == \
        "ExCeL, London, GB"
    past = move(make_event(), utcnow() - timedelta(days=2))
    cancelled = make_event()
    services.cancel_event(cancelled, cancelled.organiser)
    for event in (past, cancelled):
        links = api.get(f"/events/{event.id}").get_json()["links"]
        assert links["google_calendar"] is None and links["outlook_calendar"] is None
        assert links["outlook_work_calendar"] is None and links["calendar"]  # the .ics stays
