"""Private messages in Arabic, right to left: the inbox and a conversation
say everything in Arabic (counts with real plurals), and nothing is wider
than a phone."""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

from app.accounts.models import User
from app.extensions import db
from app.messages import services as messages
from tests.e2e.conftest import educator, sign_in


def test_messages_in_arabic_at_phone_and_desk_width(live_server, new_page, shot):
    with live_server.app.app_context():
        layla, gary = educator("layla_m", "Layla Mansour"), educator("gary_w", "Gary Williams")
        conversation, _ = messages.start_conversation(gary, "layla_m", "Can I borrow your fractions worksheet?")
        messages.send(conversation, gary, "The one with the pizza slices, for Year 4.")
        conversation_id, layla_id = conversation.id, layla.id
        db.session.remove()
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, "layla_m")
    with live_server.app.app_context():
        db.session.get(User, layla_id).locale = "ar"  # her profile's choice, from now on
        db.session.commit()
        db.session.remove()
    page.goto("/messages")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("الرسائل")
    expect(page.get_by_role("link", name="رسالة جديدة")).to_be_visible()
    expect(page.get_by_label("رسالتان غير مقروءتين")).to_be_visible()  # the dual, not "2 messages"
    shot(page, "i18n-messages-ar-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "i18n-messages-ar-390")
    page.goto(f"/messages/{conversation_id}")
    expect(page.get_by_text("لا يقرأ هذه المحادثة إلا الشخصان المشاركان فيها.")).to_be_visible()
    expect(page.get_by_role("button", name="إرسال")).to_be_visible()
    expect(page.get_by_label("الرسالة")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "i18n-conversation-ar-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "i18n-conversation-ar-1280")
