"""The forum in Arabic in a browser: the thread page right to left on a
phone, and the live "new reply" bar's words from the scripts' catalog
(static/i18n/ar.json through static/js/i18n.js), dual form included."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.extensions import db
from app.forum import services
from tests.e2e.conftest import sign_in, wait_until_live
from tests.e2e.test_forum_live_browser import breakout_thread, in_app

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_thread_in_arabic_on_a_phone_with_the_live_bar(live_server, page: Page, shot):
    app = live_server.app

    thread_id, thread_path, gary_id = in_app(app, lambda: breakout_thread(("Meeting options first.",)))
    sign_in(page, "amira_h", "Amira Haddad")
    page.context.add_cookies([{"name": "locale", "value": "ar", "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(thread_path)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    expect(page.locator(".thread-meta")).to_contain_text("سؤال طرحه")
    expect(page.locator(".thread-meta")).to_contain_text("رد واحد")  # one reply, in words
    expect(page.get_by_role("heading", name="إجابتك")).to_be_visible()
    expect(page.get_by_role("button", name="انشر إجابتك")).to_be_visible()
    expect(page.get_by_role("tab", name="كتابة")).to_be_visible()  # the composer's tabs, made by script
    wait_until_live(page)
    page.evaluate("() => window.staffroomI18n.ready")

    def two_replies():
        from app.accounts.models import User  # noqa: PLC0415 (inside the app context)
        gary = db.session.get(User, gary_id)
        thread = db.session.get(services.Thread, thread_id)
        for text in ("Then make **8 rooms**.", "And name them."):
            services.reply(thread, gary, text, enforce_limits=False)

    in_app(app, two_replies)
    button = page.get_by_role("button", name="ردّان جديدان — اعرض")  # Arabic's dual: two new replies
    expect(button).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "i18n-forum-ar-390")
    button.click()
    expect(page.get_by_role("article").filter(has_text="8 rooms")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/discuss")
    expect(page.get_by_role("heading", level=1)).to_have_text("النقاشات والأسئلة والأجوبة")
    expect(page.get_by_role("link", name="اطرح سؤالًا")).to_be_visible()
    shot(page, "i18n-forum-ar-1280")
