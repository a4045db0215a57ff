"""The scale-out deployment, brought up on loopback as README.md documents it:
two app processes (gunicorn, one worker, threads) on one PostgreSQL
database and one Redis, and one `flask search worker` (deploy/cluster.py).

What a member would notice if the processes did not share their state: a
resource saved through one process that the other cannot find or download,
a chat message that never reaches someone connected to the other process,
and a sign-in limit that resets by switching process.
"""

from __future__ import annotations

import random
import string
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import socketio

from deploy.cluster import Cluster, JsonClient, random_loopback
from tests import services
from tests.helpers import PASSWORD
from tests.resources.samples import pdf_bytes

# The cluster has its own database and Socket.IO channel, and the limit test
# signs in from its own loopback address: safe beside other tests using the
# same Redis on the other xdist worker.
pytestmark = pytest.mark.services

NS = "/live"
FINDABLE_WITHIN_S = 2.0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    postgres, redis = services.need_postgres(), services.need_redis()
    with Cluster(postgres, redis, tmp_path_factory.mktemp("scale_out"), threads=20, tag="scale_test",
                 # The members register through the API and upload at once: no mailbox here to confirm from.
                 env={"REQUIRE_EMAIL_VERIFICATION": "0"}) as running:
        yield running


@pytest.fixture(scope="module")
def source():
    """This run's own client address (see JsonClient): fresh rate-limit counters."""
    return random_loopback()


@pytest.fixture(scope="module")
def members(cluster, source):
    """Two members, each registered through process A and signed in through B."""
    tokens = {}
    for username in ("amira_h", "leyla_m"):
        created = JsonClient(cluster.url("a"), source=source).post("/api/v1/users", json={
            "username": username, "email": f"{username}@school.example", "password": PASSWORD,
            "display_name": username.split("_")[0].title(), "country": "GB"})
        assert created.status == 201, created.json()
        signed_in = JsonClient(cluster.url("b"), source=source).post(
            "/api/v1/tokens", json={"login": username, "password": PASSWORD})
        assert signed_in.status == 201, signed_in.json()
        tokens[username] = signed_in.json()["token"]
    return tokens


def multipart(fields: list[tuple[str, str]], file_field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = f"staffroom-{random.getrandbits(64):x}"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_resource_uploaded_through_one_process_is_found_and_downloaded_through_the_other(cluster, members):
    word = "".join(random.choices(string.ascii_lowercase, k=12))  # in no other document
    data = pdf_bytes(f"Photosynthesis worksheet about {word}")
    body, content_type = multipart([("title", f"Light and leaves {word}"), ("subject", "biology"),
                                    ("license", "cc-by"), ("age_ranges", "11-14"), ("tags", "plants")],
                                   "file", "leaves.pdf", data)
    on_a = JsonClient(cluster.url("a"), token=members["amira_h"])
    on_b = JsonClient(cluster.url("b"), token=members["leyla_m"])

    created = on_a.request("POST", "/api/v1/resources", body=body, headers={"Content-Type": content_type})
    assert created.status == 201, created.json()
    saved_at = time.monotonic()
    resource_id = created.json()["id"]
    found = []
    while not found and time.monotonic() - saved_at < 10:
        results = on_b.get(f"/api/v1/search?q={word}&type=resource").json()["results"]
        found = [r for r in results if r["id"] == resource_id]
        if not found:
            time.sleep(0.05)
    waited = time.monotonic() - saved_at
    assert found, "process B never found the resource saved through A"
    assert waited <= FINDABLE_WITHIN_S, f"found through B only after {waited:.2f} s"

    download = on_b.get(created.json()["file"]["download_url"])
    assert download.status == 200 and download.body == data  # the upload folder is shared too


def chat_client(url: str, token: str) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.connect(url, namespaces=[NS], transports=["websocket"], auth={"token": token}, wait_timeout=10)
    return client


def test_a_chat_message_sent_on_one_process_reaches_a_member_on_the_other(cluster, members):
    starts_at = (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat()
    event = JsonClient(cluster.url("a"), token=members["amira_h"]).post("/api/v1/events", json={
        "title": "Scale-out staff meeting", "kind": "connection_call", "starts_at": starts_at, "duration_min": 60})
    assert event.status == 201, event.json()
    event_id = event.json()["id"]
    on_a = chat_client(cluster.url("a"), members["amira_h"])
    on_b = chat_client(cluster.url("b"), members["leyla_m"])
    received, arrived = [], threading.Event()

    def on_message(data):
        received.append(data)
        arrived.set()

    on_b.on("message", on_message, namespace=NS)
    try:
        assert on_b.call("join", {"event_id": event_id}, namespace=NS, timeout=10)["ok"]
        assert on_a.call("join", {"event_id": event_id}, namespace=NS, timeout=10)["ok"]
        ack = on_a.call("send", {"event_id": event_id, "body": "Good morning from A", "client_id": "scale-1"},
                        namespace=NS, timeout=10)
        assert ack["ok"], ack
        assert arrived.wait(10), "the message sent on A never reached the member on B"
        assert [(m["id"], m["text"], m["user"]["username"]) for m in received] == [
            (ack["message"]["id"], "Good morning from A", "amira_h")]
    finally:
        on_a.disconnect()
        on_b.disconnect()


def test_a_sign_in_limit_counted_on_one_process_holds_on_the_other(cluster, members):
    on_a = JsonClient(cluster.url("a"), source=random_loopback())  # counters of this test's own
    on_b = JsonClient(cluster.url("b"), source=on_a.source)
    # RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT allows 10 failures in 15 minutes; sent together, as
    # each one costs the server a password hash.
    with ThreadPoolExecutor(5) as pool:
        wrong = list(pool.map(lambda _: on_a.post("/api/v1/tokens", json={
            "login": "amira_h", "password": "not-the-password"}).status, range(10)))
    assert wrong == [401] * 10
    refused = on_b.post("/api/v1/tokens", json={"login": "amira_h", "password": PASSWORD})
    assert refused.status == 429, refused.json()
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "rate_limited"
