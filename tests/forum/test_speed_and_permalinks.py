"""Thread pages in a fixed number of queries, and permalinks that land on
the right page and post."""

from __future__ import annotations

import re

from app.extensions import db
from app.forum import reading, services
from app.forum.models import Post
from tests.helpers import recording_queries


def path(thread, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/t/{thread.id}-{thread.slug}" + (f"?{query}" if query else "")


def shown_posts(html: str) -> int:
    return len(re.findall(r'<article id="post-\d+"', html))


def test_a_thread_page_takes_the_same_few_queries_whatever_its_length(
        client, auth, make_thread, add_replies):
    auth.as_role()
    short = make_thread(title="A short thread of questions")
    add_replies(short, 4)
    long = make_thread(title="A long thread with many posts")
    replies = add_replies(long, 64)
    services.accept_answer(replies[3], long.author)  # the accepted answer joins page 1
    counts = {}
    for thread, page, expected_posts in [(short, 1, 5), (long, 1, 20), (long, 2, 20), (long, 4, 5)]:
        url = path(thread, page=page)  # (outside the count: the test's own objects reload)
        assert client.get(url).status_code == 200  # writes the read mark
        with recording_queries() as seen:
            response = client.get(url)
        assert response.status_code == 200
        assert shown_posts(response.get_data(as_text=True)) == expected_posts
        counts[(thread.id, page)] = len(seen)
    assert len(set(counts.values())) == 1, counts
    assert next(iter(counts.values())) <= 8, counts


def test_first_visit_with_read_mark_write_and_visitors_stay_within_budget(
        app, client, auth, make_thread, add_replies):
    thread = make_thread()
    add_replies(thread, 30)
    url = path(thread, page=2)
    with recording_queries() as visitor:
        assert client.get(url).status_code == 200
    auth.as_role()
    url = path(thread, page=2)
    with recording_queries() as member_first_visit:
        assert client.get(url).status_code == 200
    assert len(visitor) <= 8 and len(member_first_visit) <= 8, (visitor, member_first_visit)


def test_the_category_list_takes_a_fixed_number_of_queries(client, auth, make_thread):
    auth.as_role()
    for _ in range(3):
        make_thread()
    client.get("/discuss/c/ask-the-community")
    with recording_queries() as few:
        client.get("/discuss/c/ask-the-community")
    for _ in range(12):
        make_thread(tags=("a", "b"))
    with recording_queries() as many:
        assert client.get("/discuss/c/ask-the-community").status_code == 200
    assert len(few) == len(many)


def test_permalink_to_post_57_lands_on_page_3(client, make_thread, add_replies):
    thread = make_thread()
    replies = add_replies(thread, 59)
    post_57 = next(p for p in replies if p.number == 57)
    response = client.get(f"/p/{post_57.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/t/{thread.id}-{thread.slug}?page=3#post-{post_57.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="post-{post_57.id}"' in page and "Page 3 of 3" in page
    assert reading.page_of(57) == 3 and reading.page_of(40) == 2 and reading.page_of(41) == 3


def test_short_and_misspelt_thread_links_redirect_to_the_canonical_one(client, make_thread):
    thread = make_thread(title="Breakout rooms in Teams meetings")
    canonical = f"/t/{thread.id}-breakout-rooms-in-teams-meetings"
    assert client.get(f"/t/{thread.id}").headers["Location"] == canonical
    assert client.get(f"/t/{thread.id}-old-title").headers["Location"] == canonical
    assert client.get(f"/t/{thread.id}-old-title?page=2").status_code == 301
    assert client.get(f"/t/{thread.id}?slug=x&thread_id=3").headers["Location"] == canonical
    assert client.get("/t/999999").status_code == 404
    assert client.get("/p/999999").status_code == 404
    assert client.get(canonical + "?page=9").status_code == 404


def test_jump_to_first_unread(client, auth, make_thread, add_replies, make_user):
    me = auth.as_role()
    thread = make_thread()
    add_replies(thread, 24)  # posts 1..25
    client.get(path(thread))  # reads 1..20
    page = client.get(path(thread)).get_data(as_text=True)
    assert "Jump to first unread" in page
    response = client.get(f"/t/{thread.id}/unread")
    post_21 = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id, Post.number == 21))
    assert response.headers["Location"] == f"/t/{thread.id}-{thread.slug}?page=2#post-{post_21.id}"
    client.get(path(thread, page=2))  # reads the rest
    assert "Jump to first unread" not in client.get(path(thread)).get_data(as_text=True)
    assert "new post" not in client.get("/discuss").get_data(as_text=True)
    add_replies(thread, 2, authors=[make_user()])
    listing = client.get("/discuss").get_data(as_text=True)
    assert "2 new posts" in listing and me is not None
