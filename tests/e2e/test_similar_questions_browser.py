"""Typing a new thread's title lists similar questions from the search index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.extensions import db
from app.forum import categories, services
from app.search import service as search_service
from tests.e2e.conftest import educator, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

ANSWERED = "How do I set up breakout rooms in Teams?"


def test_similar_questions_while_typing_a_title(live_server, page: Page, shot):
    with live_server.app.app_context():
        amira, gary = educator("amira_h", "Amira Haddad"), educator("gary_w", "Gary Williams")
        ask = categories.ensure_defaults() and categories.by_slug("ask-the-community", amira)
        thread = services.create_thread(gary, ask, title=ANSWERED, body="For Year 9.", kind="question",
                                        enforce_limits=False)
        services.accept_answer(services.reply(thread, amira, "Meeting options.", enforce_limits=False), gary)
        services.create_thread(gary, ask, title="Breakout rooms with thirty pupils", body="Too many?",
                               kind="question", enforce_limits=False)
        search_service.drain()
        db.session.remove()
    sign_in(page, "amira_h", "Amira Haddad")
    page.goto("/discuss/new")
    similar = page.get_by_role("region", name="Similar questions")
    expect(similar).to_be_hidden()
    page.get_by_label("Title").press_sequentially("breakout rooms for my class")
    expect(similar).to_be_visible()
    expect(similar.get_by_role("listitem")).to_have_count(2)
    expect(similar.get_by_role("listitem").filter(has_text=ANSWERED)).to_contain_text("✓ Answered")
    expect(page.get_by_role("status").filter(has_text="2 similar questions")).to_have_count(1)
    shot(page, "01-similar-questions-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "02-similar-questions-390")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_label("Title").fill("Marking rubrics")
    expect(similar).to_be_hidden()
    page.get_by_label("Title").fill("breakout rooms in Teams")
    similar.get_by_role("link", name=ANSWERED).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ANSWERED)
