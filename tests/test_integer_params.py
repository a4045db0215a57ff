"""Every parameter of every route, sent a number too large for any id
column, a negative number and a word: no answer may be a 500.

An id or page number past what the database holds made the driver raise
(OverflowError on SQLite past 2**63, "integer out of range" on PostgreSQL
past 2**31 - 1). Which parameters a route has is not listed here by hand:

- routes come from the app's URL map, and `<int:...>` path parts from each rule;
- query-string and form parameters are the ones each view reads: a first
  request records every name looked up in `request.args` and
  `request.form` (WTForms and webargs included), then each is sent alone;
- the JSON API's query and body integers come from its OpenAPI document, and
  there the answer must also be a 422 that names the field: a schema that
  lets such a number through would hand it to the database.

Runs on SQLite (its limit, 2**63, is the wider one, so a value past it is
past PostgreSQL's too) as a signed-in member who owns most of the seeded
rows, then as an admin for what the member was refused. The live rooms'
handlers get the same treatment through the Socket.IO server's own list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from werkzeug.datastructures import ImmutableMultiDict

from app import create_app
from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db, socketio
from app.forum.models import Category, Thread
from app.live import rooms
from app.push import NAMESPACE
from tests.conftest import SqliteDatabase, make_settings
from tests.helpers import PASSWORD, Client
from tests.seeded import World, seed

HUGE, NEGATIVE, WORD = "99999999999999999999", "-5", "abc"
BAD_VALUES = (HUGE, NEGATIVE, WORD)
JSON_VALUES = {HUGE: int(HUGE), NEGATIVE: int(NEGATIVE), WORD: WORD}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# Flask's own route for files; nothing of ours reads a number there.
SKIPPED_ENDPOINTS = {"static"}

_names_read: set[str] = set()


class Recording:
    """Notes every name looked up in the mapping it is mixed into."""

    def __contains__(self, key):
        _names_read.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        _names_read.add(key)
        return super().__getitem__(key)


class RecordingMultiDict(Recording, ImmutableMultiDict):
    """`request.args` and `request.form` that note every name looked up."""

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's name)
        _names_read.add(key)
        return super().get(key, default=default, type=type)

    def getlist(self, key, type=None):  # noqa: A002
        _names_read.add(key)
        return super().getlist(key, type=type)


class Sweep:
    """Signed-in browsers and API tokens over the seeded world. The database
    goes back to the seeded snapshot after any request that may have changed
    it, so a delete early on cannot hide later routes behind 404s."""

    def __init__(self, app, ids: dict[str, list], strings: dict[str, str], usernames: list[str]):
        self.app, self.ids, self.strings = app, ids, strings
        self.client = app.test_client()
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.callers: dict[str, tuple[str, str]] = {}
        for username in usernames:
            response = self.client.post("/login", data={"login": username, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
            with app.app_context():
                token = accounts.issue_token(accounts.get_by_username(username), "sweep")[0]
            self.callers[username] = (self.client.get_cookie(self.cookie_name).value, token)
        self.world = World(app, None, ids)
        self.changed = False
        self.spec = self.client.get("/api/v1/openapi.json").get_json()
        self.problems: list[str] = []
        self.as_user(usernames[0])

    def as_user(self, username: str) -> None:
        self.cookie, self.token = self.callers[username]

    # Sending ----------------------------------------------------------------------------

    def send(self, method: str, path: str, query: dict | None = None, form: dict | None = None, json=None):
        if self.changed:
            self.world.restore()
        # Set again each time: a logout or a deleted account must not sign the sweep out.
        self.client.set_cookie(self.cookie_name, self.cookie)
        headers = {"Authorization": f"Bearer {self.token}"} if path.startswith("/api/") else {}
        _names_read.clear()
        response = self.client.open(path, method=method, query_string=query, data=form, json=json,
                                     headers=headers)
        # Refusals (4xx) write nothing; anything else may have.
        self.changed = method in UNSAFE and response.status_code < 400
        return response

    def check(self, response, method: str, path: str, where: str) -> None:
        if response.status_code >= 500:
            self.problems.append(f"{response.status_code} {method} {path} {where}")

    # Routes -----------------------------------------------------------------------------

    def path(self, rule, override: tuple[str, str] | None = None) -> str:
        def value(match) -> str:
            converter, name = match.group(1), match.group(2)
            if override and override[0] == name:
                return override[1]
            if converter == "int":
                return str(self.ids.get(name, [1])[0])
            return self.strings.get(f"{rule.endpoint}:{name}") or self.strings.get(name, "x")

        return PLACEHOLDER.sub(value, rule.rule)

    def operation(self, rule, method: str) -> dict:
        """The OpenAPI operation for an /api/ rule (empty for pages)."""
        templated = PLACEHOLDER.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
        return self.spec["paths"].get(templated, {}).get(method.lower(), {})

    def path_ids(self, rule) -> None:
        """Each `<int:...>` part of the rule (routing answers alike for every method and caller)."""
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        for match in PLACEHOLDER.finditer(rule.rule):
            if match.group(1) == "int":
                for bad in BAD_VALUES:
                    path = self.path(rule, (match.group(2), bad))
                    self.check(self.send(method, path), method, path, f"path {match.group(2)}")

    def parameters(self, rule, method: str) -> int:
        """Each query-string and form parameter the view reads, then each
        integer of the API operation. Returns the status of a plain request."""
        path = self.path(rule)
        # A form that is not empty: Flask-WTF reads no fields from an empty one.
        status = self.send(method, path, form={"sweep": "1"} if method in UNSAFE else None).status_code
        _names_read.discard("sweep")
        for name in sorted(_names_read):
            for bad in BAD_VALUES:
                # Sent both ways: the view may read either (request.values).
                form = {name: bad} if method in UNSAFE else None
                self.check(self.send(method, path, query={name: bad}, form=form), method, path, f"{name}={bad}")

        for source, where in api_integers(self.spec, self.operation(rule, method)):
            field = ".".join(map(str, where))
            for bad in BAD_VALUES:
                if source == "query":
                    response = self.send(method, path, query={field: bad})
                else:
                    response = self.send(method, path, json=body_with(where, JSON_VALUES[bad]))
                label = f"{source} {field}={bad}"
                self.check(response, method, path, label)
                if not refused(response, field):
                    self.problems.append(f"not refused: {method} {path} {label} -> {response.status_code} "
                                         f"{response.get_data(as_text=True)[:200]}")
        return status


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _integer_paths(spec: dict, schema: dict, prefix: tuple = ()) -> Iterator[tuple]:
    schema = _resolve(spec, schema)
    if schema.get("readOnly"):
        return
    for part in schema.get("allOf", []):
        yield from _integer_paths(spec, part, prefix)
    if schema.get("type") == "integer":
        yield prefix
    elif schema.get("type") == "array":
        yield from _integer_paths(spec, schema.get("items", {}), (*prefix, 0))
    for name, prop in schema.get("properties", {}).items():
        yield from _integer_paths(spec, prop, (*prefix, name))


def api_integers(spec: dict, operation: dict) -> Iterator[tuple[str, tuple]]:
    """("query" or "body", where) for each integer the operation takes in its
    query string or JSON body, as its OpenAPI document states them; `where`
    is a path into the body, 0 standing for a list's first item."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and _resolve(spec, parameter.get("schema", {})).get("type") == "integer":
            yield "query", (parameter["name"],)
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        for where in _integer_paths(spec, body["schema"]):
            yield "body", where


def body_with(where: tuple, value):
    """The smallest body holding `value` at `where`: ("answers", 0, "version")
    gives {"answers": [{"version": value}]}."""
    for key in reversed(where):
        value = [value] if isinstance(key, int) else {key: value}
    return value


def refused(response, field: str) -> bool:
    """A validation error that names the field (or an item of it: "ids.0")."""
    if response.status_code not in (400, 422) or not response.is_json:
        return False
    return any(key == field or key.startswith(f"{field}.") for key in response.get_json()["error"]["fields"])


@pytest.fixture
def world(tmp_path):
    database = SqliteDatabase(tmp_path / "template")
    # No CSRF and no rate limits: a refused token or a 429 would stop each
    # request before the code that reads the parameter.
    app = create_app(make_settings(database, tmp_path, RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False,
                                   FORUM_POSTS_PER_MINUTE=10_000))
    app.test_client_class = Client
    ids = seed(app)
    # From here on every request notes the parameters its view reads.
    app.request_class = type("RecordingRequest", (app.request_class,),
                             {"parameter_storage_class": RecordingMultiDict})
    with app.app_context():
        thread = db.session.get(Thread, ids["thread_id"][0])
        category = db.session.get(Category, ids["category_id"][0])
        year = utcnow().year  # the seeded cohort's school year (open_cohort)
        strings = {"forum.thread:slug": thread.slug, "slug": category.slug, "username": "otherteacher",
                   "school_year": f"{year}-{year + 1}"}
    yield app, ids, strings
    database.reset(app)


def test_no_parameter_of_any_route_gives_a_500(world):
    sweep = Sweep(*world, ["fuzzer", "fuzzadmin"])
    # The member owns most seeded rows; the admin then tries what the member may not.
    out_of_reach = []
    for rule in sorted(sweep.app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        sweep.path_ids(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if sweep.parameters(rule, method) in (401, 403, 404):
                out_of_reach.append((rule, method))
    sweep.as_user("fuzzadmin")
    for rule, method in out_of_reach:
        sweep.parameters(rule, method)
    assert sweep.problems == [], "\n".join(sweep.problems)


# Live rooms -------------------------------------------------------------------------------

class RecordingPayload(Recording, dict):
    """A live-room message's payload that notes every key a handler looks up."""

    def get(self, key, default=None):
        _names_read.add(key)
        return super().get(key, default)


class RecordingJson:
    """The json module Socket.IO decodes packets with, handing out RecordingPayloads."""

    dumps = staticmethod(json.dumps)

    @staticmethod
    def loads(text, **kwargs):
        return json.loads(text, object_hook=RecordingPayload, **kwargs)


def test_no_value_in_any_live_room_message_breaks_the_handler(live, make_user, live_event, monkeypatch):
    """Every handler on /live (from the Socket.IO server's own list), each
    key it reads sent too large, negative and as a word: an error ack at
    most, never the catch-all internal_error, and the socket stays up."""
    monkeypatch.setattr(socketio.server.packet_class, "json", RecordingJson)
    monkeypatch.setattr(rooms, "allow", lambda *args: True)  # no rate limit hides a handler
    host = make_user(role="admin")
    event = live_event(host)
    socket = live(token=accounts.issue_token(host)[0])
    handlers = sorted(set(socketio.server.handlers[NAMESPACE]) - {"connect", "disconnect"})
    assert {"join", "send", "delete"} <= set(handlers)

    def emit(name: str, payload: dict):
        socket.emit("join", {"event_id": event.id}, namespace=NAMESPACE, callback=True)
        _names_read.clear()
        ack = socket.emit(name, payload, namespace=NAMESPACE, callback=True)
        return ack, set(_names_read)

    problems = []
    for name in handlers:
        _ack, keys = emit(name, {"event_id": event.id})
        for key in sorted(keys):
            for bad in JSON_VALUES.values():
                ack, _keys = emit(name, {"event_id": event.id, key: bad})
                if not socket.is_connected(NAMESPACE) or (ack or {}).get("error", {}).get("code") == "internal_error":
                    problems.append(f"{name} {key}={bad}: {ack}")
    assert problems == []
