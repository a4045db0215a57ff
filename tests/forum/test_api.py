"""The forum's JSON API: categories, threads, posts, accept, reactions,
subscriptions, reports; errors in the one JSON shape."""

from __future__ import annotations

import re

from app.forum import services

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def test_categories_list_what_the_caller_may_read(api, api_for, make_user, category):
    category()
    visitor = api.get("/categories").get_json()
    slugs = [c["slug"] for c in visitor["items"]]
    assert slugs[0] == "announcements" and "wellbeing-and-fitness" not in slugs and visitor["total"] == 6
    member = api_for(make_user()).get("/categories").get_json()
    assert "wellbeing-and-fitness" in [c["slug"] for c in member["items"]]
    announcements = member["items"][0]
    assert announcements["start_access"] == "moderators" and announcements["html_url"] == "/discuss/c/announcements"


def test_create_list_show_and_reply(api_for, make_user, category):
    asker, helper = make_user("amira_h"), make_user("gary_w")
    client = api_for(asker)
    response = client.post("/threads", json={
        "category_id": category().id, "kind": "question", "title": "How do I set up breakout rooms?",
        "body": "Thursday lessons, groups of four.", "tags": ["Teams", "breakout rooms"]})
    assert response.status_code == 201, response.get_json()
    thread = response.get_json()
    assert thread["html_url"] == f"/t/{thread['id']}-how-do-i-set-up-breakout-rooms"
    assert thread["tags"] == ["breakout-rooms", "teams"] and thread["answered"] is False
    assert ISO.match(thread["created_at"]) and thread["author"]["username"] == "amira_h"
    answer = api_for(helper).post(f"/threads/{thread['id']}/posts", json={"body": "Meeting options, @amira_h."})
    assert answer.status_code == 201
    post = answer.get_json()
    assert (
        post["number"] == 2 and '<a href="/u/amira_h"' in post["body_html"] and post["html_url"] == f"/p/{post['id']}"
    )
    accepted = client.post(f"/posts/{post['id']}/accept")
    assert accepted.status_code == 200 and accepted.get_json()["accepted_post_id"] == post["id"]
    detail = client.get(f"/threads/{thread['id']}").get_json()
    assert [p["number"] for p in detail["posts"]["items"]] == [1, 2]
    assert detail["accepted_answer"]["id"] == post["id"] and detail["posts"]["items"][1]["accepted"] is True
    assert detail["subscription"] == "watching" and detail["answered"] is True
    listing = client.get("/threads?sort=latest&category=ask-the-community").get_json()
    assert listing["total"] == 1 and listing["items"][0]["reply_count"] == 1
    assert client.get("/threads?sort=unanswered").get_json()["total"] == 0
    assert client.get("/threads?tag=teams&kind=question").get_json()["total"] == 1


def test_errors_name_the_field(api, api_for, make_user, category, make_thread):
    assert api.post("/threads", json={"title": "x"}).status_code == 401
    client = api_for(make_user())
    bad = client.post("/threads", json={"category_id": category().id, "title": "Short", "body": "ok text",
                                        "kind": "poll"})
    assert bad.status_code == 422 and "kind" in bad.get_json()["error"]["fields"]
    short = client.post("/threads", json={"category_id": category().id, "title": "Short", "body": "ok text"})
    assert short.status_code == 422 and "title" in short.get_json()["error"]["fields"]
    nowhere = client.post("/threads", json={"category_id": 999, "title": "A fine title here", "body": "text"})
    assert nowhere.status_code == 422 and nowhere.get_json()["error"]["fields"] == {"category_id": "No such category."}
    moderators_only = client.post("/threads", json={"category_id": category("announcements").id,
                                                    "title": "An announcement", "body": "text"})
    assert moderators_only.status_code == 403
    thread = make_thread()
    other = make_thread()
    wrong_parent = client.post(f"/threads/{thread.id}/posts",
                               json={"body": "hi", "reply_to": services.first_post(other).id})
    assert wrong_parent.status_code == 422 and "reply_to" in wrong_parent.get_json()["error"]["fields"]
    assert client.post(f"/threads/{thread.id}/posts", data="not json",
                       headers={"Content-Type": "application/json"}).status_code == 400
    assert client.get("/threads/999").status_code == 404
    assert client.get(f"/threads/{thread.id}?page=5").status_code == 404
    assert client.get("/threads?sort=best").status_code == 422


def test_edit_history_delete_and_subscriptions(api_for, make_user, make_thread):
    me = make_user()
    client = api_for(me)
    thread = make_thread(author=me, body="Version one")
    opener = services.first_post(thread)
    edited = client.patch(f"/posts/{opener.id}", json={"body": "Version two"}).get_json()
    assert edited["body"] == "Version two" and edited["edited_by"] == me.username and edited["edited_at"]
    revisions = client.get(f"/posts/{opener.id}/revisions").get_json()
    assert [r["body"] for r in revisions] == ["Version one"] and revisions[0]["written_by"] == me.username
    put = lambda path, body: client.request("PUT", path, json=body)  # noqa: E731
    assert put(f"/threads/{thread.id}/subscription", {"level": "muted"}).get_json() == {"level": "muted"}
    assert client.get(f"/threads/{thread.id}/subscription").get_json() == {"level": "muted"}
    assert put(f"/threads/{thread.id}/subscription", {"level": "loud"}).status_code == 422
    assert put(f"/categories/{thread.category_id}/subscription", {"level": "watching"}).get_json() == {
        "level": "watching"}
    reply = services.reply(thread, make_user(), "Second post", enforce_limits=False)
    assert client.post(f"/posts/{reply.id}/reports", json={"reason": "Rude"}).status_code == 201
    assert client.post(f"/posts/{reply.id}/reports", json={"reason": "Rude"}).status_code == 409
    assert client.delete(f"/posts/{opener.id}").status_code == 204
    assert client.get(f"/threads/{thread.id}").status_code == 404


def test_moderators_pin_lock_and_move_through_patch(api_for, make_user, make_thread, category):
    thread = make_thread()
    member = api_for(thread.author)
    assert member.patch(f"/threads/{thread.id}", json={"title": "A clearer title now"}).status_code == 200
    assert member.patch(f"/threads/{thread.id}", json={"locked": True}).status_code == 403
    mod = api_for(make_user(role="moderator"))
    body = mod.patch(f"/threads/{thread.id}", json={"pinned": True, "locked": True,
                                                    "category_id": category("tools-and-tips").id,
                                                    "reason": "Tidy"}).get_json()
    assert body["pinned"] and body["locked"] and body["category"]["slug"] == "tools-and-tips"


def test_openapi_documents_the_forum(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [("/api/v1/categories", "get"), ("/api/v1/threads", "post"), ("/api/v1/threads", "get"),
                         ("/api/v1/threads/{thread_id}", "get"), ("/api/v1/threads/{thread_id}/posts", "post"),
                         ("/api/v1/posts/{post_id}", "patch"), ("/api/v1/posts/{post_id}", "delete"),
                         ("/api/v1/posts/{post_id}/accept", "post"), ("/api/v1/posts/{post_id}/reactions", "post"),
                         ("/api/v1/threads/{thread_id}/subscription", "put")]:
        assert method in paths[path], (path, method)
    assert "429" in paths["/api/v1/threads/{thread_id}/posts"]["post"]["responses"]
