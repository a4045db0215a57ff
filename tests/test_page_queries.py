"""Every page `bench/run.py` loads runs the same number of SQL statements
whatever the size of the community: the database is filled by Core bulk
inserts (tests/bulk_rows.py), each page's statements counted, the
community grown (members, resources, threads, groups, activities, events,
RSVPs, chat, conversations, notifications, nominations, schools: several
times more of each, many of them the viewer's own), and counted again.

The member's cached panels (app/member_cache.py) are emptied before each
count, so the statements that choose them are counted too."""

from __future__ import annotations

import pytest

from app import member_cache
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


def statements_of(community, page: str) -> list[str]:
    path, signed_in = PAGES[page]
    client = community["member" if signed_in else "visitor"]
    path = path.format(**community["names"])
    member_cache.forget(community["viewer"].id, member_cache.HOME, "unread_notifications", "unread_messages")
    with recording_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, (page, response.status_code)
    return statements


def test_no_page_runs_more_statements_as_the_community_grows(community):
    for page in PAGES:  # a first load of each (templates compiled, sign-in settled)
        statements_of(community, page)
    small = {page: statements_of(community, page) for page in PAGES}
    grow(100, community["viewer"].id, group_id=community["names"]["group"], event_id=community["names"]["event"])
    large = {page: statements_of(community, page) for page in PAGES}
    grew = {page: (len(small[page]), len(large[page])) for page in PAGES if len(small[page]) != len(large[page])}
    assert not grew, "\n\n".join(f"{page} {counts}:\n" + "\n".join(large[page]) for page, counts in grew.items())
    # None is near the N+1 range either (the member home chooses seven panels).
    assert max(len(statements) for statements in large.values()) <= 25, {p: len(s) for p, s in large.items()}
