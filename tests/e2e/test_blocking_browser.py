"""Blocking from a conversation asks first (a confirmation page, no
JavaScript needed): one click does not block. After blocking, the same place
says "You blocked X — Unblock", and Unblock undoes it there."""

from __future__ import annotations

from playwright.sync_api import expect

from app.accounts import services as accounts
from app.extensions import db
from app.messages import services as messages
from tests.e2e.conftest import sign_in
from tests.helpers import PASSWORD


def test_block_asks_first_and_unblock_is_in_the_same_place(live_server, new_page, shot):
    with live_server.app.app_context():
        amira, gary = (accounts.register(email_verified=True, username=name, email=f"{name}@school.example",
                                         password=PASSWORD, display_name=display, country="GB")
                       for name, display in (("amira_h", "Amira Haddad"), ("gary_w", "Gary Williams")))
        conversation, _ = messages.start_conversation(gary, "amira_h", "Can I borrow your fractions worksheet?")
        conversation_id, amira_id, gary_id = conversation.id, amira.id, gary.id
        db.session.remove()

    def blocked() -> bool:
        with live_server.app.app_context():
            return messages.has_blocked(amira_id, gary_id)

    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, "amira_h")
    page.goto(f"/messages/{conversation_id}")
    with page.expect_navigation():
        page.get_by_text("Block Gary Williams").click()  # one click: only a question
    assert not blocked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Block Gary Williams?")
    shot(page, "9-block-confirm-1280")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gary Williams")
    assert not blocked()

    page.get_by_role("link", name="Block Gary Williams").click()
    page.get_by_role("button", name="Block Gary Williams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gary Williams")  # back in the conversation
    status = page.locator("#block-status")
    expect(status).to_contain_text("You blocked Gary Williams — Unblock")
    assert blocked()
    shot(page, "9-blocked-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "9-blocked-390")

    status.get_by_role("button", name="Unblock Gary Williams").click()
    expect(page.get_by_role("status")).to_contain_text("Gary Williams can message you again.")
    expect(page.get_by_role("link", name="Block Gary Williams")).to_be_visible()
    assert not blocked()
