"""The forum's live bars in a browser: a reply and a new thread written
elsewhere are offered by a button, and shown in place without a reload."""

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


def in_app(app, work):
    """`work()` inside the live server's app, its session closed after."""
    with app.app_context():
        try:
            return work()
        finally:
            db.session.remove()


def breakout_thread(replies: tuple[str, ...] = ()):
    """Amira's question in "Ask the community", with Gary's replies:
    (thread id, thread path, Gary's id). Runs inside the app (`in_app`)."""
    amira, gary = educator("amira_h", "Amira Haddad"), educator("gary_w", "Gary Williams")
    ask = categories.ensure_defaults() and categories.by_slug("ask-the-community", amira)
    thread = services.create_thread(amira, ask, title="How do I set up breakout rooms?",
                                    body="Groups of four, **Year 9**.", kind="question", enforce_limits=False)
    for text in replies:
        services.reply(thread, gary, text, enforce_limits=False)
    return thread.id, f"/t/{thread.id}-{thread.slug}", gary.id


def test_new_reply_and_new_thread_bars(live_server, page: Page, shot):
    app = live_server.app

    thread_id, thread_path, gary_id = in_app(app, breakout_thread)

    def gary_writes(action):
        def work():
            from app.accounts.models import User  # noqa: PLC0415 (inside the app context)
            gary = db.session.get(User, gary_id)
            return action(gary)
        return in_app(app, work)

    sign_in(page, "amira_h", "Amira Haddad")
    page.goto(thread_path)
    wait_until_live(page)
    bar = page.locator('[data-forum-live="thread"][data-watching]')
    expect(bar).to_have_count(1)
    gary_writes(lambda gary: services.reply(services.db.session.get(services.Thread, thread_id), gary,
                                            "Open the options and make **8 rooms**.", enforce_limits=False))
    button = page.get_by_role("button", name="1 new reply — show")
    expect(button).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(1)  # nothing moved yet
    expect(bar).to_have_attribute("aria-live", "polite")
    shot(page, "01-new-reply-bar-1280")
    button.focus()
    page.keyboard.press("Enter")
    reply = page.get_by_role("article").filter(has_text="8 rooms")
    expect(reply).to_be_visible()
    expect(reply).to_be_focused()
    expect(reply.locator("strong")).to_have_text("8 rooms")  # the server's markdown
    expect(page.locator(".live-bar-button")).to_be_hidden()

    # A new thread on the category page, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/discuss/c/ask-the-community")
    wait_until_live(page)
    expect(page.locator('[data-forum-live="category"][data-watching]')).to_have_count(1)
    gary_writes(lambda gary: services.create_thread(
        gary, categories.by_slug("ask-the-community", gary), title="Which timer do you use for group work?",
        body="A big one on the board.", kind="question", enforce_limits=False))
    button = page.get_by_role("button", name="1 new thread — show")
    expect(button).to_be_visible()
    shot(page, "02-new-thread-bar-390")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    button.click()
    expect(page.locator(".thread-list li").first).to_contain_text("Which timer do you use")
    expect(page.locator(".thread-list li")).to_have_count(2)
    expect(page.locator(".live-bar-button")).to_be_hidden()
    shot(page, "03-new-thread-shown-390")
