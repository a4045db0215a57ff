"""A seeded app for tests that sweep every route: real rows for every kind
of id a path can name, and a snapshot of the database to start each
operation from (tests/test_api_fuzz.py, tests/test_integer_params.py)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db
from app.forum import categories
from tests.helpers import PASSWORD, ApiClient, open_cohort


def _register(username: str, role: str = "member"):
    return accounts.register(email_verified=True, username=username, role=role, email=f"{username}@school.example",
                             password=PASSWORD,
                             display_name=username.title(), country="GB", timezone="Europe/London")


def _created(response) -> dict:
    assert response.status_code == 201, (response.request.path, response.get_json())
    return response.get_json()


def seed(app) -> dict[str, list]:
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


class World:
    """The seeded app, its fuzz token and ids, and a snapshot of its database.

    Every operation starts from the snapshot, so what one operation deletes,
    cancels or withdraws (the group, the fuzz token, the application) cannot
    hide the next operation's code behind 404s and 409s.
    """

    def __init__(self, app, token: str | None, ids: dict[str, list]):
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
        self.restore()

    def restore(self) -> None:
        self._close()
        shutil.copyfile(self.snapshot, self.path)
