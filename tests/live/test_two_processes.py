"""Two real server processes share event rooms through Redis.

Each process is started the way the README deploys it (gunicorn, one worker,
threads) with the same REDIS_URL and the test's own database (SQLite file or
PostgreSQL schema). python-socketio clients on the websocket transport
connect to different processes: a message sent to one reaches the other,
and each sees the other in the room's presence list.
"""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import redis
import socketio

from app.accounts import services as accounts
from app.db_types import utcnow
from app.events import reminders, tweetmeet
from app.events.presence import Presence
from deploy.cluster import free_port
from tests import services as test_services
from tests.events.fixtures import move
from tests.helpers import PASSWORD, csrf_from

# Each test's servers talk on a channel of their own (and presence keys live
# under it), so tests on the other xdist worker using the same Redis are not heard.


ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
NS = "/live"



def database_url(app) -> str:
    """The test database as a DATABASE_URL another process can use."""
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://", 1)
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    if options:  # the session's PostgreSQL schema travels as a libpq option
        url += ("&" if "?" in url else "?") + "options=" + quote(options)
    return url


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited: {process.stdout.read().decode(errors='replace')}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/events", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start in {timeout} s")


@pytest.fixture
def channel():
    """This test's own Socket.IO channel (and so presence) on the shared Redis:
    ids repeat from test to test, and a stopped server's entries outlive it."""
    return f"staffroom-test-{secrets.token_hex(4)}"


@pytest.fixture
def servers(app, tmp_path, channel):
    redis_url = test_services.need_redis()
    env = {
        **os.environ, "DATABASE_URL": database_url(app), "REDIS_URL": redis_url, "SECRET_KEY": "two-process-test",
        "SEARCH_WORKER": "off", "EVENT_SCHEDULER": "off", "MAIL_WORKER": "off", "UPLOAD_DIR": str(tmp_path / "uploads"),
        # Our own Socket.IO channel: other servers on this Redis (another
        # test, a bench) must not broadcast into these rooms.
        "SOCKETIO_CHANNEL": channel,
        "RATELIMIT_KEY_PREFIX": channel,  # nor count sign-in failures together
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"), "PYTHONPATH": str(ROOT),
    }
    started = []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [str(GUNICORN), "-w", "1", "--threads", "50", "-b", f"127.0.0.1:{port}", "--no-control-socket",
                 "--graceful-timeout", "2", "wsgi:app"],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            started.append((port, process))
        for port, process in started:
            wait_until_serving(port, process)
        yield [f"http://127.0.0.1:{port}" for port, _ in started]
    finally:
        for _, process in started:
            process.terminate()
        for _, process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def client_for(url: str, token: str) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.connect(url, namespaces=[NS], transports=["websocket"], auth={"token": token}, wait_timeout=10)
    return client


def test_a_message_sent_to_one_process_reaches_a_client_on_the_other(servers, live_event, make_user):
    event = live_event(title="Two-process room")
    amira, leyla = make_user("amira_h"), make_user("leyla_m")
    tokens = {user.username: accounts.issue_token(user)[0] for user in (amira, leyla)}
    on_first = client_for(servers[0], tokens["amira_h"])
    on_second = client_for(servers[1], tokens["leyla_m"])
    got, presence = [], []
    text = f"Hello across processes {secrets.token_hex(4)}"
    arrived = threading.Event()

    def on_message(data):
        if data["event_id"] == event.id and data["text"] == text:
            got.append(data)
            arrived.set()

    on_first.on("message", on_message, namespace=NS)
    on_first.on("presence", lambda data: presence.append(data), namespace=NS)
    try:
        assert on_first.call("join", {"event_id": event.id}, namespace=NS, timeout=10)["ok"]
        joined = on_second.call("join", {"event_id": event.id}, namespace=NS, timeout=10)
        assert joined["ok"]
        # Other runs may share this Redis: look for ours, not only ours.
        assert {"amira_h", "leyla_m"} <= {p["username"] for p in joined["participants"]}
        ack = on_second.call("send", {"event_id": event.id, "body": text, "client_id": "x-1"}, namespace=NS, timeout=10)
        assert ack["ok"], ack
        assert arrived.wait(10), "the message never reached the other process's client"
        assert got == [ack["message"]]
        assert got[0]["text"] == text and got[0]["user"]["username"] == "leyla_m"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not any(
                {"amira_h", "leyla_m"} <= {x["username"] for x in p["participants"]} for p in presence):
            time.sleep(0.05)
        assert any({"amira_h", "leyla_m"} <= {x["username"] for x in p["participants"]} for p in presence)
    finally:
        on_first.disconnect()
        on_second.disconnect()


def test_presence_forgets_a_process_that_died():
    """Entries of a process whose heartbeat lapsed (a crash) drop out of the list."""

    url = test_services.need_redis()
    first, second = Presence(url), Presence(url)
    event_id = 10_000_000 + secrets.randbelow(10_000_000)  # a room no real run uses
    first.add(event_id, "sid-a", {"id": 1, "username": "amira_h", "display_name": "Amira"})
    second.add(event_id, "sid-b", {"id": 2, "username": "leyla_m", "display_name": "Leyla"})
    try:
        assert [p["id"] for p in first.participants(event_id)] == [1, 2]
        redis.Redis.from_url(url).delete(f"staffroom:presence-process:{second.process_id}")
        assert [p["id"] for p in first.participants(event_id)] == [1]
        assert second.has("sid-b", event_id)  # its own sockets are still its own
    finally:
        first.remove(event_id, "sid-a")
        second.remove(event_id, "sid-b")


def test_a_cli_process_posts_a_due_question_into_a_served_room(servers, channel, make_event, make_user):
    """`flask events send-reminders` emits through Redis (SocketIO(message_queue=...))."""
    host = make_user("jordan_t")
    event = make_event(host, kind="tweetmeet", title="TweetMeet across processes")
    move(event, utcnow() - timedelta(minutes=1))
    listener = client_for(servers[1], accounts.issue_token(make_user("emma_c"))[0])
    got = []
    arrived = threading.Event()

    def on_message(data):
        if data["event_id"] == event.id:
            got.append(data)
            arrived.set()

    listener.on("message", on_message, namespace=NS)
    try:
        assert listener.call("join", {"event_id": event.id}, namespace=NS, timeout=10)["ok"]
        tweetmeet.add_question(event, host, "What will you try tomorrow?", 0)
        emit = reminders.cli_emitter(_FakeApp(channel))
        assert reminders.post_due_questions(emit=emit) == 1
        assert arrived.wait(10), "the question never reached the room"
        assert (got[0]["kind"], got[0]["number"], got[0]["text"]) == ("question", 1, "Q1 What will you try tomorrow?")
    finally:
        listener.disconnect()


class _FakeApp:
    """What `cli_emitter` reads of an app: its config, here with Redis."""

    def __init__(self, channel: str):
        self.config = {"REDIS_URL": test_services.REDIS_URL, "SOCKETIO_CHANNEL": channel}


def signed_in(base_url: str, login: str) -> urllib.request.OpenerDirector:
    """A browser-like client of one server process, signed in through the form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base_url}/login", timeout=10).read().decode()
    form = {"csrf_token": csrf_from(page), "login": login, "password": PASSWORD}
    opener.open(f"{base_url}/login", data=urlencode(form).encode(), timeout=10).read()
    return opener


def test_suspending_a_member_closes_their_sockets_on_the_other_process(servers, live_event, make_user):
    """The moderator acts on process A; the member's socket is on process B."""
    event = live_event(title="Suspension across processes")
    make_user("moira_m", role="moderator")
    member = make_user("sam_s")
    on_second = client_for(servers[1], accounts.issue_token(member)[0])
    closed = threading.Event()
    on_second.on("disconnect", closed.set, namespace=NS)
    try:
        assert on_second.call("join", {"event_id": event.id}, namespace=NS, timeout=10)["ok"]
        moderator = signed_in(servers[0], "moira_m")
        profile = moderator.open(f"{servers[0]}/u/sam_s", timeout=10).read().decode()
        moderator.open(f"{servers[0]}/u/sam_s/suspend", timeout=10, data=urlencode(
            {"csrf_token": csrf_from(profile), "reason": "Spam in the room"}).encode()).read()
        assert closed.wait(10), "the suspended member's socket on the other process stayed open"
        with pytest.raises(socketio.exceptions.ConnectionError):  # and cannot come back
            client_for(servers[1], accounts.issue_token(member)[0])
    finally:
        if on_second.connected:
            on_second.disconnect()
