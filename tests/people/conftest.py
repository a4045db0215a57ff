"""People fixtures: browsers per member, and content made through the real services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import rate_limits
from app.extensions import db
from tests import helpers


@pytest.fixture
def make_resource():
    from app.resources import services  # noqa: PLC0415

    counter = iter(range(1, 100_000))

    def make(owner, upload=None, **fields):
        n = next(counter)
        defaults = {"title": f"Shared resource {n}", "subject": "mathematics", "license": "cc-by",
                    "description": "Useful in class.", "age_ranges": ["7-11"], "tags": ["starter"]}
        defaults.update(fields)
        if upload is not None:
            defaults["upload"] = services.Upload(*upload)
        else:
            defaults.setdefault("url", f"https://example.org/r/{n}")
        return services.create_resource(owner, **defaults)

    return make


@pytest.fixture
def make_thread():
    from app.forum import categories, services  # noqa: PLC0415
    from app.forum.models import Category  # noqa: PLC0415

    categories.ensure_defaults()

    def make(author, title="How do you run a starter?", body="Looking for ideas.", slug="ask-the-community"):
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        return services.create_thread(author, category, title=title, body=body, kind="question",
                                      tags=("starters",), enforce_limits=False)

    return make


@pytest.fixture
def count_queries(app):
    return helpers.count_queries


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Message rate limits are counted per user id in memory; ids restart with each test's database."""
    rate_limits.reset_limits()
    yield
    rate_limits.reset_limits()
