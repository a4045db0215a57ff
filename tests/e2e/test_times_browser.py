"""One rule for times: the member's zone, 24-hour clock, the zone's name.

A German browser registers and gets Europe/Berlin; a chat line reads the
same live as after a reload, whatever the browser's own zone and locale; a
Sydney member's draft is "saved at 23:00 AEDT"; collaboration hours are on
the reader's clock."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import User
from app.db_types import utcnow
from app.events import services as events
from app.extensions import db
from app.messages import services as messages
from app.programmes import clock as programme_clock
from app.programmes import collaborate
from app.programmes import services as programmes
from tests.e2e.conftest import sign_in, wait_until_live
from tests.helpers import PASSWORD
from tests.programmes.conftest import (
    ANNOUNCE,
    CLOSES,
    NOW,
    OPENS,
    QUESTIONS,
    FrozenClock,
)

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(programme_clock, "utcnow", FrozenClock(NOW))  # Mon 2 March 2026, 12:00 UTC


def member(username: str, zone: str, **fields) -> User:
    return accounts.register(email_verified=True, username=username, email=f"{username}@school.example",
                             password=PASSWORD, display_name=username.replace("_", " ").title(), country="GB",
                             timezone=zone, **fields)


def test_times_read_in_the_members_zone_everywhere(live_server, new_page, shot, frozen):
    with live_server.app.app_context():
        host = member("dana_chicago", "America/Chicago")
        member("sam_sydney", "Australia/Sydney")
        admin = member("prog_admin", "UTC", role="admin")
        member("rania_riyadh", "Asia/Riyadh")
        room = events.create_event(host, title="Evening call", kind="connection_call", duration_min=120,
                                   starts_at=utcnow() + timedelta(days=1))
        room.starts_at = utcnow() - timedelta(minutes=5)
        room.ends_at = room.starts_at + timedelta(minutes=120)
        db.session.commit()
        room_id = room.id
        programmes.create_cohort(admin, school_year="2026-2027", questions=QUESTIONS, nominations_open_at=OPENS,
                                 nominations_close_at=CLOSES, review_starts_at=CLOSES + timedelta(hours=1),
                                 review_ends_at=ANNOUNCE - timedelta(hours=1), announce_at=ANNOUNCE)
        riyadh = db.session.scalar(select(User).where(User.username == "rania_riyadh"))
        request_id = collaborate.create_request(
            riyadh, title="A partner class for letters", subject="english", age_range="11-14", language="en",
            weekdays=[0, 1, 2, 3, 4], start_minute=14 * 60, end_minute=15 * 60).id

    # A German browser: the form starts at its zone, and the account keeps it.
    berlin = new_page(timezone_id="Europe/Berlin")
    berlin.goto("/register")
    expect(berlin.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    berlin.get_by_label("Your name").fill("Jonas Weber")
    berlin.get_by_label("Username").fill("jonas_w")
    berlin.get_by_label("Email").fill("jonas@school.example")
    berlin.get_by_label("Country").select_option("DE")
    berlin.get_by_label("Password").fill(PASSWORD)
    shot(berlin, "04-register-1280")
    berlin.get_by_role("button", name="Create my account").click()
    expect(berlin.get_by_label("Time zone")).to_have_value("Europe/Berlin")  # the profile shows it, to change
    with live_server.app.app_context():
        assert db.session.scalar(select(User.timezone).where(User.username == "jonas_w")) == "Europe/Berlin"
    phone = new_page(timezone_id="Europe/Berlin", **PHONE)
    phone.goto("/register")
    expect(phone.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    shot(phone, "04-register-390")

    # Chicago's host on a laptop set to Tokyo, in US English: the line still reads in Chicago's time.
    dana = new_page(timezone_id="Asia/Tokyo", locale="en-US")
    sign_in(dana, "dana_chicago")
    dana.goto(f"/events/{room_id}/room")
    wait_until_live(dana)
    expect(dana.locator("#connection")).to_have_text("Live")
    dana.get_by_label("Your message").fill("Good evening from Chicago")
    dana.get_by_label("Your message").press("Enter")
    line = dana.locator("#messages .chat-message").last.locator("time")
    expect(line).to_have_text(re.compile(r"^\d\d:\d\d C[SD]T$"))
    live_text = line.inner_text()
    shot(dana, "04-room-1280")
    dana.reload()
    expect(dana.locator("#messages .chat-message").last.locator("time")).to_have_text(live_text)

    # A private message that arrives while the conversation is open is dated as it is after a reload.
    with live_server.app.app_context():
        sam_user = db.session.scalar(select(User).where(User.username == "sam_sydney"))
        conversation, _ = messages.start_conversation(sam_user, ["dana_chicago"], "Are you joining tonight?")
        conversation_id = conversation.id
        db.session.remove()
    dana.goto(f"/messages/{conversation_id}")
    wait_until_live(dana)
    with live_server.app.app_context():
        sam_user = db.session.scalar(select(User).where(User.username == "sam_sydney"))
        messages.send(messages.get_conversation(conversation_id, sam_user), sam_user, "See you in the room")
        db.session.remove()
    arrived = dana.locator("#pm-messages .pm-message").last
    expect(arrived).to_contain_text("See you in the room")
    when = arrived.locator("time")
    expect(when).to_have_text(re.compile(r"^\w{3} \d\d \w{3} \d{4}, \d\d:\d\d C[SD]T$"))
    pm_text = when.inner_text()
    dana.reload()
    expect(dana.locator("#pm-messages .pm-message").last.locator("time")).to_have_text(pm_text)

    # Sydney's draft is saved at Sydney's time; the board's hours are on Sydney's clock.
    sam = new_page(**PHONE)
    sign_in(sam, "sam_sydney")
    sam.goto(f"/events/{room_id}/room")
    wait_until_live(sam)
    expect(sam.locator("#messages .chat-message").last.locator("time")).to_have_text(re.compile(r"^\d\d:\d\d AE[DS]T$"))
    shot(sam, "04-room-390")
    sam.goto("/programmes")
    sam.get_by_role("button", name="Start your application").click()
    answer = sam.get_by_label("1. How has technology changed learning in your classroom?")
    answer.fill("Exit tickets on tablets.")
    answer.blur()
    expect(sam.get_by_role("status").filter(has_text="Draft saved")).to_have_text("Draft saved at 23:00 AEDT.")
    shot(sam, "04-draft-saved-390")
    sam.goto(f"/collaborate/{request_id}")
    expect(sam.get_by_text("Weekdays 22:00-23:00 AEDT (Weekdays 14:00-15:00 in Asia/Riyadh, the poster's time)"))\
        .to_be_visible()
    shot(sam, "04-collaboration-hours-390")
    desk = new_page()
    sign_in(desk, "sam_sydney")
    desk.goto("/collaborate")
    expect(desk.get_by_text("Weekdays 22:00-23:00 AEDT")).to_be_visible()
    shot(desk, "04-collaboration-hours-1280")
    desk.goto("/programmes")
    desk.get_by_role("link", name="Continue your application").click()
    answer = desk.get_by_label("2. How do you share with colleagues?")
    answer.fill("A Thursday clinic.")
    answer.blur()
    expect(desk.get_by_role("status").filter(has_text="Draft saved")).to_have_text("Draft saved at 23:00 AEDT.")
    shot(desk, "04-draft-saved-1280")


# For each word, on how many lines it is drawn: a word split by the wrap is on two.
LINES_PER_WORD = """(box, words) => {
  const lines = {};
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of words) {
      const at = node.data.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      lines[word] = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    }
  }
  return lines;
}"""


def test_a_time_zone_label_wraps_only_after_its_slashes_on_a_phone(live_server, new_page, shot):
    words = ["America", "Chicago", "Argentina", "Buenos_Aires"]
    with live_server.app.app_context():
        host = member("dana_chicago", "America/Chicago")
        member("lucia_ba", "America/Argentina/Buenos_Aires")
        event_id = events.create_event(host, title="Evening call", kind="connection_call", duration_min=60,
                                       starts_at=utcnow() + timedelta(days=2)).id
    phone = new_page(**PHONE)
    sign_in(phone, "lucia_ba")
    phone.goto(f"/events/{event_id}")
    when = phone.locator(".event-when-card dl")
    expect(when).to_contain_text("Your time (America/Argentina/Buenos_Aires)")
    expect(when).to_contain_text("Organiser's time (America/Chicago)")
    shot(phone, "01-event-zones-390")
    assert when.evaluate(LINES_PER_WORD, words) == dict.fromkeys(words, 1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
