"""The forum in Arabic in a browser: the thread page right to left on a
phone, and the live "new reply" bar's words from the scripts' catalog
(static/i18n/ar.json through static/js/i18n.js), dual form included."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.extensions import db
from app.forum import categories, services
from tests.e2e.conftest import educator, sign_in, wait_until_live

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _as(app, work):
    with app.app_context():
        try:
            return work()
        finally:
            db.session.remove()


def test_thread_in_arabic_on_a_phone_with_the_live_bar(live_server, page: Page, shot):
    app = live_server.app

    def setup():
        amira, gary = educator("amira_h", "Amira Haddad"), educator("gary_w", "Gary Williams")
        ask = categories.ensure_defaults() and categories.by_slug("ask-the-community", amira)
        thread = services.create_thread(amira, ask, title="How do I set up breakout rooms?",
                                        body="Groups of four, **Year 9**.", kind="question", enforce_limits=False)
        services.reply(thread, gary, "Meeting options first.", enforce_limits=False)
        return thread.id, f"/t/{thread.id}-{thread.slug}", gary.id

    thread_id, thread_path, gary_id = _as(app, setup)
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

    _as(app, two_replies)
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
