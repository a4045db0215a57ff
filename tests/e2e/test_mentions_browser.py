"""@mention suggestions in the three composers: the chat of a live room, a
forum reply and a private message; by keyboard and by mouse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.forum import categories, services
from tests.e2e.conftest import educator, sign_in, wait_until_live

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_mentions_by_keyboard_and_mouse(live_server, open_room, page: Page, shot):
    with live_server.app.app_context():
        educator("mark_t", "Mark Taylor")
        educator("maya_c", "Maya Chen")
        categories.ensure_defaults()
        amira = db.session.scalar(select(User).filter_by(username="amira_h"))
        thread = services.create_thread(amira, categories.by_slug("ask-the-community", amira),
                                        title="Who runs the coding club?", body="Asking for a colleague.",
                                        enforce_limits=False)
        thread_path = f"/t/{thread.id}-{thread.slug}"
        db.session.remove()
    sign_in(page, "amira_h")

    # The live room's chat: Enter inserts the name instead of sending.
    page.goto(f"/events/{open_room}/room")
    wait_until_live(page)
    chat = page.get_by_label("Your message")
    # The send form shows once the room has answered the join: typing
    # before that would go nowhere (press_sequentially does not wait).
    expect(chat).to_be_visible()
    chat.press_sequentially("Welcome @ga")
    listbox = page.get_by_role("listbox", name="Members to mention")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option").first).to_contain_text("Gary Williams")
    chat.press("Enter")
    expect(chat).to_have_value("Welcome @gary_w ")
    expect(listbox).to_be_hidden()
    expect(page.locator("#messages li").filter(has_text="Welcome")).to_have_count(0)

    # A forum reply: arrows, Enter, Escape.
    page.goto(thread_path)
    reply = page.get_by_role("textbox", name="Your reply")
    reply.press_sequentially("Ask @ma")
    mentions = page.get_by_role("listbox", name="Members to mention")  # not the footer's language list
    options = mentions.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(reply).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    reply.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_contain_text("@maya_c")
    expect(page.get_by_role("status").filter(has_text="2 members found")).to_have_count(1)
    shot(page, "01-forum-mention-list-1280")
    reply.press("Tab")
    expect(reply).to_have_value("Ask @maya_c ")
    expect(reply).to_be_focused()
    reply.press_sequentially("and @mar")
    expect(options).to_have_count(1)
    reply.press("Escape")
    expect(mentions).to_be_hidden()
    expect(reply).to_have_value("Ask @maya_c and @mar")

    # A private message on a phone, by mouse (a tap).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/messages/new")
    body = page.get_by_label("Message")
    body.press_sequentially("Hi @mark")
    option = page.get_by_role("option", name="Mark Taylor @mark_t")
    expect(option).to_be_visible()
    shot(page, "02-message-mention-list-390")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    option.click()
    expect(body).to_have_value("Hi @mark_t ")
