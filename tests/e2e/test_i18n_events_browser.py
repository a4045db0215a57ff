"""The live room in Arabic: the page, and what room.js writes (connection
state, host buttons, the slow-mode announcement, a question's vote button)
from the page's catalog, right to left and no wider than a phone."""

from __future__ import annotations

from app.accounts.models import User
from app.extensions import db
from tests.e2e.conftest import sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None


def choose_arabic(live_server, username: str) -> None:
    with live_server.app.app_context():
        db.session.query(User).filter_by(username=username).one().locale = "ar"
        db.session.commit()
        db.session.remove()


def test_the_live_room_in_arabic(live_server, page, shot, open_room):
    sign_in(page, "amira_h")
    choose_arabic(live_server, "amira_h")  # her profile's language, from the next page on
    page.goto(f"/events/{open_room}/room")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#connection")).to_have_text("مباشر")  # "Live", written by room.js
    box = page.get_by_label("رسالتك")
    box.fill("مرحبًا بالجميع")
    box.press("Enter")
    message = page.locator("#messages .chat-message").first
    expect(message).to_contain_text("مرحبًا بالجميع")
    expect(message.get_by_role("button", name="حذف الرسالة")).to_be_visible()  # a host's tools, translated
    expect(page.get_by_role("heading", name="أدوات المضيف")).to_be_visible()
    page.get_by_label("الوضع البطيء").select_option("10")
    expect(page.locator("#announcer")).to_contain_text("الوضع البطيء: رسالة كل 10 ثوانٍ.")
    # One vote: Arabic names it without a figure, so the figure sits beside the button.
    page.get_by_label("اطرح سؤالًا").fill("كم دقيقة للتعارف؟")
    page.get_by_role("button", name="اسأل", exact=True).click()
    vote = page.get_by_role("button", name="تأييد: 0 صوت")
    vote.click()
    expect(page.get_by_role("button", name="تأييد: صوت واحد")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#qa-list .qa-count")).to_have_text("1")
    shot(page, "i18n-events-ar-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#connection")).to_have_text("مباشر")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "i18n-events-ar-390")
    for english in ("Live", "Delete", "Host tools", "Your message"):
        assert english not in page.locator("#room").inner_text(), english
