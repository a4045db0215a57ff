"""Two educators in the same live room, in two browsers: each sees the other's
messages as they are sent, and a reload keeps the history."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.e2e.conftest import sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


def send(page: Page, text: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_two_members_chat_live_and_a_reload_keeps_the_history(new_page, open_room):
    room = f"/events/{open_room}/room"
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
