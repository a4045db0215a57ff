"""After a Redis outage the server sends `resync` (app/live/queue.py): the
room catches up on what another process's broadcast lost, in order, without
repeating what it already shows."""

from __future__ import annotations

from app.accounts.models import User
from app.events import chat
from app.events.models import Event
from app.extensions import db, socketio
from app.notifications.models import Notification
from tests.e2e.conftest import sign_in, wait_until_live

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None


def _user(username: str) -> User:
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()


def test_resync_fetches_a_lost_broadcast_in_order_without_repeats(new_page, live_server, open_room):
    room = open_room
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


def test_resync_brings_the_header_badge_up_to_date(new_page, live_server, open_room):
    page = new_page()
    sign_in(page, "amira_h")
    page.goto("/library")
    badge = page.locator("#unread-count")
    expect(badge).to_be_hidden()
    wait_until_live(page)

    # A notification saved while its push was lost (sent by another process
    # while Redis was away)...
    with live_server.app.app_context():
        db.session.add(Notification(user_id=_user("amira_h").id, kind="mention", text="Gary mentioned you",
                                    url="/"))
        db.session.commit()
        db.session.remove()
    page.wait_for_timeout(300)
    expect(badge).to_be_hidden()

    # ...is counted once the server says to catch up.
    socketio.emit("resync", {"lost_seconds": 3}, namespace="/live")
    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
    expect(badge).to_have_attribute("aria-label", "1 unread")
