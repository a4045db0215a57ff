"""Hosting a TweetMeet: a host posts the next question now and edits a posted
one, and a member's room follows (the current question and its "Answer with
A3" hint); a question typed "Q4 ..." stays "Q4 ..."; hosts count as going,
and a co-host added later hears of it at once."""

from __future__ import annotations

from datetime import timedelta

from app.accounts import services as accounts
from app.db_types import utcnow
from app.events import services as events
from app.events import tweetmeet
from app.extensions import db
from tests.e2e.conftest import sign_in, wait_until_live
from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None


def test_hosts_run_the_questions_and_count_as_going(live_server, new_page, shot):
    with live_server.app.app_context():
        people = {name: accounts.register(email_verified=True, username=name, email=f"{name}@school.example",
                                          password=PASSWORD, display_name=display, country="GB", timezone="UTC")
                  for name, display in (("amira_h", "Amira Haddad"), ("leyla_m", "Leyla Mammadova"),
                                        ("gary_w", "Gary Williams"))}
        event = events.create_event(people["amira_h"], title="TweetMeet: feedback", kind="tweetmeet",
                                    starts_at=utcnow() + timedelta(days=1), duration_min=60)
        for body, minutes in (("How do you give feedback?", 0), ("What did you change?", 20),
                              ("Who helped you?", 40)):
            tweetmeet.add_question(event, people["amira_h"], body, minutes)
        # Q1 is due, Q2 and Q3 are not. Whole minutes, as the edit form gives them back.
        event.starts_at = (utcnow() - timedelta(minutes=5)).replace(second=0, microsecond=0)
        event.ends_at = event.starts_at + timedelta(minutes=60)
        db.session.commit()
        event_id = event.id
    room = f"/events/{event_id}/room"

    gary = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(gary, "gary_w")
    gary.goto(room)
    wait_until_live(gary)
    hint = gary.locator("#current-question .hint")
    expect(gary.locator("#current-question-body")).to_have_text("Q1 How do you give feedback?")
    expect(hint).to_contain_text("Answer with A1")

    amira = new_page()
    sign_in(amira, "amira_h")
    amira.goto(room)
    wait_until_live(amira)
    tools = amira.get_by_role("region", name="Host tools")
    expect(tools).to_contain_text("Next: Q2 What did you change?")
    tools.get_by_role("button", name="Post Q2 now").click()
    expect(tools).to_contain_text("Next: Q3 Who helped you?")
    tools.get_by_role("button", name="Post Q3 now").click()
    expect(tools).to_contain_text("Every question is posted.")
    expect(gary.locator("#current-question-body")).to_have_text("Q3 Who helped you?")
    expect(hint).to_have_text("Answer with A3 at the start of your message, e.g. “A3 I use exit tickets”.")
    shot(amira, "13-room-host-1280")

    # Q3 is edited after it was posted: the room shows the new text at once.
    amira.goto(f"/events/{event_id}/questions")
    amira.get_by_role("link", name="Edit Q3").click()
    amira.get_by_label("Question").fill("Who helped you most this term?")
    amira.get_by_role("button", name="Save Q3").click()
    expect(gary.locator("#current-question-body")).to_have_text("Q3 Who helped you most this term?")
    expect(gary.locator("#messages")).to_contain_text("Q3 Who helped you most this term?")
    expect(hint).to_contain_text("Answer with A3")
    shot(gary, "13-room-member-390")
    # A host typing the label the room adds gets it once.
    amira.get_by_label("Question").fill("Q4 What will you try next week?")
    amira.get_by_label("Minutes after the start").fill("50")
    amira.get_by_role("button", name="Add question").click()
    questions = amira.locator(".question-list")
    expect(questions).to_contain_text("Q4 What will you try next week?")
    expect(questions).not_to_contain_text("Q4 Q4")
    shot(amira, "13-questions-1280")

    # Hosts are going; a co-host added now is told at once, on the page they have open.
    leyla = new_page()
    sign_in(leyla, "leyla_m")
    leyla.goto(f"/events/{event_id}")
    wait_until_live(leyla)
    amira.goto(f"/events/{event_id}/edit")
    amira.get_by_label("Co-hosts").fill("leyla_m")
    amira.get_by_role("button", name="Save").click()
    expect(amira.get_by_text("2 going")).to_be_visible()
    expect(leyla.locator("#unread-count")).to_have_text("1")
    leyla.get_by_role("link", name="Notifications").click()
    expect(leyla.get_by_role("main")).to_contain_text("Amira Haddad made you a host of “TweetMeet: feedback”.")
    gary.goto(f"/events/{event_id}")
    expect(gary.get_by_text("2 going")).to_be_visible()
    shot(gary, "13-event-going-390")
    amira.set_viewport_size({"width": 390, "height": 844})
    amira.goto(f"/events/{event_id}/questions")
    shot(amira, "13-questions-390")
    leyla.goto(f"/events/{event_id}")
    shot(leyla, "13-event-going-1280")
