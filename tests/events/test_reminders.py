"""The scheduler: reminders 24 h and 1 h before, sent once; due TweetMeet
questions; closed rooms' transcripts found by search."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.db_types import utcnow
from app.events import chat, reminders, services, tweetmeet
from app.events import rsvp as rsvps
from app.extensions import db
from app.notifications.models import Notification
from app.search import service as search
from tests.events.fixtures import move


def reminder_texts(user) -> list[str]:
    return db.session.scalars(select(Notification.text).where(
        Notification.user_id == user.id, Notification.kind == "event_reminder").order_by(Notification.id)).all()


def test_reminders_go_out_24h_and_1h_before_and_only_once(make_event, make_user):
    going, waiting = make_user(timezone="Asia/Tokyo"), make_user()
    event = make_event(capacity=2, title="Coding club call")  # its organiser (going) and one more
    rsvps.rsvp(event, going)
    rsvps.rsvp(event, waiting)
    now = event.starts_at - timedelta(hours=30)
    assert reminders.send_reminders(now) == 0
    now = event.starts_at - timedelta(hours=23)
    assert reminders.send_reminders(now) == 2
    assert reminders.send_reminders(now + timedelta(minutes=5)) == 0  # already told
    assert reminders.send_reminders(event.starts_at - timedelta(minutes=50)) == 2
    assert reminders.send_reminders(event.starts_at - timedelta(minutes=10)) == 0
    texts = reminder_texts(going)
    assert len(texts) == 2 and "tomorrow" in texts[0] and "in an hour" in texts[1]
    assert "JST" in texts[0]  # in the member's own zone
    assert reminder_texts(waiting) == []


def test_a_rescheduled_event_reminds_again(make_event, make_user):
    organiser, going = make_user(), make_user()
    event = make_event(organiser)
    rsvps.rsvp(event, going)
    reminders.send_reminders(event.starts_at - timedelta(hours=20))
    services.update_event(event, organiser, starts_at=event.starts_at + timedelta(days=1))
    assert reminders.send_reminders(event.starts_at - timedelta(hours=20)) == 2  # the organiser too


def test_the_cli_command_runs_a_tick(runner, make_event, make_user):
    host = make_user()
    event = make_event(host, kind="tweetmeet")
    tweetmeet.add_question(event, host, "Ready when you are", 0)
    move(event, utcnow() - timedelta(minutes=1))
    result = runner.invoke(args=["events", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "questions posted 1" in result.output
    assert tweetmeet.current_question(event).number == 1


def test_search_finds_a_closed_rooms_transcript(make_event, make_user, index_now, live_event):
    event = live_event(title="Staffroom call on assessment")
    chat.post_message(event, make_user(), "We tried zygomorphic rubrics with Year 9")
    index_now()
    assert search.search("zygomorphic", types=["event"]).total == 0  # live rooms: not yet
    move(event, utcnow() - timedelta(hours=3))
    assert reminders.index_transcripts() == 1
    assert reminders.index_transcripts() == 0
    index_now()
    results = search.search("zygomorphic rubrics")
    assert [(hit.type, hit.id, hit.url) for hit in results.hits] == [("event", event.id, f"/events/{event.id}/room")]
    assert search.search("assessment", types=["event"]).total == 1
    members_only = make_event(title="Members only quokka", visibility="members")
    draft = make_event(title="Draft call about assessment", status="draft")
    index_now()
    assert search.search("quokka").total == 0
    assert [hit.id for hit in search.search("quokka", user=make_user()).hits] == [members_only.id]
    assert draft.id not in [hit.id for hit in search.search("assessment", user=make_user(role="moderator")).hits]
