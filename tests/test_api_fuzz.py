"""Schemathesis fuzzes every operation of /api/v1/openapi.json, in process.

Why: the OpenAPI document is what outside clients build against, so every
answer the API gives must be one the document promises: never a 500, only
status codes the operation lists, the content type it lists and a body that
matches its schema. Hand-written tests cover the paths we thought of; this
covers the inputs we did not (empty strings, huge numbers, odd unicode,
missing fields). What it found is pinned down by plain tests in
tests/test_api_regressions.py.

The run is bounded and seeded (derandomized), so it is deterministic and
takes about a minute on one core. Deselect it with `-m "not fuzz"`.
"""

from __future__ import annotations

import copy
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db
from app.forum import categories
from tests.conftest import SqliteDatabase, make_settings
from tests.helpers import PASSWORD, ApiClient, Client, open_cohort

pytestmark = pytest.mark.fuzz

# schemathesis 4.32's `from_fixture` renames the running test through
# `node._nodeid`, which pytest 9.2 no longer has (the id lives in `_id`).
# Reading it gives the id; the rename is dropped (reports keep the plain
# test name, each operation still shows as its own subtest).
if not hasattr(pytest.Function, "_nodeid"):
    pytest.Function._nodeid = property(lambda node: node.nodeid, lambda node, value: None)

MAX_EXAMPLES = 10
SEED = 20_260_301
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _register(username: str, role: str = "member"):
    return accounts.register(email_verified=True, username=username, role=role, email=f"{username}@school.example", password=PASSWORD,
                             display_name=username.title(), country="GB", timezone="Europe/London")


def _created(response) -> dict:
    assert response.status_code == 201, (response.request.path, response.get_json())
    return response.get_json()


def _seed(app) -> dict[str, list]:
    """Real rows for every kind of id a path can name, made through the API
    where a member can make them (so they are what clients make), through
    services where only an admin can. Returns {path parameter: [values]}."""
    with app.app_context():
        _register("fuzzer")
        _register("otherteacher")
        admin = _register("fuzzadmin", role="admin")
        categories.ensure_defaults()
        cohort = open_cohort(admin)
        now = utcnow()
        cohort_id = cohort.id
    me, other = ApiClient(app.test_client()), ApiClient(app.test_client())
    me.login("fuzzer")
    other.login("otherteacher")

    link = {"title": "Fractions starter", "url": "https://example.org/fractions", "subject": "mathematics",
            "license": "cc-by", "tags": ["starter"]}
    resource = _created(me.post("/resources", json=link))
    theirs = _created(other.post("/resources", json={**link, "url": "https://example.org/other"}))
    collection = _created(me.post("/collections", json={"name": "Week one", "is_public": True}))
    _created(me.post(f"/collections/{collection['id']}/items", json={"resource_id": theirs["id"]}))
    me.post(f"/resources/{theirs['id']}/bookmark")

    category_id = next(c["id"] for c in me.get("/categories").get_json()["items"] if c["slug"] == "ask-the-community")
    question = _created(me.post("/threads", json={"category_id": category_id, "title": "Marking in half the time?",
                                                  "body": "What works for you?", "kind": "question"}))
    answer = _created(other.post(f"/threads/{question['id']}/posts", json={"body": "Whole-class feedback."}))
    reply = _created(me.post(f"/threads/{question['id']}/posts", json={"body": "Thanks, trying it."}))

    group = _created(me.post("/groups", json={"name": "Staffroom Runners", "sport": "running",
                                              "weekly_goal_km": 20}))
    other.post(f"/groups/{group['id']}/members")
    today = now.date()
    challenge = _created(me.post(f"/groups/{group['id']}/challenges", json={
        "title": "Fifty in March", "kind": "distance", "target_km": 50,
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=20)).isoformat()}))
    activity = _created(me.post("/activities", json={"sport": "run", "distance_km": 5, "duration_min": 30,
                                                     "date": today.isoformat(), "group_ids": [group["id"]]}))
    comment = _created(other.post(f"/activities/{activity['id']}/comments", json={"body": "Nice pace!"}))

    event = _created(me.post("/events", json={
        "title": "Connection call", "kind": "tweetmeet", "duration_min": 60, "hashtag": "staffroomchat",
        "starts_at": (now + timedelta(days=2)).isoformat(), "description": "Updates and celebrations."}))
    event_question = _created(me.post(f"/events/{event['id']}/questions",
                                      json={"body": "What did you try this term?", "offset_min": 5}))
    other.post(f"/events/{event['id']}/rsvp")

    application = _created(me.post(f"/cohorts/{cohort_id}/applications"))
    evidence = _created(me.post(f"/applications/{application['id']}/evidence",
                                json={"url": "https://example.org/my-lesson", "title": "A lesson"}))
    certification = _created(me.post("/me/certifications", json={"name": "Trainer", "issuer": "Staffroom"}))
    school = _created(me.post("/schools", json={"name": "Hillside Primary", "country": "GB", "city": "Leeds"}))
    collab = _created(me.post("/collaboration/requests", json={
        "title": "Pen pals in year 5", "subject": "languages", "age_range": "7-11", "language": "en",
        "weekdays": [0, 2], "start": "09:00", "end": "10:00"}))
    conversation = _created(me.post("/conversations", json={"to": ["otherteacher"], "body": "Hello!"}))["conversation"]
    message = _created(other.post(f"/conversations/{conversation['id']}/messages", json={"body": "Hi back."}))

    return {
        "resource_id": [resource["id"], theirs["id"]],
        "collection_id": [collection["id"]],
        "category_id": [category_id],
        "thread_id": [question["id"]],
        "post_id": [answer["id"], reply["id"]],
        "group_id": [group["id"]],
        "challenge_id": [challenge["id"]],
        "activity_id": [activity["id"]],
        "comment_id": [comment["id"]],
        "event_id": [event["id"]],
        "question_id": [event_question["id"]],
        "cohort_id": [cohort_id],
        "application_id": [application["id"]],
        "evidence_id": [evidence[0]["id"]],
        "certification_id": [certification["id"]],
        "school_id": [school["id"]],
        "request_id": [collab["id"]],
        "conversation_id": [conversation["id"]],
        "message_id": [message["id"]],
        "username": ["otherteacher", "fuzzer"],
    }


def _strict(spec: dict) -> dict:
    """The document without flask-smorest's catch-all `default` response.

    With it, any status code with an error body "conforms", so
    status_code_conformance could never fail; the fuzz run demands that
    every status an operation can answer with is listed by name.
    """
    spec = copy.deepcopy(spec)
    for operations in spec["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("default", None)
    return spec


class World:
    """The seeded app, its fuzz token and ids, and a snapshot of its database.

    Every operation starts from the snapshot, so what one operation deletes,
    cancels or withdraws (the group, the fuzz token, the application) cannot
    hide the next operation's code behind 404s and 409s.
    """

    def __init__(self, app, token: str, ids: dict[str, list]):
        self.app, self.token, self.ids = app, token, ids
        self.path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
        self.snapshot = self.path.with_suffix(".snapshot")
        self.operation: str | None = None
        self._close()
        shutil.copyfile(self.path, self.snapshot)

    def _close(self) -> None:
        with self.app.app_context():
            with db.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.engine.dispose()

    def enter(self, operation: str) -> None:
        """Restore the snapshot when the run moves on to another operation."""
        if operation == self.operation:
            return
        self.operation = operation
        self._close()
        shutil.copyfile(self.snapshot, self.path)


@pytest.fixture
def world(tmp_path):
    """A fresh SQLite app with seeded data. No app context is held, so each
    fuzzed request gets its own, as in production."""
    database = SqliteDatabase(tmp_path / "template")
    # Rate limits off: a 429 after a few calls would hide everything behind it.
    app = create_app(make_settings(database, tmp_path, RATELIMIT_ENABLED=False))
    app.test_client_class = Client
    ids = _seed(app)
    with app.app_context():
        token, _row = accounts.issue_token(accounts.get_by_username("fuzzer"), "fuzz")
    yield World(app, token, ids)
    database.reset(app)


# Ids a request body names, and the dictionary of real ones to draw from.
BODY_IDS = {
    "body.category_id": "category_id",
    "body.resource_id": "resource_id",
    "body.group_ids[*]": "group_id",
    "body.to[*]": "username",
    "body.hosts[*]": "username",
    "body.username": "username",
}


@pytest.fixture
def api_schema(world):
    spec = world.app.test_client().get("/api/v1/openapi.json").get_json()
    # Half of the generated ids name real rows, so the fuzzing reaches past
    # the 404 into the code that reads and changes them.
    bindings = {f"path.{name}": name for name in world.ids} | BODY_IDS
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        # The coverage phase would also send every operation's path the
        # methods it does not list (TRACE, PUT...): Werkzeug's routing answers
        # those the same way everywhere, and they were a tenth of the run.
        "phases": {"coverage": {"unexpected-methods": []}},
        "dictionaries": {name: {"values": values} for name, values in world.ids.items()},
        "parameters": {key: {"dictionary": name, "probability": 0.5} for key, name in bindings.items()},
    })
    schema = schemathesis.openapi.from_dict(_strict(spec), config=config)
    schema.app = world.app
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_answers_as_documented(case, world):
    world.enter(case.operation.label)
    case.call_and_validate(headers={"Authorization": f"Bearer {world.token}"}, checks=CHECKS)
