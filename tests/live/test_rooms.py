"""Event rooms on /live: join, send, backfill, presence, moderation, TweetMeet
questions and the Q&A panel, through Socket.IO test clients."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.db_types import utcnow
from app.events import chat, tweetmeet
from app.events.models import EventMessage
from app.exceptions import ValidationFailed
from app.extensions import db
from app.live import rooms
from app.notifications.models import Notification
from tests.events.fixtures import move

NS = "/live"


@pytest.fixture
def connect(live, make_user):
    """A socket signed in with an API token: connect(user) or connect() for a new member."""

    def make(user=None):
        user = user or make_user()
        socket = live(token=accounts.issue_token(user)[0])
        assert socket.is_connected(NS)
        socket.user = user
        return socket

    return make


def emit(socket, name, **data):
    return socket.emit(name, data, namespace=NS, callback=True)


def received(socket, name):
    # Flask-SocketIO's test client hands "message" events over unwrapped.
    return [m["args"] if m["name"] == "message" else m["args"][0]
            for m in socket.get_received(NS) if m["name"] == name]


def joined(socket, event, **extra):
    ack = emit(socket, "join", event_id=event.id, **extra)
    assert ack["ok"], ack
    return ack


def message_count(event) -> int:
    return db.session.scalar(select(func.count(EventMessage.id)).where(EventMessage.event_id == event.id))


# Connecting and joining -------------------------------------------------------------------

def test_connect_without_auth_is_refused(live):
    assert not live().is_connected(NS)


def test_joining_an_event_you_cannot_see_is_refused_in_the_ack(connect, make_event):
    draft = make_event(status="draft")
    socket = connect()
    ack = emit(socket, "join", event_id=draft.id)
    assert ack == {
        "ok": False,
        "error": {"code": "not_found", "message": "There is no such event, or you cannot see it."},
    }
    assert socket.is_connected(NS)
    assert received(socket, "presence") == []


def test_join_returns_history_participants_and_room(connect, live_event):
    event = live_event()
    amira = connect()
    chat.post_message(event, amira.user, "Good morning from Riyadh")
    ack = joined(amira, event)
    assert [m["text"] for m in ack["messages"]] == ["Good morning from Riyadh"]
    assert ack["participants"] == [chat.user_dict(amira.user)]
    assert ack["room"]["phase"] == "open" and ack["room"]["is_host"] is False
    assert ack["participant_count"] == 1
    assert received(amira, "presence") == [{"event_id": event.id, "participants": ack["participants"], "count": 1}]


def test_join_sends_the_last_fifty(connect, live_event):
    event = live_event()
    socket = connect()
    for n in range(55):
        db.session.add(EventMessage(event_id=event.id, user_id=socket.user.id, body=f"m{n}", body_html=f"m{n}"))
    db.session.commit()
    ack = joined(socket, event)
    assert [m["text"] for m in ack["messages"]] == [f"m{n}" for n in range(5, 55)]


def test_bad_payloads_get_error_acks(connect, live_event):
    socket = connect()
    assert emit(socket, "join", event_id="7")["error"]["code"] == "bad_request"
    assert socket.emit("join", "nonsense", namespace=NS, callback=True)["error"]["code"] == "bad_request"
    assert emit(socket, "join", event_id=live_event().id, since_id=-3)["error"]["code"] == "bad_request"
    assert socket.is_connected(NS)


# Sending ------------------------------------------------------------------------------------

def test_send_saves_then_broadcasts_to_everyone_in_the_room(connect, live_event):
    event = live_event()
    amira, leyla, outsider = connect(), connect(), connect()
    joined(amira, event), joined(leyla, event)
    for socket in (amira, leyla, outsider):
        socket.get_received(NS)
    ack = emit(amira, "send", event_id=event.id, body="Hello everyone", client_id="c-1")
    assert ack["ok"] and ack["duplicate"] is False
    message = ack["message"]
    assert set(message) >= {"id", "event_id", "user", "body", "created_at", "client_id"}
    assert message["body"] == "Hello everyone" and message["client_id"] == "c-1"
    assert message["user"]["username"] == amira.user.username
    assert db.session.get(EventMessage, message["id"]) is not None
    assert received(leyla, "message") == [message]
    assert received(amira, "message") == [message]
    assert received(outsider, "message") == []


def test_sending_to_a_room_you_have_not_joined_is_an_error(connect, live_event):
    event = live_event()
    socket = connect()
    ack = emit(socket, "send", event_id=event.id, body="hi", client_id="x")
    assert ack["ok"] is False and ack["error"]["code"] == "not_joined"
    assert socket.is_connected(NS)
    assert message_count(event) == 0


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (chat.MAX_BODY + 1), None, 12])
def test_empty_or_oversize_messages_are_refused(connect, live_event, body):
    event = live_event()
    socket = connect()
    joined(socket, event)
    ack = emit(socket, "send", event_id=event.id, body=body, client_id="x")
    assert ack["ok"] is False and ack["error"]["code"] == "validation_error"
    assert ack["error"]["fields"]["body"]
    assert socket.is_connected(NS)
    assert message_count(event) == 0


def test_an_error_ack_says_what_is_wrong_in_its_one_line():
    # No message of its own: the fields' messages, not "Some fields need attention."
    ack = rooms._service_error(ValidationFailed({"a": "First.", "b": "Second."}))  # noqa: SLF001 (the handler's own error mapping)
    assert ack["error"]["message"] == "First. Second." and ack["error"]["fields"] == {"a": "First.", "b": "Second."}
    # A message of its own is kept, even one that reads like the summary.
    ack = rooms._service_error(ValidationFailed({"body": "Write a message."}, "The message is empty."))  # noqa: SLF001 (the handler's own error mapping)
    assert ack["error"]["message"] == "The message is empty."
    ack = rooms._service_error(ValidationFailed({"body": "Write a message."}, "Some fields need attention."))  # noqa: SLF001 (the handler's own error mapping)
    assert ack["error"]["message"] == "Some fields need attention."


def test_a_message_of_the_largest_size_goes_through(connect, live_event):
    event = live_event()
    socket = connect()
    joined(socket, event)
    assert emit(socket, "send", event_id=event.id, body="y" * chat.MAX_BODY)["ok"]


def test_sending_too_fast_is_rate_limited(connect, live_event, app):
    event = live_event()
    socket = connect()
    joined(socket, event)
    limit = int(app.config.get("LIVE_SEND_LIMIT", "8 per 10 seconds").split()[0])
    acks = [emit(socket, "send", event_id=event.id, body=f"n{n}", client_id=f"n{n}") for n in range(limit + 1)]
    assert all(ack["ok"] for ack in acks[:limit])
    assert acks[-1]["ok"] is False and acks[-1]["error"]["code"] == "rate_limited"
    assert socket.is_connected(NS)
    assert message_count(event) == limit


def test_script_in_a_message_is_escaped(connect, live_event, make_user):
    event = live_event()
    make_user("leyla_m")
    socket = connect()
    joined(socket, event)
    ack = emit(
        socket,
        "send",
        event_id=event.id,
        client_id="s",
        body="<script>alert(1)</script> <img src=x onerror=alert(2)> "
        "see https://example.org/a?b=1&c=2. @leyla_m @ghost",
    )
    body = ack["message"]["body"]
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener" target="_blank">' in body
    assert body.count("</a>.") == 1  # the full stop ends the sentence, not the link
    assert '<a class="mention" href="/u/leyla_m">@leyla_m</a>' in body
    assert "@ghost" in body and "/u/ghost" not in body  # not a member: no link


def test_a_mention_notifies_the_member(connect, live_event, make_user):
    event = live_event()
    leyla = make_user("leyla_m")
    socket = connect()
    joined(socket, event)
    emit(socket, "send", event_id=event.id, body="Over to you @leyla_m", client_id="m")
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == leyla.id)).all()
    assert kinds == ["event_mention"]


def test_a_repeated_client_id_is_saved_once(connect, live_event):
    event = live_event()
    socket, other = connect(), connect()
    joined(socket, event), joined(other, event)
    other.get_received(NS)
    first = emit(socket, "send", event_id=event.id, body="Only once", client_id="retry-1")
    again = emit(socket, "send", event_id=event.id, body="Only once", client_id="retry-1")
    assert again["ok"] and again["duplicate"] is True
    assert again["message"] == first["message"]
    assert message_count(event) == 1
    assert len(received(other, "message")) == 1


def test_backfill_with_since_id_returns_exactly_the_missed_messages(connect, live_event):
    event = live_event()
    talker, reader = connect(), connect()
    joined(talker, event)
    ack = joined(reader, event)
    assert ack["messages"] == []
    seen = emit(talker, "send", event_id=event.id, body="before the drop", client_id="b1")["message"]
    reader.disconnect(NS)
    missed = [emit(talker, "send", event_id=event.id, body=f"missed {n}", client_id=f"m{n}")["message"]
              for n in range(3)]
    reader.connect(NS, auth={"token": accounts.issue_token(reader.user)[0]})
    assert reader.is_connected(NS)
    back = joined(reader, event, since_id=seen["id"])
    assert back["messages"] == missed
    assert back["deleted"] == []


def test_a_message_sent_outside_the_room_window_is_refused(connect, make_event):
    event = make_event()  # in two days: the room is not open yet
    socket = connect()
    assert joined(socket, event)["room"]["phase"] == "scheduled"
    ack = emit(socket, "send", event_id=event.id, body="too early", client_id="e")
    assert ack["error"]["code"] == "room_closed"
    move(event, utcnow() - timedelta(hours=3))  # ended two hours ago: an archive
    ack = emit(socket, "send", event_id=event.id, body="too late", client_id="l")
    assert ack["error"]["code"] == "room_closed"
    assert socket.is_connected(NS)


def test_a_host_opens_the_room_early(connect, make_event, make_user):
    host = make_user()
    event = make_event(host)
    member, host_socket = connect(), connect(host)
    joined(member, event), joined(host_socket, event)
    assert emit(member, "open_room", event_id=event.id)["error"]["code"] == "forbidden"
    assert emit(host_socket, "open_room", event_id=event.id) == {"ok": True, "phase": "open"}
    assert received(member, "room_open")[-1] == {"event_id": event.id, "phase": "open"}
    assert emit(member, "send", event_id=event.id, body="early bird", client_id="e")["ok"]


def test_typing_goes_to_the_others(connect, live_event):
    event = live_event()
    amira, leyla = connect(), connect()
    joined(amira, event), joined(leyla, event)
    amira.get_received(NS), leyla.get_received(NS)
    assert emit(amira, "typing", event_id=event.id)["ok"]
    assert received(leyla, "typing") == [{"event_id": event.id, "user": chat.user_dict(amira.user)}]
    assert received(amira, "typing") == []


# Presence ------------------------------------------------------------------------------------

def test_presence_is_broadcast_on_join_and_leave(connect, live_event):
    event = live_event()
    amira, leyla = connect(), connect()
    joined(amira, event)
    joined(leyla, event)
    both = sorted([chat.user_dict(amira.user), chat.user_dict(leyla.user)], key=lambda u: u["display_name"].lower())
    assert received(amira, "presence")[-1]["participants"] == both
    assert emit(leyla, "leave", event_id=event.id)["ok"]
    assert received(amira, "presence")[-1]["participants"] == [chat.user_dict(amira.user)]
    joined(leyla, event)
    leyla.disconnect(NS)
    assert received(amira, "presence")[-1]["participants"] == [chat.user_dict(amira.user)]


def test_two_tabs_are_one_participant(connect, live_event, make_user):
    event = live_event()
    user = make_user()
    first, second = connect(user), connect(user)
    joined(first, event)
    assert joined(second, event)["participants"] == [chat.user_dict(user)]


# Moderation -------------------------------------------------------------------------------------

def test_a_host_deletes_a_message_and_every_client_hears_of_it(connect, live_event, make_user):
    host = make_user()
    event = live_event(host)
    host_socket, amira, leyla = connect(host), connect(), connect()
    for socket in (host_socket, amira, leyla):
        joined(socket, event)
    message = emit(amira, "send", event_id=event.id, body="off topic", client_id="o")["message"]
    for socket in (host_socket, amira, leyla):
        socket.get_received(NS)
    assert emit(host_socket, "delete", event_id=event.id, message_id=message["id"]) == {"ok": True, "id": message["id"]}
    for socket in (host_socket, amira, leyla):
        assert received(socket, "deleted") == [{"event_id": event.id, "id": message["id"]}]
    assert joined(leyla, event)["messages"] == []
    assert joined(leyla, event, since_id=0)["deleted"] == [message["id"]]


def test_members_delete_only_their_own_messages(connect, live_event):
    event = live_event()
    amira, leyla = connect(), connect()
    joined(amira, event), joined(leyla, event)
    mine = emit(amira, "send", event_id=event.id, body="mine", client_id="1")["message"]
    assert emit(leyla, "delete", event_id=event.id, message_id=mine["id"])["error"]["code"] == "forbidden"
    assert emit(amira, "delete", event_id=event.id, message_id=mine["id"])["ok"]
    assert emit(amira, "delete", event_id=event.id, message_id=999_999)["error"]["code"] == "not_found"


def test_a_muted_member_cannot_send(connect, live_event, make_user):
    host = make_user()
    event = live_event(host)
    host_socket, member = connect(host), connect()
    joined(host_socket, event), joined(member, event)
    assert emit(member, "mute", event_id=event.id, user_id=host.id)["error"]["code"] == "forbidden"
    assert emit(host_socket, "mute", event_id=event.id, user_id=member.user.id)["ok"]
    assert received(member, "muted")[-1] == {"event_id": event.id, "user": chat.user_dict(member.user), "muted": True}
    ack = emit(member, "send", event_id=event.id, body="let me talk", client_id="m")
    assert ack["ok"] is False and ack["error"]["code"] == "muted"
    assert member.is_connected(NS) and message_count(event) == 0
    assert joined(member, event)["room"]["muted"] is True
    assert emit(host_socket, "mute", event_id=event.id, user_id=member.user.id, muted=False)["ok"]
    assert emit(member, "send", event_id=event.id, body="thank you", client_id="t")["ok"]
    assert emit(host_socket, "mute", event_id=event.id, user_id=host.id)["error"]["code"] == "conflict"


def test_slow_mode_spaces_out_members_but_not_hosts(connect, live_event, make_user):
    host = make_user()
    event = live_event(host)
    host_socket, member = connect(host), connect()
    joined(host_socket, event), joined(member, event)
    assert emit(host_socket, "slow_mode", event_id=event.id, seconds=7)["error"]["code"] == "validation_error"
    assert emit(host_socket, "slow_mode", event_id=event.id, seconds=30) == {"ok": True, "seconds": 30}
    assert received(member, "slow_mode")[-1] == {"event_id": event.id, "seconds": 30}
    assert emit(member, "send", event_id=event.id, body="one", client_id="1")["ok"]
    ack = emit(member, "send", event_id=event.id, body="two", client_id="2")
    assert ack["error"]["code"] == "slow_mode"
    assert emit(host_socket, "send", event_id=event.id, body="hosts are exempt", client_id="h1")["ok"]
    assert emit(host_socket, "send", event_id=event.id, body="still exempt", client_id="h2")["ok"]


def test_a_host_pins_a_message(connect, live_event, make_user):
    host = make_user()
    event = live_event(host)
    host_socket, member = connect(host), connect()
    joined(host_socket, event), joined(member, event)
    message = emit(host_socket, "send", event_id=event.id, body="Agenda: https://example.org", client_id="a")["message"]
    assert emit(member, "pin", event_id=event.id, message_id=message["id"])["error"]["code"] == "forbidden"
    assert emit(host_socket, "pin", event_id=event.id, message_id=message["id"])["ok"]
    assert received(member, "pinned")[-1] == {"event_id": event.id, "message": message}
    assert joined(member, event)["room"]["pinned"] == message
    emit(host_socket, "delete", event_id=event.id, message_id=message["id"])
    assert joined(member, event)["room"]["pinned"] is None


# TweetMeet and Q&A ---------------------------------------------------------------------------------

def test_tweetmeet_questions_are_posted_at_their_time_and_answers_group(connect, make_event, make_user):
    host = make_user()
    event = make_event(host, kind="tweetmeet", title="TweetMeet: feedback")
    tweetmeet.add_question(event, host, "How do you give feedback?", 0)
    tweetmeet.add_question(event, host, "What did you change this term?", 20)
    move(event, utcnow() - timedelta(minutes=10))
    member = connect()
    ack = joined(member, event)
    questions = [m for m in ack["messages"] if m["kind"] == "question"]
    assert [(m["number"], m["text"]) for m in questions] == [(1, "Q1 How do you give feedback?")]
    assert ack["room"]["current_question"] == {"number": 1, "body": "How do you give feedback?"}
    assert ack["room"]["next_question_at"] == (event.starts_at + timedelta(minutes=20)).isoformat()
    answer = emit(member, "send", event_id=event.id, body="A1 Exit tickets, every lesson", client_id="a1")["message"]
    assert (answer["kind"], answer["number"]) == ("answer", 1)
    early = emit(member, "send", event_id=event.id, body="A2 not asked yet", client_id="a2")["message"]
    assert early["kind"] == "chat"
    move(event, utcnow() - timedelta(minutes=25))  # Q2's time has come: the next send posts it first
    member.get_received(NS)
    emit(member, "send", event_id=event.id, body="A2 Peer review", client_id="a2b")
    kinds = [(m["kind"], m["number"]) for m in received(member, "message")]
    assert kinds == [("question", 2), ("answer", 2)]
    grouped = chat.transcript(event)
    assert [(q.number, [a.body for a in answers]) for q, answers in grouped["questions"]] == [
        (1, ["A1 Exit tickets, every lesson"]), (2, ["A2 Peer review"])]
    assert [m.body for m in grouped["chat"]] == ["A2 not asked yet"]


def test_a_question_is_posted_once_however_many_look(make_event, make_user):
    host = make_user()
    event = make_event(host, kind="tweetmeet")
    tweetmeet.add_question(event, host, "Only once please", 0)
    move(event, utcnow() - timedelta(minutes=1))
    assert len(tweetmeet.post_due(event)) == 1
    assert tweetmeet.post_due(event) == []
    assert message_count(event) == 1


def test_the_qa_panel_sorts_by_votes_and_hosts_mark_answers(connect, live_event, make_user):
    host = make_user()
    event = live_event(host)
    host_socket, amira, leyla = connect(host), connect(), connect()
    for socket in (host_socket, amira, leyla):
        joined(socket, event)
    first = emit(amira, "ask", event_id=event.id, body="When is the next cohort?")["question"]
    second = emit(leyla, "ask", event_id=event.id, body="Can we share slides?")["question"]
    assert received(host_socket, "qa")[-1]["question"]["id"] == second["id"]
    voted = emit(amira, "upvote", event_id=event.id, question_id=second["id"])
    assert voted["question"]["votes"] == 1 and voted["question"]["voted"] is True
    assert emit(amira, "upvote", event_id=event.id, question_id=second["id"])["question"]["votes"] == 1
    assert [q["id"] for q in joined(leyla, event)["questions"]] == [second["id"], first["id"]]
    assert emit(amira, "answered", event_id=event.id, question_id=second["id"])["error"]["code"] == "forbidden"
    assert emit(host_socket, "answered", event_id=event.id, question_id=second["id"])["question"]["answered"]
    panel = joined(leyla, event)["questions"]
    assert [(q["id"], q["answered"]) for q in panel] == [(first["id"], False), (second["id"], True)]
    assert emit(amira, "upvote", event_id=event.id, question_id=second["id"], up=False)["question"]["votes"] == 0
    assert emit(amira, "ask", event_id=event.id, body="?")["error"]["code"] == "validation_error"


def test_presence_in_a_big_room_is_throttled_and_capped(connect, live_event, monkeypatch):
    monkeypatch.setattr(rooms, "BIG_ROOM", 1)
    monkeypatch.setattr(rooms, "PRESENCE_NAMES", 2)
    monkeypatch.setattr(rooms, "PRESENCE_EVERY", 0.2)
    event = live_event()
    watcher = connect()
    joined(watcher, event)
    others = [connect() for _ in range(3)]
    watcher.get_received(NS)
    for socket in others:
        ack = joined(socket, event)
    assert len(ack["participants"]) == 2 and ack["participant_count"] == 4
    first = received(watcher, "presence")
    assert len(first) <= 1  # the burst of joins is coalesced
    deadline = time.monotonic() + 3
    updates = first
    while time.monotonic() < deadline and not any(p["count"] == 4 for p in updates):
        time.sleep(0.05)
        updates += received(watcher, "presence")
    assert updates[-1]["count"] == 4 and len(updates[-1]["participants"]) == 2


def test_sockets_joining_at_once_share_one_presence_tracker(app, monkeypatch):
    # The first joins after a start arrive together: each thread used to
    # make its own tracker, and the first join's entry was lost with it.
    made = []

    class SlowPresence(rooms.Presence):
        def __init__(self, *args, **kwargs):
            time.sleep(0.05)  # widen the window between "missing" and "stored"
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(rooms, "Presence", SlowPresence)
    app.extensions.pop("event_presence", None)
    got = []

    def first_use():
        with app.app_context():
            got.append(rooms.presence())

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1
    assert all(tracker is made[0] for tracker in got)


def test_hosts_post_the_next_question_now_and_edit_one_and_the_room_sees_both(connect, make_event, make_user):
    host, cohost = make_user(), make_user()
    event = make_event(host, kind="tweetmeet", hosts=[cohost.username])
    first = tweetmeet.add_question(event, host, "Q1: How do you start a lesson?", 30)
    tweetmeet.add_question(event, cohost, "q2 What ends it?", 40)
    assert [q.body for q in tweetmeet.questions(event)] == ["How do you start a lesson?", "What ends it?"]
    move(event, utcnow() - timedelta(minutes=5))  # open, nothing due yet
    hosting, member = connect(host), connect()
    assert joined(hosting, event)["room"]["next_question"] == {"number": 1, "body": "How do you start a lesson?"}
    assert joined(member, event)["room"]["next_question"] is None  # members never see questions early
    refused = emit(member, "post_question", event_id=event.id)
    assert refused["error"]["code"] == "forbidden" and message_count(event) == 0
    member.get_received(NS)

    posted = emit(hosting, "post_question", event_id=event.id)
    assert posted["ok"] and posted["message"]["text"] == "Q1 How do you start a lesson?"  # never "Q1 Q1 ..."
    assert [(m["kind"], m["number"]) for m in received(member, "message")] == [("question", 1)]
    assert joined(member, event)["room"]["current_question"] == {"number": 1, "body": "How do you start a lesson?"}
    answer = emit(member, "send", event_id=event.id, body="A1 A question on the board", client_id="a1")
    assert answer["message"]["kind"] == "answer"

    chat.edit_question(event, cohost, first.id, body="How do you open a lesson?")
    [edited] = received(member, "edited")
    assert (edited["id"], edited["text"]) == (posted["message"]["id"], "Q1 How do you open a lesson?")
    assert "<strong>Q1</strong> How do you open a lesson?" in edited["body"]
    with pytest.raises(chat.ValidationFailed):  # a posted question keeps its time
        chat.edit_question(event, host, first.id, offset_min=35)
    with pytest.raises(chat.Forbidden):
        chat.edit_question(event, member.user, first.id, body="Hijacked question")

    assert emit(hosting, "post_question", event_id=event.id)["message"]["number"] == 2
    again = emit(hosting, "post_question", event_id=event.id)
    assert again["error"]["code"] == "conflict" and "Every question is posted" in again["error"]["message"]
    move(event, utcnow() - timedelta(hours=5))
    assert emit(hosting, "post_question", event_id=event.id)["error"]["code"] == "room_closed"
