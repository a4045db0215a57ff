"""The forum's live bars: pages join a thread's or category's room, hear of
new published replies and threads, and fetch what the viewer may see."""

from __future__ import annotations

from app.accounts import services as accounts
from app.extensions import db
from app.forum import moderation, services
from app.forum.models import Category
from app.messages import services as messages

NS = "/live"


def _socket(live, user):
    socket = live(token=accounts.issue_token(user)[0])
    socket.get_received(NS)
    return socket


def _pushes(socket, name):
    return [m["args"][0] for m in socket.get_received(NS) if m["name"] == name]


def _private_category():
    category = Category(slug="staff-only", name="Staff only", description="", position=99, read_access="moderators",
                        start_access="moderators", reply_access="moderators")
    db.session.add(category)
    db.session.commit()
    return category


def test_a_reader_hears_of_a_new_reply_and_nothing_else(live, make_thread, make_user):
    reader, writer = make_user("amira_h"), make_user("gary_w")
    thread, other = make_thread(), make_thread()
    socket = _socket(live, reader)
    assert socket.emit("forum_watch", {"thread_id": thread.id}, namespace=NS, callback=True) == {
        "ok": True, "room": "thread"}
    services.reply(thread, writer, "Open the meeting options first.", enforce_limits=False)
    services.reply(other, writer, "Elsewhere entirely.", enforce_limits=False)
    assert _pushes(socket, "forum_post") == [{"thread_id": thread.id, "number": 2}]


def test_a_held_post_is_announced_only_once_approved(app, live, make_thread, make_user):
    app.config["FORUM_HOLD_FIRST_POST"] = True
    reader, newcomer, moderator = make_user(), make_user("new_teacher"), make_user("mo_d", role="moderator")
    thread = make_thread(author=reader)
    socket = _socket(live, reader)
    socket.emit("forum_watch", {"thread_id": thread.id}, namespace=NS, callback=True)
    post = services.reply(thread, newcomer, "My first post here.")
    assert post.status == "pending"
    assert _pushes(socket, "forum_post") == []
    moderation.approve_post(post, moderator)
    assert _pushes(socket, "forum_post") == [{"thread_id": thread.id, "number": 2}]


def test_watching_needs_a_thread_or_category_the_member_may_read(live, make_thread, make_user):
    member = make_user()
    socket = _socket(live, member)
    private = _private_category()
    for payload, code in [({"thread_id": 999_999}, "not_found"), ({"category_id": private.id}, "not_found"),
                          ({"thread_id": "7"}, "bad_request"), ({"thread_id": 1, "category_id": 1}, "bad_request"),
                          ("7", "bad_request"), ({"thread_id": 2**31}, "bad_request")]:
        ack = socket.emit("forum_watch", payload, namespace=NS, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == code, payload


def test_a_category_page_hears_of_new_threads(live, make_thread, make_user, category):
    reader = make_user()
    socket = _socket(live, reader)
    ask = category("ask-the-community")
    assert socket.emit("forum_watch", {"category_id": ask.id}, namespace=NS, callback=True)["ok"]
    thread = make_thread()
    make_thread(slug="classroom-ideas")
    assert _pushes(socket, "forum_thread") == [{"category_id": ask.id, "thread_id": thread.id}]


def test_new_posts_fragment_shows_what_the_viewer_may_see(make_thread, make_user, client_for, add_replies):
    reader, friend, pest, moderator = make_user(), make_user("friend_f"), make_user("pest_p"), make_user(
        role="moderator")
    thread = make_thread(author=reader)
    hidden, blocked_post, kept = [
        services.reply(thread, author, text, enforce_limits=False)
        for author, text in [(friend, "Hidden soon."), (pest, "Spam from a pest."), (friend, "Try **eight** rooms.")]]
    moderation.hide_post(hidden, moderator, "off topic")
    messages.block(reader, pest)
    browser = client_for(reader)
    response = browser.get(f"/t/{thread.id}/new-posts?after=1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="post-{kept.id}"' in html and "<strong>eight</strong>" in html  # the server's markdown
    assert "Hidden soon" not in html and "pest" not in html.lower()
    assert 'data-last="4"' in html  # past the blocked member's post too
    assert browser.get(f"/t/{thread.id}/new-posts?after=4").get_data(as_text=True).count("<article") == 0
    assert f'id="post-{blocked_post.id}"' in client_for(friend).get(f"/t/{thread.id}/new-posts?after=1").get_data(
        as_text=True)
    assert browser.get(f"/t/{thread.id}/new-posts?after=soon").status_code == 400
    assert browser.get(f"/t/{thread.id}/new-posts?after=-1").status_code == 400


def test_fragments_need_a_member_who_may_read_them(client, make_user, client_for, category):
    private = _private_category()
    moderator = make_user(role="moderator")
    secret = services.create_thread(moderator, private, title="Staff room rota for next term", body="Rota.")
    assert client.get(f"/t/{secret.id}/new-posts").status_code == 302  # to sign in
    member = client_for(make_user())
    assert member.get(f"/t/{secret.id}/new-posts").status_code == 404
    assert member.get("/discuss/c/staff-only/new-threads?after=0").status_code == 404


def test_new_threads_fragment_follows_the_page_filters(make_thread, make_user, client_for, category):
    reader, pest = make_user(), make_user("pest_p")
    category()
    page = client_for(reader).get("/discuss/c/ask-the-community").get_data(as_text=True)
    assert 'data-forum-live="category"' in page and 'data-after="0"' in page
    question = make_thread(title="How do I share a class notebook?")
    discussion = make_thread(kind="discussion", title="Favourite warm-up games")
    make_thread(author=pest, title="Buy my lesson plans now")
    messages.block(reader, pest)
    browser = client_for(reader)
    html = browser.get("/discuss/c/ask-the-community/new-threads?after=0").get_data(as_text=True)
    assert html.index("Favourite warm-up") < html.index("share a class notebook")  # newest first
    assert "Buy my lesson plans" not in html
    only_questions = browser.get("/discuss/c/ask-the-community/new-threads?after=0&kind=question").get_data(
        as_text=True)
    assert "share a class notebook" in only_questions and "warm-up" not in only_questions
    assert f'data-last="{discussion.id}"' in html
    assert f"/t/{question.id}-" in html


def test_api_new_posts_and_new_threads(api_for, make_thread, make_user, category):
    reader, writer = make_user(), make_user()
    thread = make_thread(author=writer)
    services.reply(thread, writer, "Second post here.", enforce_limits=False)
    api = api_for(reader)
    body = api.get(f"/threads/{thread.id}/posts?after=1").get_json()
    assert [p["number"] for p in body["items"]] == [2] and body["last_number"] == 2
    assert "<p>Second post here.</p>" in body["items"][0]["body_html"]
    assert api.get(f"/threads/{thread.id}/posts?after=2").get_json() == {"items": [], "last_number": 2}
    assert api.get(f"/threads/{thread.id}/posts?after=-3").status_code == 422
    ask = category("ask-the-community")
    body = api.get(f"/categories/{ask.id}/new-threads?after={thread.id - 1}").get_json()
    assert [t["id"] for t in body["items"]] == [thread.id] and body["last_id"] == thread.id
    assert api.get(f"/categories/{ask.id}/new-threads").status_code == 422  # `after` is required
    private = _private_category()
    assert api.get(f"/categories/{private.id}/new-threads?after=0").status_code == 404
