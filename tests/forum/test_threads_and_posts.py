"""Starting threads, replying, editing with history, deleting, locked
threads, lists (sorts, filters, pinned first, counts) and categories."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.forum import moderation, reading, services
from app.forum.models import Post, PostRevision, Thread


def test_a_member_asks_a_question_through_the_form(client, auth, category):
    me = auth.as_role()
    response = client.submit("/discuss/new", {
        "category": "ask-the-community", "kind": "question",
        "title": "How do I set up breakout rooms in a class meeting?",
        "body": "My class meets online on **Thursdays**.", "tags": "Teams, breakout rooms"})
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"] == f"/t/{thread.id}-how-do-i-set-up-breakout-rooms-in-a-class-meeting"
    assert thread.author_id == me.id and thread.kind == "question" and thread.tags == ["breakout-rooms", "teams"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Thursdays</strong>" in page and "Your question is up" in page
    assert "You are following this thread" in page  # starting a thread subscribes you


def test_the_form_reports_every_bad_field(client, auth, category):
    auth.as_role()
    response = client.submit("/discuss/new", {"category": "ask-the-community", "kind": "question",
                                              "title": "Short", "body": "x", "tags": "a,b,c,d,e,f"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "at least 8 characters" in html and "Write something first" in html and "at most 5 tags" in html
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_announcements_are_for_moderators_only(client, auth, make_user, category):
    member = make_user()
    with pytest.raises(services.Forbidden):
        services.create_thread(member, category("announcements"), title="Not allowed here", body="Hello")
    auth.as_role()
    response = client.submit("/discuss/new", {"category": "announcements", "kind": "discussion",
                                              "title": "Trying to announce", "body": "Hello"})
    assert response.status_code == 422  # not offered: not a valid choice
    assert (
        "announcements"
        not in client.get("/discuss/new").get_data(as_text=True).split("<select", 1)[1].split("</select>")[0]
    )
    moderator = make_user(role="moderator")
    thread = services.create_thread(moderator, category("announcements"), title="Welcome, everyone", body="Hi")
    with pytest.raises(services.Forbidden):
        services.reply(thread, member, "Thanks!")


def test_members_only_category_is_hidden_from_visitors(client, make_thread, category):
    thread = make_thread(slug="wellbeing-and-fitness", title="Running club for staff")
    assert client.get(f"/t/{thread.id}-{thread.slug}").status_code == 404
    assert client.get("/discuss/c/wellbeing-and-fitness").status_code == 404
    assert "Running club for staff" not in client.get("/discuss").get_data(as_text=True)


def test_reply_counts_and_subscribes(client, auth, make_thread):
    me = auth.as_role()
    thread = make_thread()
    response = client.submit(f"/t/{thread.id}/reply", {"body": "Try the meeting options."},
                             page=f"/t/{thread.id}-{thread.slug}")
    assert response.status_code == 302
    post = db.session.scalar(select(Post).where(Post.number == 2))
    assert response.headers["Location"] == f"/t/{thread.id}-{thread.slug}#post-{post.id}"
    db.session.refresh(thread)
    assert thread.reply_count == 1 and thread.last_poster_id == me.id
    assert "You are following this thread" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_empty_reply_is_refused_with_a_message(client, auth, make_thread):
    auth.as_role()
    thread = make_thread()
    response = client.submit(f"/t/{thread.id}/reply", {"body": ""}, page=f"/t/{thread.id}-{thread.slug}")
    assert response.status_code == 422 and "Write your reply first" in response.get_data(as_text=True)


def test_posting_in_a_locked_thread_is_refused(client, auth, make_thread, make_user, api_for):
    thread = make_thread()
    moderation.set_locked(thread, make_user(role="moderator"), True, "Resolved")
    member = auth.as_role()
    page = client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert "This thread is locked" in page and 'action="/t/%d/reply"' % thread.id not in page
    response = client.submit(f"/t/{thread.id}/reply", {"body": "Me too!"}, page=f"/t/{thread.id}-{thread.slug}")
    assert response.status_code == 403
    api_response = api_for(member).post(f"/threads/{thread.id}/posts", json={"body": "Me too!"})
    assert api_response.status_code == 403 and "locked" in api_response.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count(Post.id))) == 1


def test_editing_keeps_history_and_shows_edited(client, auth, make_thread):
    me = auth.as_role()
    thread = make_thread(author=me, body="First version")
    post = services.first_post(thread)
    response = client.submit(f"/p/{post.id}/edit", {"body": "Second version"})
    assert response.status_code == 302
    page = client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert "Second version" in page and f'href="/p/{post.id}/history"' in page and "edited" in page
    history = client.get(f"/p/{post.id}/history").get_data(as_text=True)
    assert "First version" in history and "Second version" in history and f"Written by {me.display_name}" in history
    revision = db.session.scalar(select(PostRevision))
    assert revision.body_md == "First version" and revision.written_by_id == me.id


def test_editing_someone_elses_post_is_403(client, auth, make_thread, make_user, api_for):
    thread = make_thread(body="Not yours")
    post = services.first_post(thread)
    other = auth.as_role()
    assert client.get(f"/p/{post.id}/edit").status_code == 403
    assert client.submit(f"/p/{post.id}/edit", {"body": "Hacked"}, page="/discuss/new").status_code == 403
    assert api_for(other).patch(f"/posts/{post.id}", json={"body": "Hacked"}).status_code == 403
    assert api_for(other).delete(f"/posts/{post.id}").status_code == 403
    db.session.refresh(post)
    assert post.body_md == "Not yours"
    # A moderator may edit, and the log says so.
    moderator = make_user(role="moderator")
    services.edit_post(post, moderator, "Tidied by a moderator")
    assert client.get("/discuss/mod/log").status_code == 403


def test_deleting_a_reply_and_the_opening_post(client, auth, make_thread, add_replies):
    me = auth.as_role()
    thread = make_thread(author=me)
    mine = services.reply(thread, me, "I will delete this", enforce_limits=False)
    add_replies(thread, 1)
    assert client.submit(f"/p/{mine.id}/delete", {}).status_code == 302
    assert "I will delete this" not in client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)
    db.session.refresh(thread)
    assert thread.reply_count == 1
    opener = services.first_post(thread)
    assert client.submit(f"/p/{opener.id}/delete", {}).status_code == 302
    assert client.get(f"/t/{thread.id}-{thread.slug}").status_code == 404


def test_lists_sort_filter_paginate_and_pin(client, make_thread, add_replies, make_user):
    old = make_thread(title="An old question nobody answered")
    busy = make_thread(title="A busy discussion thread", kind="discussion", tags=("routines",))
    add_replies(busy, 3)
    answered = make_thread(title="An answered question here")
    answer = add_replies(answered, 1)[0]
    services.accept_answer(answer, answered.author)
    moderation.set_pinned(old, make_user(role="moderator"), True)

    def titles(query: str = "") -> list[str]:
        """Our three titles in the order the list shows them."""
        html = client.get("/discuss" + query).get_data(as_text=True)
        return [t for _, t in sorted((html.index(t), t) for t in (old.title, busy.title, answered.title) if t in html)]

    assert titles() == [old.title, answered.title, busy.title]  # pinned first, then latest activity
    assert titles("?sort=unanswered") == [old.title]
    assert titles("?sort=top")[1] == busy.title
    assert titles("?kind=discussion") == [busy.title]
    assert titles("?tag=routines") == [busy.title]
    html = client.get("/discuss").get_data(as_text=True)
    assert "✓ Answered" in html and "Pinned" in html
    for n in range(21):
        make_thread(title=f"Filler question number {n}")
    page_two = client.get("/discuss?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in page_two


def test_views_are_counted_in_batches(client, make_thread, app):
    thread = make_thread()
    for _ in range(3):
        client.get(f"/t/{thread.id}-{thread.slug}")
    assert reading.flush_views() == 3
    db.session.refresh(thread)
    assert thread.view_count == 3
    assert "3 views" in client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)


def test_follow_and_mute_buttons(client, auth, make_thread):
    auth.as_role()
    thread = make_thread()
    url = f"/t/{thread.id}-{thread.slug}"
    client.submit(f"/t/{thread.id}/subscription", {"level": "muted"}, page=url)
    assert "Muted." in client.get(url).get_data(as_text=True)
    client.submit("/discuss/c/ask-the-community/subscription", {"level": "muted"}, page="/discuss/c/ask-the-community")
    assert thread.title not in client.get("/discuss").get_data(as_text=True)  # muted category left out
    assert thread.title in client.get("/discuss/c/ask-the-community").get_data(as_text=True)
    bad = client.submit(f"/t/{thread.id}/subscription", {"level": "loud"}, page=url, follow_redirects=True)
    assert "One of normal, watching, muted" in bad.get_data(as_text=True)
