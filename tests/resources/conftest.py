"""Fixtures for the library: resources made through the real service, and
the form fields a browser would post."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.resources import services
from tests.helpers import ApiClient
from tests.resources.samples import pdf_bytes


@pytest.fixture
def make_resource(make_user):
    """Create a resource through `services.create_resource`.

    With no `upload` and no `url` it is a link; pass `upload=(bytes, name)`
    for a file. `owner` defaults to a new member.
    """
    counter = iter(range(1, 100_000))

    def make(owner=None, upload=None, **fields):
        n = next(counter)
        defaults = {"title": f"Shared resource {n}", "subject": "mathematics", "license": "cc-by",
                    "description": "Useful in class.", "age_ranges": ["7-11"], "tags": ["starter"]}
        defaults.update(fields)
        if upload is not None:
            data, name = upload
            defaults["upload"] = services.Upload(data, name)
        elif "url" not in defaults:
            defaults["url"] = f"https://example.org/resource/{n}"
        return services.create_resource(owner or make_user(), **defaults)

    return make


@pytest.fixture
def login_as(app, make_user):
    """A fresh API client signed in (bearer token) as a new user."""

    def login(username: str | None = None, role: str = "member") -> ApiClient:
        user = make_user(username, role=role)
        client = ApiClient(app.test_client())
        client.login(user.username)
        client.user = user
        return client

    return login


@pytest.fixture
def owner(login_as):
    return login_as("amara_o")


@pytest.fixture
def make_pdf_resource(make_resource):
    def make(owner=None, text: str = "Photosynthesis worksheet", **fields):
        return make_resource(owner, upload=(pdf_bytes(text), "worksheet.pdf"), **fields)

    return make


@pytest.fixture
def stored_files(app):
    """The names under UPLOAD_DIR/files right now."""

    def names() -> list[str]:
        folder = Path(app.config["UPLOAD_DIR"]) / "files"
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []

    return names
