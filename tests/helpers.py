"""Small helpers the tests share: CSRF tokens from pages, API clients, users, an open cohort."""

from __future__ import annotations

import contextvars
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import has_app_context
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import event

from app import member_cache
from app.db_types import utcnow
from app.extensions import db
from app.messages import services as messages
from app.notifications import services as notifications

PASSWORD = "correct-horse-battery"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@contextmanager
def recording_queries() -> Iterator[list[str]]:
    """`with recording_queries() as statements:` the SQL run inside, in order."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def count_queries(call: Callable[[], object]) -> int:
    """How many SQL statements `call()` runs."""
    with recording_queries() as statements:
        call()
    return len(statements)


def forget_badges(user_id: int) -> None:
    """Drop the member's kept header badges (unread notifications and
    messages, app/member_cache.py), so that counting a page's statements
    counts them every time, kept or not."""
    member_cache.forget(user_id, notifications.UNREAD_PANEL, messages.UNREAD_PANEL)


class Client(FlaskClient):
    """The test client, with two differences from Flask's.

    Each request runs in its own context, as in production, even though the
    test itself holds an app context: otherwise `g` (and the signed-in user
    in it) and the database session would carry over between requests and
    between clients. After each request the test's own session forgets what
    it had loaded, so the test reads what the request wrote.

    `submit` posts a form the way a browser does, with the CSRF token read
    from the page that shows the form.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response

    def submit(self, path: str, data: dict | None = None, page: str | None = None, **kwargs):
        html = self.get(page or path).get_data(as_text=True)
        payload = dict(data or {})
        payload.setdefault("csrf_token", csrf_from(html))
        return self.post(path, data=payload, **kwargs)


class ApiClient:
    """JSON calls to /api/v1, optionally with a bearer token."""

    def __init__(self, client: FlaskClient):
        self.client = client
        self.token: str | None = None

    def login(self, login: str, password: str = PASSWORD) -> dict:
        response = self.client.post("/api/v1/tokens", json={"login": login, "password": password})
        assert response.status_code == 201, response.get_json()
        self.token = response.get_json()["token"]
        return response.get_json()

    def _headers(self, headers: dict | None) -> dict:
        merged = dict(headers or {})
        if self.token:
            merged.setdefault("Authorization", f"Bearer {self.token}")
        return merged

    def request(self, method: str, path: str, headers: dict | None = None, **kwargs):
        return self.client.open(f"/api/v1{path}", method=method, headers=self._headers(headers), **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def png_bytes(width: int = 400, height: int = 300, color=(31, 95, 139)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def open_cohort(admin, questions=None, school_year=None):
    """A cohort taking nominations now (through the real service), announced in three weeks."""
    from app.programmes import services as programmes  # noqa: PLC0415 (keeps this module light)

    now = utcnow()
    return programmes.create_cohort(
        admin, school_year=school_year or f"{now.year}-{now.year + 1}",
        questions=questions or [{"text": "How do you share with colleagues?", "max_length": 500}],
        nominations_open_at=now - timedelta(days=1), nominations_close_at=now + timedelta(days=10),
        review_starts_at=now + timedelta(days=11), review_ends_at=now + timedelta(days=20),
        announce_at=now + timedelta(days=21))


def speaking(make_user, username: str, locale: str):
    """A member (from the `make_user` fixture) whose profile language is `locale`."""
    from app.extensions import db  # noqa: PLC0415 (helpers import no app module at import time)

    user = make_user(username)
    user.locale = locale
    db.session.commit()
    return user
