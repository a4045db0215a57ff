"""Two members exchange a private message live, in two browsers, and the
unread badge in the header clears once the message is read."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.accounts import services as accounts
from tests.e2e.conftest import sign_in, wait_until_live
from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


def make_member(app, username: str, name: str) -> None:
    with app.app_context():
        accounts.register(email_verified=True, username=username, email=f"{username}@school.example", password=PASSWORD,
                          display_name=name, country="GB")



def test_two_members_message_each_other_live(live_server, page: Page, new_page):
    make_member(live_server.app, "amira_h", "Amira Haddad")
    make_member(live_server.app, "gary_w", "Gary Williams")
    sign_in(page, "amira_h", "Amira Haddad")
    gary = new_page()
    sign_in(gary, "gary_w", "Gary Williams")
    gary_badge = gary.locator("#pm-unread-count")
    expect(gary_badge).to_be_hidden()
    wait_until_live(gary)

    # Amira writes to Gary from his profile.
    page.goto("/u/gary_w")
    page.get_by_role("link", name="Send a message").click()
    expect(page.get_by_label("To")).to_have_value("gary_w")
    page.get_by_label("Message").fill("Shall we co-host the next connection call?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gary Williams")

    # Gary's header badge counts it without a reload.
    expect(gary_badge).to_have_text("1")
    expect(gary_badge).to_be_visible()
    gary.get_by_role("banner").get_by_role("link", name=re.compile(r"^Messages")).click()
    gary.get_by_role("link", name="Amira Haddad").click()
    expect(gary.get_by_text("Shall we co-host the next connection call?")).to_be_visible()
    expect(gary_badge).to_be_hidden()  # read: the badge clears
    wait_until_live(gary)

    # Amira, on the conversation page, sees Gary's reply arrive live...
    wait_until_live(page)
    gary.get_by_label("Message").fill("Yes! Thursday works for me.")
    gary.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Yes! Thursday works for me.")).to_be_visible()
    # ...and, because she is reading it, her badge stays clear.
    page.reload()
    expect(page.locator("#pm-unread-count")).to_be_hidden()

    # And Gary's page shows Amira's next message live as well.
    page.get_by_label("Message").fill("Great, I'll send the invite.")
    page.get_by_role("button", name="Send").click()
    expect(gary.get_by_text("Great, I'll send the invite.")).to_be_visible()
    expect(gary_badge).to_be_hidden()
