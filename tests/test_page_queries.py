"""Every page `bench/run.py` loads runs the same number of SQL statements
whatever the size of the community: the database is filled by Core bulk
inserts (tests/bulk_rows.py), each page's statements counted, the
community grown (members, resources, threads, groups, activities, events,
RSVPs, chat, conversations, notifications, nominations, schools: several
times more of each, many of them the viewer's own), and counted again,
twice; the ORM rows each page reads stop growing once its lists are full.

The member's cached panels (app/member_cache.py) are emptied before each
count, so the statements that choose them are counted too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app import member_cache
from app.extensions import db
from app.forum import categories
from tests.bulk_rows import grow
from tests.helpers import recording_queries

# Bench page name -> (path, signed in); {thread} {group} {event} are the grown rows.
PAGES = {
    "home": ("/", False),
    "home_member": ("/", True),
    "group": ("/groups/{group}", True),
    "forum_thread": ("/t/{thread}-a-thousand-replies?page=5", False),
    "forum_thread_member": ("/t/{thread}-a-thousand-replies?page=5", True),
    "forum_category": ("/discuss/c/ask-the-community", True),
    "events": ("/events", True),
    "event_room": ("/events/{event}/room", True),
    "people_directory": ("/people?subject=mathematics", True),
    "messages_inbox": ("/messages", True),
    "programme_experts": ("/programmes/experts", False),
    "schools_near": ("/schools?near=london", False),
}


@pytest.fixture
def community(app, make_user, live_event, client_for):
    categories.ensure_defaults()
    viewer = make_user("viewer", subjects=["mathematics"], country="GB")
    event = live_event(title="Open connection call")
    first = grow(20, viewer.id, event_id=event.id, thread_posts=120)
    names = {"group": first["groups"], "thread": first["long_thread"], "event": event.id}
    return {"viewer": viewer, "member": client_for(viewer), "visitor": app.test_client(), "names": names}


@contextmanager
def counting_rows() -> Iterator[list[int]]:
    """`with counting_rows() as loaded:` how many ORM rows were loaded inside (loaded[0])."""
    loaded = [0]

    def count(target, context):
        loaded[0] += 1

    event.listen(db.Model, "load", count, propagate=True)
    try:
        yield loaded
    finally:
        event.remove(db.Model, "load", count)


def statements_of(community, page: str, rows: dict | None = None) -> list[str]:
    path, signed_in = PAGES[page]
    client = community["member" if signed_in else "visitor"]
    path = path.format(**community["names"])
    member_cache.forget(community["viewer"].id, member_cache.HOME, "unread_notifications", "unread_messages")
    with recording_queries() as statements, counting_rows() as loaded:
        response = client.get(path)
    assert response.status_code == 200, (page, response.status_code)
    if rows is not None:
        rows[page] = loaded[0]
    return statements


def test_no_page_runs_more_statements_or_reads_more_rows_as_the_community_grows(community):
    for page in PAGES:  # a first load of each (templates compiled, sign-in settled)
        statements_of(community, page)
    small = {page: statements_of(community, page) for page in PAGES}
    viewer, names = community["viewer"].id, community["names"]
    grow(200, viewer, group_id=names["group"], event_id=names["event"])  # the inbox (100 conversations) full
    rows, large_rows = {}, {}
    large = {page: statements_of(community, page, rows) for page in PAGES}
    grow(100, viewer, group_id=names["group"], event_id=names["event"])
    larger = {page: statements_of(community, page, large_rows) for page in PAGES}
    grew = {page: (len(small[page]), len(large[page]), len(larger[page])) for page in PAGES
            if not len(small[page]) == len(large[page]) == len(larger[page])}
    assert not grew, "\n\n".join(f"{page} {counts}:\n" + "\n".join(larger[page]) for page, counts in grew.items())
    # None is near the N+1 range either (the member home chooses seven panels).
    assert max(len(statements) for statements in larger.values()) <= 25, {p: len(s) for p, s in larger.items()}
    # Once a page is full (its lists at their page size), more community means no more rows read
    # (give or take the authors behind a list: a page of twenty threads by more or fewer people).
    # Known exception: the schools directory lists every showcase and incubator school.
    more_rows = {page: (rows[page], large_rows[page]) for page in PAGES
                 if large_rows[page] > rows[page] * 1.2 + 5 and page != "schools_near"}
    assert not more_rows, more_rows
