"""Reports and the queue, hiding and restoring (pages and search), held
first posts, flood control, lock, pin, move, split and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum import moderation, services
from app.forum.models import AuditEntry, Post, Report, Thread
from app.search import service as search


def hits(text: str, user=None, kind=None) -> list[str]:
    return [f"{h.type}:{h.id}" for h in search.search(text, user, types=[kind] if kind else None).hits]


def test_report_reaches_the_queue_and_hiding_resolves_it(client, auth, make_thread, make_user, client_for):
    thread = make_thread()
    spam = services.reply(thread, make_user(), "Buy cheap essays at example.com", enforce_limits=False)
    reporter = make_user()
    browser = client_for(reporter)
    response = browser.submit(f"/p/{spam.id}/report", {"reason": "Advertising essays"})
    assert response.status_code == 302
    again = browser.submit(f"/p/{spam.id}/report", {"reason": "Advertising essays"})
    assert again.status_code == 409 and "already reported" in again.get_data(as_text=True)
    assert browser.get("/discuss/mod").status_code == 403
    moderator = make_user(role="moderator")
    mod = client_for(moderator)
    queue = mod.get("/discuss/mod").get_data(as_text=True)
    assert "Advertising essays" in queue and "Buy cheap essays" in queue and "Suspend" in queue
    missing_reason = mod.submit(f"/p/{spam.id}/moderate/hide", {"reason": ""}, page="/discuss/mod",
                                follow_redirects=True)
    assert "Say why" in missing_reason.get_data(as_text=True)
    mod.submit(f"/p/{spam.id}/moderate/hide", {"reason": "Spam", "next": "/discuss/mod"}, page="/discuss/mod")
    assert "No open reports" in mod.get("/discuss/mod").get_data(as_text=True)
    assert db.session.scalar(select(Report.resolution)) == "hidden"
    log = mod.get("/discuss/mod/log").get_data(as_text=True)
    assert "Hid post #2" in log and "Spam" in log and moderator.display_name in log


def test_a_hidden_post_disappears_for_members_and_search_but_not_for_moderators(
        client, auth, make_thread, make_user, client_for, index_now):
    thread = make_thread(title="Photosynthesis practical ideas")
    post = services.reply(thread, make_user(), "Leaf discs floating in bicarbonate solution", enforce_limits=False)
    index_now()
    member = auth.as_role()
    assert hits("bicarbonate", member) == [f"post:{post.id}"]
    moderator = make_user(role="moderator")
    moderation.hide_post(post, moderator, "Off topic")
    index_now()
    page = f"/t/{thread.id}-{thread.slug}"
    assert "Leaf discs floating" not in client.get(page).get_data(as_text=True)
    assert client.get(f"/p/{post.id}").status_code == 404
    assert hits("bicarbonate", member) == [] and hits("bicarbonate", moderator) == []
    mod = client_for(moderator)
    mod_page = mod.get(page).get_data(as_text=True)
    assert "Leaf discs floating" in mod_page and "Hidden" in mod_page and f'href="/p/{post.id}/moderate"' in mod_page
    assert "Restore" in mod.get(f"/p/{post.id}/moderate").get_data(as_text=True)
    moderation.restore_post(post, moderator)
    index_now()
    assert "Leaf discs floating" in client.get(page).get_data(as_text=True)
    assert hits("bicarbonate", member) == [f"post:{post.id}"]


def test_hiding_a_thread_hides_it_and_its_posts_everywhere(client, make_thread, make_user, add_replies, index_now):
    thread = make_thread(title="Algebra tiles for quadratics")
    reply = add_replies(thread, 1, body="Tiles make factorising visible")[0]
    index_now()
    assert set(hits("tiles")) == {f"thread:{thread.id}", f"post:{reply.id}"}
    moderation.hide_thread(thread, make_user(role="moderator"), "Duplicate")
    index_now()
    assert hits("tiles") == []
    assert client.get(f"/t/{thread.id}-{thread.slug}").status_code == 404
    assert thread.title not in client.get("/discuss").get_data(as_text=True)


def test_search_labels_follow_the_category(make_thread, make_user, index_now, category):
    public = make_thread(title="Public question about rubrics")
    members = make_thread(slug="wellbeing-and-fitness", title="Members question about rubrics")
    index_now()
    member, moderator = make_user(), make_user(role="moderator")
    assert hits("rubrics") == [f"thread:{public.id}"]
    assert set(hits("rubrics", member)) == {f"thread:{public.id}", f"thread:{members.id}"}
    moderation.move_thread(public, moderator, category("wellbeing-and-fitness"), "Personal")
    index_now()
    assert hits("rubrics") == []
    assert set(hits("rubrics", member, kind="thread")) == {f"thread:{public.id}", f"thread:{members.id}"}


@pytest.fixture
def app_settings():
    return {"FORUM_POSTS_PER_MINUTE": 3}


def test_flood_control_trips_and_resets(client, auth, make_thread, api_for, make_user):
    me = auth.as_role()
    thread = make_thread()
    page = f"/t/{thread.id}-{thread.slug}"
    for number in range(3):
        assert client.submit(f"/t/{thread.id}/reply", {"body": f"Reply {number}"}, page=page).status_code == 302
    tripped = client.submit(f"/t/{thread.id}/reply", {"body": "One too many"}, page=page)
    assert tripped.status_code == 429
    assert "You are posting very quickly: at most 3 posts a minute." in tripped.get_data(as_text=True)
    assert 1 <= int(tripped.headers["Retry-After"]) <= 60
    api = api_for(me)
    refused = api.post(f"/threads/{thread.id}/posts", json={"body": "Via the API"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.get_json()["error"]["code"] == "rate_limited"
    # A minute later the window has moved on.
    for post in db.session.scalars(select(Post).where(Post.author_id == me.id)):
        post.created_at -= timedelta(seconds=61)
    db.session.commit()
    assert api.post(f"/threads/{thread.id}/posts", json={"body": "Via the API"}).status_code == 201
    moderator = make_user(role="moderator")
    for number in range(5):  # moderators are not limited
        services.reply(thread, moderator, f"Moderator note {number}")


class TestHeldFirstPosts:
    @pytest.fixture
    def app_settings(self):
        return {"FORUM_HOLD_FIRST_POST": True}

    def test_a_new_members_first_post_waits_for_approval(self, client, auth, make_user, client_for, category):
        newcomer = auth.as_role()
        response = client.submit("/discuss/new", {"category": "ask-the-community", "kind": "question",
                                                  "title": "My very first question here", "body": "Hello all"})
        thread = db.session.scalar(select(Thread))
        assert thread.status == "pending"
        mine = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "waits for a moderator" in mine
        visitor = make_user()
        assert client_for(visitor).get(f"/t/{thread.id}-{thread.slug}").status_code == 404
        moderator = make_user(role="moderator")
        mod = client_for(moderator)
        assert "My very first question here" in mod.get("/discuss/mod").get_data(as_text=True)
        mod.submit(f"/p/{services.first_post(thread).id}/moderate/approve", {}, page="/discuss/mod")
        db.session.refresh(thread)
        assert thread.status == "published" and thread.post_count == 1
        assert client_for(visitor).get(f"/t/{thread.id}-{thread.slug}").status_code == 200
        # Their second post goes straight up.
        second = services.reply(thread, newcomer, "Thanks for approving")
        assert second.status == "published"


def test_lock_pin_move_and_split(client, make_thread, make_user, add_replies, client_for, category):
    thread = make_thread(title="Coding club ideas for primary")
    replies = add_replies(thread, 4)
    moderator = make_user(role="moderator")
    mod = client_for(moderator)
    page = f"/t/{thread.id}-{thread.slug}"
    tools = mod.get(f"/t/{thread.id}/moderate").get_data(as_text=True)
    assert "Lock: no new replies" in tools and "Split replies into a new thread" in tools
    mod.submit(f"/t/{thread.id}/moderate/lock", {"reason": "Answered"}, page=f"/t/{thread.id}/moderate")
    mod.submit(f"/t/{thread.id}/moderate/pin", {"reason": ""}, page=f"/t/{thread.id}/moderate")
    db.session.refresh(thread)
    assert thread.locked and thread.pinned
    moved = mod.submit(f"/t/{thread.id}/move", {"category": "classroom-ideas", "reason": "Better fit"})
    assert moved.status_code == 302
    db.session.refresh(thread)
    assert thread.category.slug == "classroom-ideas"
    split = mod.submit(f"/t/{thread.id}/split", {"title": "Off-topic: robot kits for primary",
                                                  "post_ids": [str(replies[2].id), str(replies[3].id)],
                                                  "reason": "Different topic"})
    assert split.status_code == 302
    new = db.session.scalar(select(Thread).where(Thread.title == "Off-topic: robot kits for primary"))
    assert split.headers["Location"] == f"/t/{new.id}-{new.slug}"
    moved_posts = list(db.session.scalars(select(Post).where(Post.thread_id == new.id).order_by(Post.number)))
    assert [p.id for p in moved_posts] == [replies[2].id, replies[3].id] and [p.number for p in moved_posts] == [1, 2]
    db.session.refresh(thread)
    assert thread.reply_count == 2 and new.reply_count == 1
    bad = mod.submit(f"/t/{thread.id}/split", {"title": "Cannot take the opener",
                                                "post_ids": [str(services.first_post(thread).id)]})
    assert bad.status_code == 422
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["thread.lock", "thread.pin", "thread.move", "thread.split"]
    member = client_for(make_user())
    assert member.get(f"/t/{thread.id}/move").status_code == 403
    assert member.get(f"/t/{thread.id}/moderate").status_code == 403
    assert member.get(f"/p/{replies[0].id}/moderate").status_code == 403
    assert member.submit(f"/t/{thread.id}/moderate/unlock", {}, page=page).status_code == 403


def test_queue_forms_only_go_back_to_our_own_pages(make_thread, make_user, client_for):
    thread = make_thread()
    post = services.reply(thread, make_user(), "Off topic", enforce_limits=False)
    mod = client_for(make_user(role="moderator"))
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = mod.submit(f"/p/{post.id}/moderate/dismiss", {"next": target}, page="/discuss/mod")
        assert response.headers["Location"] == f"/t/{thread.id}-{thread.slug}#post-{post.id}", target
    assert mod.submit(f"/p/{post.id}/moderate/dismiss", {"next": "/discuss/mod"},
                      page="/discuss/mod").headers["Location"] == "/discuss/mod"
