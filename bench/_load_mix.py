"""The clients of bench/load_faults.py: visitors who browse and search,
writers who post replies and share resources through the API, and members
chatting in one live room over python-socketio (websocket transport).

Everything runs on one asyncio loop in a thread of its own, while the main
thread kills and restarts processes. Every call is recorded with the phase
it ended in (`Recorder.phase`, set by the main thread), its latency and its
outcome ("ok" or an error kind); every create that was acknowledged (201,
or a chat ack with ok) is remembered so the database can be checked
afterwards.

No proxy sits in front of the two processes: each client has a home process
and moves to the other when a connection fails, as nginx's `max_fails` /
`fail_timeout` would (GETs and POSTs alike; a failed POST is not retried,
so nothing is saved twice). Chat clients reconnect when their socket drops
(their home process first, then the other, in turn) and join again with
`since_id`, so the room sends what they missed, as static/js/room.js does.
With `catch_up_every` they also join again with `since_id` every so many
seconds while connected: the only way a client can learn of a broadcast
that never reached its process (one published while that process was not
subscribed to Redis) is to ask the room.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

import aiohttp
import socketio

NS = "/live"
JOIN_TIMEOUT = 5.0
SEND_TIMEOUT = 5.0
DOWN_FOR = 5.0  # seconds a process that failed a connection is avoided
WORDS = ["fractions", "photosynthesis", "volcanoes", "poetry", "algebra", "rainforest", "electricity", "grammar"]
PAGES = ["/", "/library", "/discuss", "/events"]


@dataclass
class Site:
    """What the clients need to know, made by the bench's setup."""

    urls: list[str]
    event_id: int
    writers: list[dict]  # {"token", "thread_id"}
    chatters: list[str]  # tokens
    pages: list[str] = field(default_factory=lambda: list(PAGES))  # the writers' threads are added
    recent: deque = field(default_factory=lambda: deque(maxlen=8))  # pages of resources just shared


class Recorder:
    """What happened, by phase. Written by the load thread only; the main
    thread sets `phase` and reads the rest after the load thread ended."""

    def __init__(self):
        self.phase = "setup"
        self.calls: list[tuple[str, str, float, str]] = []  # (phase, op, seconds, outcome)
        self.resyncs: Counter = Counter()  # (phase, cause)
        self.acked: dict[str, set[int]] = {"post": set(), "resource": set(), "chat": set()}
        self.chat_phase: dict[int, str] = {}  # acknowledged chat message id -> phase it was sent in

    def call(self, op: str, started: float, outcome: str) -> None:
        """Counted in the phase the call ended in, so failures a fault causes
        to calls already under way count with the fault."""
        self.calls.append((self.phase, op, time.monotonic() - started, outcome))


class Failover:
    """Which process a client should use: its home, unless that one just failed."""

    def __init__(self, urls: list[str]):
        self.urls = urls
        self.down_until = {url: 0.0 for url in urls}

    def pick(self, home: int) -> str:
        order = self.urls[home:] + self.urls[:home]
        now = time.monotonic()
        return next((url for url in order if self.down_until[url] <= now), order[0])

    def failed(self, url: str) -> None:
        self.down_until[url] = time.monotonic() + DOWN_FOR


class Load:
    """Every client of one run, on one asyncio loop (`run`, in the load thread)."""

    def __init__(self, site: Site, recorder: Recorder, stop: threading.Event, *, visitors: int,
                 chat_every: float, catch_up_every: float, drain: float):
        self.site, self.recorder, self.stop = site, recorder, stop
        self.visitors, self.chat_every, self.catch_up_every, self.drain = visitors, chat_every, catch_up_every, drain
        self.stopped_at: float | None = None
        self.failover = Failover(site.urls)
        self.session: aiohttp.ClientSession | None = None
        self.chatters: list[Chatter] = []

    async def run(self) -> None:
        logging.getLogger("socketio").setLevel(logging.CRITICAL)  # every dropped socket would log
        logging.getLogger("engineio").setLevel(logging.CRITICAL)
        # Reuse an idle connection for less time than gunicorn keeps it (2 s),
        # as browsers do, so a request never lands on a socket being closed.
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=1.0)
        async with aiohttp.ClientSession(connector=connector) as self.session:
            self.chatters = chatters = [Chatter(n, token, self) for n, token in enumerate(self.site.chatters)]
            await asyncio.gather(*(c.connect(None) for c in chatters))
            tasks = [asyncio.create_task(self.visitor(n)) for n in range(self.visitors)]
            tasks += [asyncio.create_task(self.writer(n, w)) for n, w in enumerate(self.site.writers)]
            tasks += [asyncio.create_task(c.run()) for c in chatters]
            await asyncio.gather(*tasks)

    def deadline(self) -> float:
        """When chat clients stop: `drain` seconds after the main thread says stop."""
        if not self.stop.is_set():
            return float("inf")
        if self.stopped_at is None:
            self.stopped_at = time.monotonic()
        return self.stopped_at + self.drain

    async def request(self, op: str, home: int, method: str, path: str, *, token: str | None = None,
                      json=None, ok=(200,)):
        """One call through the failover; returns the JSON body of a good answer, else None."""
        url, started = self.failover.pick(home), time.monotonic()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            async with self.session.request(method, url + path, json=json, headers=headers,
                                            timeout=aiohttp.ClientTimeout(total=15)) as response:
                body = await response.read()
                if response.status not in ok:
                    self.recorder.call(op, started, f"http {response.status}")
                    return None
                self.recorder.call(op, started, "ok")
                return await response.json() if response.content_type == "application/json" else body
        except aiohttp.ClientError as error:  # refused, reset, or an answer cut short by a kill
            if isinstance(error, (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError)):
                self.failover.failed(url)
            self.recorder.call(op, started, type(error).__name__)
        except asyncio.TimeoutError:
            self.recorder.call(op, started, "timeout")
        return None

    async def visitor(self, number: int) -> None:
        rng = random.Random(number)
        while not self.stop.is_set():
            if rng.random() < 0.6:
                await self.request("browse", number % 2, "GET", rng.choice(self.site.pages + list(self.site.recent)))
            else:
                await self.request("search", number % 2, "GET", f"/api/v1/search?q={rng.choice(WORDS)}")

    async def writer(self, number: int, writer: dict) -> None:
        rng = random.Random(100 + number)
        count = 0
        while not self.stop.is_set():
            count += 1
            if count % 2:
                made = await self.request("post", number % 2, "POST", f"/api/v1/threads/{writer['thread_id']}/posts",
                                          token=writer["token"], ok=(201,),
                                          json={"body": f"Reply {count} from writer {number}: {rng.choice(WORDS)}"})
                kind = "post"
            else:
                word = rng.choice(WORDS)
                made = await self.request("resource", number % 2, "POST", "/api/v1/resources", token=writer["token"],
                                          ok=(201,), json={
                                              "title": f"{word.title()} lesson {number}-{count}",
                                              "description": f"A lesson plan about {word}.",
                                              "url": f"https://lessons.example.org/{word}/{number}-{count}",
                                              "subject": "science", "age_ranges": ["11-14"], "tags": [word],
                                              "license": "cc-by"})
                kind = "resource"
                if made:
                    self.site.recent.append(made["links"]["html"])
            if made:
                self.recorder.acked[kind].add(made["id"])
            await asyncio.sleep(0.2)


class Chatter:
    """A member in the room who sends every `chat_every` seconds and keeps
    every message id seen, live or by backfill.

    `mark` is the since_id for the next backfill: the highest id the room
    returned on the last join. Messages seen live never move it, because a
    live stream can have a hole (a broadcast another process published
    while this one was not subscribed to Redis) that a later message does
    not reveal; a join always returns everything after `mark`.
    """

    def __init__(self, number: int, token: str, load: Load):
        self.number, self.token, self.load = number, token, load
        urls = load.site.urls
        self.urls = urls[number % 2:] + urls[:number % 2]
        self.recorder = load.recorder
        self.client: socketio.AsyncClient | None = None
        self.lost = asyncio.Event()
        self.seen: set[int] = set()
        self.backfilled: Counter = Counter()  # ids first seen in a join's answer, by why we joined
        self.mark: int | None = None
        # (time, newest id seen then), as the browser keeps: `resync` asks
        # from the last mark before the gap (app/live/queue.py, static/js/room.js).
        self.marks: list[tuple[float, int]] = []
        self.resync_from: int | None = None
        self.history: list[tuple[float, str, str]] = []  # (time, phase, what): to explain missed messages

    def note(self, what: str) -> None:
        self.history.append((round(time.monotonic(), 2), self.recorder.phase, what))

    async def on_message(self, data) -> None:
        if data.get("event_id") == self.load.site.event_id:
            self.seen.add(data["id"])
            if not self.marks or data["id"] > self.marks[-1][1]:
                self.marks.append((time.monotonic(), data["id"]))

    async def on_resync(self, data) -> None:
        """The server's link to the other processes came back: ask for what
        they broadcast in the gap (lost_seconds, plus a 10 s margin)."""
        before = time.monotonic() - float((data or {}).get("lost_seconds") or 0) - 10
        earlier = [mark for at, mark in self.marks if at <= before]
        self.resync_from = earlier[-1] if earlier else 0
        self.note(f"resync asked ({data}): from {self.resync_from}")

    async def on_disconnect(self, *reason) -> None:
        self.note(f"disconnected ({', '.join(map(str, reason)) or 'no reason given'})")
        self.lost.set()

    async def connect(self, cause: str | None) -> None:
        """Connect (trying each process in turn) and join, until it works or time is up."""
        attempt = 0
        while time.monotonic() < self.load.deadline():
            url = self.urls[attempt % len(self.urls)]
            attempt += 1
            client = socketio.AsyncClient(reconnection=False)
            client.on("message", self.on_message, namespace=NS)
            client.on("disconnect", self.on_disconnect, namespace=NS)
            client.on("resync", self.on_resync, namespace=NS)
            started = time.monotonic()
            try:
                await client.connect(url, namespaces=[NS], transports=["websocket"], auth={"token": self.token},
                                     wait_timeout=10)
                self.client, self.lost = client, asyncio.Event()
                self.note(f"connected to {url}")
                if await self.join(cause):
                    return
            except Exception as error:  # noqa: BLE001 (counted; the loop tries the other process)
                self.recorder.call("chat connect", started, type(error).__name__)
            self.client = None
            with contextlib.suppress(Exception):
                await client.disconnect()
            await asyncio.sleep(0.5)

    async def join(self, cause: str | None, since: int | None = None) -> bool:
        """Join the room, with since_id after the first time; True when it worked."""
        started = time.monotonic()
        payload = {"event_id": self.load.site.event_id}
        if since is not None or self.mark is not None:
            payload["since_id"] = since if since is not None else self.mark
        try:
            ack = await self.client.call("join", payload, namespace=NS, timeout=JOIN_TIMEOUT)
        except Exception as error:  # noqa: BLE001 (counted; the caller tries again)
            self.recorder.call("chat join", started, type(error).__name__)
            return False
        if not ack.get("ok"):
            self.recorder.call("chat join", started, ack.get("error", {}).get("code", "error"))
            return False
        self.recorder.call("chat join", started, "ok")
        ids = {message["id"] for message in ack["messages"]}
        if cause:
            self.backfilled[cause] += len(ids - self.seen)
            self.recorder.resyncs[(self.recorder.phase, cause)] += 1
        self.seen |= ids
        self.mark = max(ids | {self.mark or 0})
        self.note(f"joined ({cause}) since_id {payload.get('since_id')}: {len(ids)} messages")
        return True

    async def run(self) -> None:
        rng = random.Random(1000 + self.number)
        await asyncio.sleep(rng.random() * self.load.chat_every)
        count, catch_up_at = 0, time.monotonic() + self.load.catch_up_every
        while time.monotonic() < self.load.deadline():
            if self.lost.is_set() or self.client is None:
                await self.connect("reconnect")
                continue
            if self.resync_from is not None:
                since, self.resync_from = self.resync_from, None
                await self.join("resync", since)
            if self.load.catch_up_every and time.monotonic() >= catch_up_at:
                await self.join("catch-up")
                catch_up_at = time.monotonic() + self.load.catch_up_every
            if self.load.stop.is_set():  # draining: listen, reconnect, catch up; send nothing
                await asyncio.sleep(0.2)
                continue
            count += 1
            await self.send(f"chat-{self.number}-{count}", f"Message {count} from member {self.number}")
            await asyncio.sleep(self.load.chat_every * (0.75 + rng.random() / 2))
        if self.client is not None:
            await self.client.disconnect()

    async def send(self, client_id: str, body: str) -> None:
        started = time.monotonic()
        try:
            ack = await self.client.call("send", {"event_id": self.load.site.event_id, "body": body,
                                                  "client_id": client_id}, namespace=NS, timeout=SEND_TIMEOUT)
        except Exception as error:  # noqa: BLE001 (timeouts and dropped sockets are outcomes)
            self.recorder.call("chat send", started, type(error).__name__)
            return
        if ack.get("ok"):
            self.recorder.call("chat send", started, "ok")
            message_id = ack["message"]["id"]
            self.recorder.acked["chat"].add(message_id)
            self.recorder.chat_phase[message_id] = self.recorder.phase
            self.note(f"sent {message_id}")
            return
        code = ack.get("error", {}).get("code", "error")
        self.recorder.call("chat send", started, code)
        if code == "not_joined":  # this process forgot the socket's room: join again
            await self.join("not joined")


def run(load: Load) -> None:
    """The load thread's body."""
    asyncio.run(load.run())
