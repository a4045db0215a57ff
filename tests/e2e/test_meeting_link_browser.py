"""An online event's meeting link in the browser: the organiser sets it on the
form (a bad one is refused with a message), a member going is told when it
comes, the room shows "Join the call" when the window opens without a
reload, and no one else ever gets it. Beside the .ics download, links add
the event to Google Calendar and Outlook, on a phone too."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.events import services as events
from app.extensions import db
from app.template_helpers import localtime
from tests.e2e.conftest import educator, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ2ZTk4%40thread.v2/0?context=%7b%22Tid%22%3a%22quokka%22%7d"
WAIT = "The link to join appears here 15 minutes before the start"
PHONE = {"width": 390, "height": 844}


def member(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_the_organiser_sets_the_link_and_only_those_going_get_it_when_the_call_opens(live_server, new_page, shot):
    with live_server.app.app_context():
        educator("amira_h", "Amira Haddad", country="SA", timezone="Asia/Riyadh")
        educator("gary_w", "Gary Williams")
        educator("hana_k", "Hana Kato", country="JP", timezone="Asia/Tokyo")

    amira = new_page()
    sign_in(amira, "amira_h")
    amira.goto("/events/new")
    amira.get_by_label("Title").fill("Connection call: feedback that moves learning")
    amira.get_by_label("Date", exact=True).fill(f"{utcnow() + timedelta(days=2):%Y-%m-%d}")
    amira.get_by_label("Start time").fill("18:00")
    amira.get_by_label("Meeting link").fill("http://zoom.us/j/123")
    amira.get_by_role("button", name="Create event").click()
    expect(amira.locator("#meeting_url-error")).to_have_text("Use an https:// link, e.g. https://zoom.us/j/123456789.")
    expect(amira.get_by_label("Meeting link")).to_have_attribute("aria-describedby",
                                                                 "meeting_url-hint meeting_url-error")
    shot(amira, "01-meeting-link-refused-1280")
    amira.get_by_label("Meeting link").fill(LINK)
    amira.get_by_role("button", name="Create event").click()
    expect(amira.get_by_role("heading", level=1)).to_have_text("Connection call: feedback that moves learning")
    # The Where card's button; the copy under the title is for phones only (the
    # stylesheet hides it here, and until it has loaded both are in the page).
    expect(amira.locator(".join-call").get_by_role("link", name="Join the call on Microsoft Teams")).to_be_visible()
    expect(amira.locator(".join-call-top")).to_be_hidden()
    expect(amira.get_by_text("You see it as a host.")).to_be_visible()
    shot(amira, "02-meeting-link-host-1280")
    event_id = int(amira.url.rstrip("/").rsplit("/", 1)[1])

    # Gary says he is going: told when the link comes, in his own zone.
    gary_page = new_page()
    sign_in(gary_page, "gary_w")
    gary_page.goto(f"/events/{event_id}")
    gary_page.get_by_role("button", name="I'm going").click()
    with live_server.app.app_context():
        opens = events.get_for_viewer(event_id, None).starts_at - timedelta(minutes=15)
        expected = localtime(opens, zone="Europe/London")
    expect(gary_page.locator("[data-join-wait]")).to_have_text(f"{WAIT}, at {expected}.")
    expect(gary_page.get_by_role("link", name="Join the call on Microsoft Teams")).to_be_hidden()
    assert "quokka" not in gary_page.content()
    shot(gary_page, "03-meeting-link-going-before-1280")

    # A call whose window opens a few seconds from now: the room shows the button then, without a reload.
    with live_server.app.app_context():
        soon = events.create_event(member("amira_h"), title="Call starting now",
                                   kind="connection_call", duration_min=30, meeting_url=LINK,
                                   starts_at=utcnow() + timedelta(minutes=15, seconds=5))
        rsvps.rsvp(soon, member("gary_w"))
        soon_id = soon.id
    gary_page.goto(f"/events/{soon_id}/room")
    expect(gary_page.locator("[data-join-wait]")).to_be_visible()
    join = gary_page.get_by_role("link", name="Join the call on Microsoft Teams")
    expect(join).to_be_visible()  # the timer, within the 10 s wait
    expect(gary_page.locator("[data-join-wait]")).to_be_hidden()
    expect(join).to_have_attribute("href", f"/events/{soon_id}/join")
    shot(gary_page, "04-meeting-link-room-open-1280")
    answer = gary_page.request.get(f"/events/{soon_id}/join", max_redirects=0)
    assert answer.status == 302 and answer.headers["location"] == LINK

    # Hana, not going, never gets it: not on the page, not in the room, not through /join.
    hana = new_page()
    sign_in(hana, "hana_k")
    for path in (f"/events/{soon_id}", f"/events/{soon_id}/room"):
        hana.goto(path)
        assert "quokka" not in hana.content()
        expect(hana.get_by_role("link", name="Join the call on Microsoft Teams")).to_have_count(0)
    expect(hana.get_by_text("Members going get the link to join the call")).to_be_visible()
    refused = hana.request.get(f"/events/{soon_id}/join", max_redirects=0)
    assert refused.status == 302 and refused.headers["location"] == f"/events/{soon_id}"

    # On a phone the long link wraps inside the page.
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, "gary_w")
    phone.goto(f"/events/{soon_id}")
    # The call that is on comes first: a Join button under the title, without scrolling.
    join = "Join the call on Microsoft Teams"
    expect(phone.locator(".join-call-top").get_by_role("link", name=join)).to_be_in_viewport()
    expect(phone.locator(".join-call").get_by_role("link", name=join)).to_be_visible()
    expect(phone.get_by_role("link", name=LINK)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "05-meeting-link-going-390")
    amira.set_viewport_size(PHONE)
    amira.goto(f"/events/{event_id}/edit")
    expect(amira.get_by_label("Meeting link")).to_have_value(LINK)
    assert amira.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(amira, "06-meeting-link-form-390")


def test_google_and_outlook_links_sit_beside_the_ics_download(live_server, new_page, shot):
    with live_server.app.app_context():
        amira = educator("amira_h", "Amira Haddad", country="SA", timezone="Asia/Riyadh")
        event_id = events.create_event(
            amira, title="Exit tickets & more", kind="webinar", duration_min=45, meeting_url=LINK,
            starts_at=utcnow() + timedelta(days=3), description="Bring **one** exit ticket.").id
    page_url = live_server.url_for_path(f"/events/{event_id}")
    for name, viewport in (("1280", {"width": 1280, "height": 900}), ("390", PHONE)):
        visitor = new_page(viewport=viewport)
        visitor.goto(f"/events/{event_id}")
        expect(visitor.get_by_role("link", name="Add to your calendar (.ics)")).to_be_visible()
        google = visitor.get_by_role("link", name="Google Calendar (opens in a new tab)")
        expect(google).to_be_visible()
        expect(visitor.get_by_role("link", name="Outlook.com (opens in a new tab)")).to_be_visible()
        work = visitor.get_by_role("link", name="Outlook for work or school (opens in a new tab)")
        expect(work).to_be_visible()
        query = parse_qs(urlsplit(google.get_attribute("href")).query)
        assert query["text"] == ["Exit tickets & more"] and query["location"] == [page_url]
        assert query["details"] == [f"Bring one exit ticket.\n\n{page_url}"]
        assert work.get_attribute("href").startswith("https://outlook.office.com/calendar/0/deeplink/compose?")
        assert "quokka" not in visitor.content()
        assert visitor.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shot(visitor, f"07-add-to-calendar-{name}")
