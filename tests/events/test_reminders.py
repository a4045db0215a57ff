"""The scheduler: reminders 24 h and 1 h before, sent once; due TweetMeet
questions; closed rooms' transcripts found by search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.db_types import utcnow
from app.events import chat, reminders, services, tweetmeet
from app.events import rsvp as rsvps
from app.extensions import db
from app.notifications.models import Notification
from app.search import service as search
from tests.events.fixtures import at_utc, move


def reminder_texts(user) -> list[str]:
    return db.session.scalars(select(Notification.text).where(
        Notification.user_id == user.id, Notification.kind == "event_reminder").order_by(Notification.id)).all()


def test_reminders_go_out_24h_and_1h_before_and_only_once(make_event, make_user):
    going, waiting = make_user(timezone="Asia/Tokyo"), make_user()
    # noon in Tokyo: 23 hours before, it is the day before there
    event = make_event(capacity=2, title="Coding club call", starts_at=at_utc(3))  # its organiser (going) and one more
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
    # Sent 50 minutes before: "soon", not "in an hour".
    assert len(texts) == 2 and "tomorrow" in texts[0] and "starts soon" in texts[1] and "hour" not in texts[1]
    assert "JST" in texts[0]  # in the member's own zone
    assert reminder_texts(waiting) == []


def test_the_day_before_reminder_says_today_or_tomorrow_as_each_reader_s_calendar_has_it(make_event, make_user):
    chicago, tokyo = make_user(timezone="America/Chicago"), make_user(timezone="Asia/Tokyo")
    event = make_event(title="Late call", starts_at=at_utc(5, 30))  # 23:30 in Chicago, 14:30 in Tokyo
    rsvps.rsvp(event, chicago)
    rsvps.rsvp(event, tokyo)
    reminders.send_reminders(event.starts_at - timedelta(hours=20))  # 03:30 in Chicago, 18:30 in Tokyo
    assert reminder_texts(chicago)[0].startswith("“Late call” starts today: ")
    assert reminder_texts(tokyo)[0].startswith("“Late call” starts tomorrow: ")


def test_today_and_tomorrow_turn_at_the_reader_s_midnight():
    start = datetime(2031, 3, 4, 7, 30, tzinfo=UTC)  # 01:30 on 4 March in Chicago (UTC-6)
    midnight = datetime(2031, 3, 4, 6, 0, tzinfo=UTC)
    assert reminders.day_phrase("24h", start, midnight - timedelta(seconds=30), "America/Chicago") == "tomorrow"
    assert reminders.day_phrase("24h", start, midnight + timedelta(seconds=30), "America/Chicago") == "today"
    assert reminders.day_phrase("24h", start, midnight - timedelta(seconds=30), "UTC") == "today"  # 05:59 and 07:30
    assert reminders.day_phrase("1h", start, midnight, "America/Chicago") == "1h"


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
