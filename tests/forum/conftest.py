"""Forum fixtures: the default categories, threads and replies made through
the real services, and browsers signed in as a given member."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum import categories, services
from app.forum.models import Category


@pytest.fixture
def category(app):
    """The default categories exist; returns one by slug."""
    categories.ensure_defaults()

    def get(slug: str = "ask-the-community") -> Category:
        return db.session.scalar(select(Category).where(Category.slug == slug))

    return get


@pytest.fixture
def make_thread(category, make_user):
    counter = iter(range(1, 100_000))

    def make(author=None, slug: str = "ask-the-community", kind: str = "question", title: str | None = None,
             body: str = "Does anyone have a good way to do this?", tags=("teams",)):
        n = next(counter)
        return services.create_thread(author or make_user(), category(slug), title=title or f"A question number {n}",
                                      body=body, kind=kind, tags=tags, enforce_limits=False)

    return make


@pytest.fixture
def add_replies(make_user):
    """Add `count` replies to a thread (alternating authors); returns them."""

    def add(thread, count: int, authors=None, body: str = "Here is what works for me."):
        authors = authors or [make_user(), make_user()]
        return [services.reply(thread, authors[i % len(authors)], f"{body} ({i + 2})", enforce_limits=False)
                for i in range(count)]

    return add
