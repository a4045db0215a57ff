"""After a Redis outage the server sends `resync` (app/live/queue.py): the
room catches up on what another process's broadcast lost, in order, without
repeating what it already shows."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from app.accounts import services as accounts
from app.accounts.models import User
from app.db_types import utcnow
from app.events import chat
from app.events import services as events
from app.events.models import Event
from app.extensions import db, socketio
from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def room(live_server):
    """A connection call open now; returns its id."""
    with live_server.app.app_context():
        for username, name in (("amira_h", "Amira Haddad"), ("gary_w", "Gary Williams")):
            accounts.register(username=username, email=f"{username}@school.example", password=PASSWORD,
                              display_name=name, country="GB", timezone="Europe/London")
        event = events.create_event(_user("amira_h"), title="Open connection call",
                                    kind="connection_call", starts_at=utcnow() + timedelta(days=1), duration_min=120)
        event.starts_at = utcnow() - timedelta(minutes=5)
        event.ends_at = event.starts_at + timedelta(minutes=120)
        db.session.commit()
        event_id = event.id
        db.session.remove()
    return event_id


def _user(username: str) -> User:
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome back")


def test_resync_fetches_a_lost_broadcast_in_order_without_repeats(new_page, live_server, room):
    amira = new_page()
    sign_in(amira, "amira_h")
    amira.goto(f"/events/{room}/room")
    expect(amira.locator("#connection")).to_have_text("Live")

    # Gary's message is saved through "another process" whose broadcast never came...
    with live_server.app.app_context():
        chat.post_message(db.session.get(Event, room), _user("gary_w"), "Sent through the other process")
        db.session.remove()
    # ...while Amira's own, sent afterwards, reached her as usual.
    box = amira.get_by_label("Your message")
    box.fill("Sent here during the outage")
    box.press("Enter")
    messages = amira.locator("#messages .chat-message")
    expect(messages).to_have_count(1)

    socketio.emit("resync", {"lost_seconds": 3}, namespace="/live")
    expect(messages).to_have_count(2)
    expect(messages.nth(0)).to_contain_text("Sent through the other process")
    expect(messages.nth(1)).to_contain_text("Sent here during the outage")
    expect(amira.locator("#connection")).to_have_text("Live")
