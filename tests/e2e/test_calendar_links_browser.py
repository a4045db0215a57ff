"""Calendars lead back to the site as it is served: the .ics download and the
subscription feed link to this server's address (no SITE_URL is set) and
describe the event in plain text, not markdown."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from icalendar import Calendar

from app.accounts import services as accounts
from app.db_types import utcnow
from app.events import services as events
from tests.e2e.conftest import sign_in
from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None


def only_event(data: bytes):
    (item,) = Calendar.from_ical(data).walk("VEVENT")
    return item


def test_calendar_files_link_to_where_the_site_is_served_in_plain_text(live_server, page, new_page, shot):
    with live_server.app.app_context():
        amira = accounts.register(email_verified=True, username="amira_h", email="amira@school.example",
                                  password=PASSWORD, display_name="Amira Haddad", country="SA",
                                  timezone="Asia/Riyadh")
        event_id = events.create_event(
            amira, title="Exit tickets that work", kind="connection_call", duration_min=60,
            starts_at=utcnow() + timedelta(days=3),
            description="Bring **one** exit ticket. The [agenda](/events) and [slides](https://slides.example/deck).",
        ).id
    event_url = live_server.url_for_path(f"/events/{event_id}")
    plain = ("Bring one exit ticket. The agenda (" + live_server.url_for_path("/events") + ") and "
             "slides (https://slides.example/deck).\n\n" + event_url)

    sign_in(page, "amira_h")
    page.goto(f"/events/{event_id}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    item = only_event(Path(download.value.path()).read_bytes())
    assert str(item["url"]) == event_url
    assert str(item["description"]) == plain
    shot(page, "03-event-calendar-link-1280")

    page.goto("/events/calendar")
    feed_url = page.get_by_label("Your secret feed address").input_value()
    assert feed_url.startswith(live_server.url_for_path("/events/calendar/"))
    item = only_event(page.request.get(feed_url).body())  # hosts are going: the event is in the feed
    assert str(item["url"]) == event_url and str(item["description"]) == plain
    shot(page, "03-calendar-feed-1280")

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(phone, "amira_h")
    phone.goto("/events/calendar")
    expect(phone.get_by_label("Your secret feed address")).to_have_value(feed_url)
    shot(phone, "03-calendar-feed-390")
    phone.goto(f"/events/{event_id}")
    expect(phone.get_by_role("link", name="Add to your calendar (.ics)")).to_be_visible()
    shot(phone, "03-event-calendar-link-390")
