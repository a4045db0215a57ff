"""Two educators in the same live room, in two browsers: each sees the other's
messages as they are sent, and a reload keeps the history."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from app.accounts import services as accounts
from app.db_types import utcnow
from app.events import services as events
from app.extensions import db
from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def room(live_server):
    """Two members and a connection call whose room is open now."""
    with live_server.app.app_context():
        amira = accounts.register(username="amira_h", email="amira@school.example", password=PASSWORD,
                                  display_name="Amira Haddad", country="SA", timezone="Asia/Riyadh")
        accounts.register(username="gary_w", email="gary@school.example", password=PASSWORD,
                          display_name="Gary Williams", country="GB", timezone="Europe/London")
        event = events.create_event(amira, title="Open connection call", kind="connection_call",
                                    starts_at=utcnow() + timedelta(days=1), duration_min=120)
        event.starts_at = utcnow() - timedelta(minutes=5)
        event.ends_at = event.starts_at + timedelta(minutes=120)
        db.session.commit()
        event_id = event.id
        db.session.remove()
    return f"/events/{event_id}/room"


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome back")


def send(page: Page, text: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_two_members_chat_live_and_a_reload_keeps_the_history(new_page, room):
    amira, gary = new_page(), new_page(viewport={"width": 390, "height": 844})  # Gary is on a phone
    sign_in(amira, "amira_h")
    sign_in(gary, "gary_w")
    amira.goto(room)
    gary.goto(room)
    for page in (amira, gary):
        expect(page.get_by_role("heading", level=1)).to_have_text("Open connection call")
        expect(page.locator("#connection")).to_have_text("Live")
        expect(page.get_by_label("Your message")).to_be_visible()
    expect(amira.locator("#participants")).to_contain_text("Gary Williams")

    send(amira, "Hello from Riyadh <script>alert(1)</script>")
    expect(gary.locator("#messages")).to_contain_text("Hello from Riyadh <script>alert(1)</script>")
    expect(gary.locator("#announcer")).to_contain_text("Amira Haddad: Hello from Riyadh")
    send(gary, "Morning from London, see https://example.org")
    expect(amira.locator("#messages")).to_contain_text("Morning from London")
    expect(amira.get_by_role("link", name="https://example.org")).to_be_visible()
    expect(amira.locator("#messages .chat-message")).to_have_count(2)

    gary.reload()
    expect(gary.locator("#messages .chat-message")).to_have_count(2)
    expect(gary.locator("#messages")).to_contain_text("Hello from Riyadh")
    expect(gary.locator("#connection")).to_have_text("Live")
    send(gary, "Still here after a reload")
    expect(amira.locator("#messages")).to_contain_text("Still here after a reload")
    expect(amira.locator("#messages .chat-message")).to_have_count(3)
    assert re.search(r"/events/\d+/room$", gary.url)
