"""Private messages: sending, blocking, privacy, unread counts and reports."""

from __future__ import annotations

import pytest

from app.accounts import services as accounts
from app.extensions import db
from app.messages import services


def test_a_member_writes_to_another_and_they_read_it(make_user, client_for):
    amira, gary = make_user("amira"), make_user("gary")
    browser = client_for(amira)
    response = browser.submit("/messages/new", {"to": "gary", "body": "Hello <b>Gary</b>!"})
    assert response.status_code == 302
    page = client_for(gary).get(response.headers["Location"]).get_data(as_text=True)
    assert "Hello &lt;b&gt;Gary&lt;/b&gt;!" in page  # shown as text, never as markup
    assert "Teacher 1" in page


def test_writing_again_reuses_the_pair_conversation(make_user):
    a, b = make_user(), make_user()
    first, _ = services.start_conversation(a, [b.username], "one")
    second, _ = services.start_conversation(b, [a.username], "two")
    assert first.id == second.id


def test_group_conversations_hold_up_to_ten_people(make_user, api_for):
    sender = make_user()
    others = [make_user() for _ in range(10)]
    api = api_for(sender)
    too_many = api.post("/conversations", json={"to": [u.username for u in others], "body": "hi"})
    assert too_many.status_code == 422
    ok = api.post("/conversations", json={"to": [u.username for u in others[:9]], "body": "hi all"})
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["conversation"]["is_group"] is True
    assert len(ok.get_json()["conversation"]["members"]) == 10


def test_bad_input_names_the_field(make_user, api_for):
    api = api_for(make_user())
    assert api.post("/conversations", json={"to": ["nobody_here"], "body": "hi"}).get_json()["error"]["fields"] == {
        "to": "No member is called nobody_here."}
    response = api.post("/conversations", json={"to": [], "body": ""})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) >= {"to", "body"}


def test_a_blocked_member_cannot_message(make_user, api_for, client_for):
    amira, gary = make_user("amira"), make_user("gary")
    conversation, _ = services.start_conversation(gary, ["amira"], "hi Amira")
    assert api_for(amira).post("/blocks", json={"username": "gary"}).status_code == 201
    gary_api = api_for(gary)
    refused = gary_api.post(f"/conversations/{conversation.id}/messages", json={"body": "again"})
    assert refused.status_code == 403
    assert "does not accept messages from you" in refused.get_json()["error"]["message"]
    assert gary_api.post("/conversations", json={"to": ["amira"], "body": "new"}).status_code == 403
    page = client_for(gary).submit(f"/messages/{conversation.id}", {"body": "by form"})
    assert page.status_code == 403
    assert "does not accept messages from you" in page.get_data(as_text=True)
    assert [m.body for m in services.messages_of(conversation, amira)] == ["hi Amira"]
    # Unblocking lets them write again.
    assert api_for(amira).delete("/blocks/gary").status_code == 204
    assert gary_api.post(f"/conversations/{conversation.id}/messages", json={"body": "sorry"}).status_code == 201


def test_blocking_from_a_page_takes_its_confirmation(make_user, client_for):
    amira, gary, leyla = make_user("amira"), make_user("gary"), make_user("leyla")
    conversation, _ = services.start_conversation(gary, ["amira"], "hi Amira")
    elsewhere, _ = services.start_conversation(gary, ["leyla"], "hi Leyla")
    browser = client_for(amira)
    asked = browser.get(f"/messages/block/gary?conversation={conversation.id}")
    assert asked.status_code == 200 and "Block Teacher" in asked.get_data(as_text=True)
    assert browser.submit("/messages/block/gary", {}, page="/messages/blocked").status_code == 200  # asks first
    assert not services.has_blocked(amira.id, gary.id)
    for bad in ("abc", str(elsewhere.id)):  # not an id, or not her conversation
        assert browser.submit("/messages/block/gary", {"confirm": "yes", "conversation": bad},
                              page="/messages/blocked").status_code == 404
    assert browser.submit("/messages/block/amira", {"confirm": "yes"}, page="/messages/blocked").status_code == 302
    assert not services.has_blocked(amira.id, amira.id)  # yourself: refused
    done = browser.submit("/messages/block/gary", {"confirm": "yes", "conversation": str(conversation.id)},
                          page="/messages/blocked")
    assert done.status_code == 302 and done.headers["Location"] == f"/messages/{conversation.id}"
    assert services.has_blocked(amira.id, gary.id)
    page = browser.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "You blocked " in page and "Unblock" in page
    undone = browser.submit("/messages/unblock/gary", {"conversation": str(conversation.id)},
                            page=f"/messages/{conversation.id}")
    assert undone.headers["Location"] == f"/messages/{conversation.id}" and not services.has_blocked(amira.id, gary.id)
    assert leyla.id not in services.blocked_among(amira, [gary.id, leyla.id])


def test_a_suspended_member_cannot_message_or_be_messaged(make_user, api_for):
    moderator, amira, gary = make_user(role="moderator"), make_user("amira"), make_user("gary")
    api = api_for(amira)
    accounts.suspend(gary, moderator, "spam")
    response = api.post("/conversations", json={"to": ["gary"], "body": "hi"})
    assert response.status_code == 403
    assert "suspended" in response.get_json()["error"]["message"]
    with pytest.raises(Exception, match="suspended"):
        services.start_conversation(gary, ["amira"], "hello")


def test_nobody_outside_a_conversation_can_read_it(make_user, api_for, client_for, live, index_now):
    amira, gary, outsider = make_user("amira"), make_user("gary"), make_user("outsider")
    moderator = make_user("modder", role="moderator")
    conversation, message = services.start_conversation(amira, ["gary"], "a secret about zebrafish")
    for user in (outsider, moderator):
        browser = client_for(user)
        assert browser.get(f"/messages/{conversation.id}").status_code == 404
        assert browser.get(f"/messages/report/{message.id}").status_code == 404
        assert "zebrafish" not in browser.get("/messages").get_data(as_text=True)
        api = api_for(user)
        for path in (f"/conversations/{conversation.id}", f"/conversations/{conversation.id}/messages"):
            assert api.get(path).status_code == 404
        assert api.post(f"/conversations/{conversation.id}/messages", json={"body": "let me in"}).status_code == 404
        assert api.post(f"/conversations/{conversation.id}/read").status_code == 404
        assert api.post(f"/messages/{message.id}/report", json={}).status_code == 404
        assert api.get("/conversations").get_json()["total"] == 0
    # Search never has messages, whoever asks.
    index_now()
    for user in (amira, outsider):
        body = api_for(user).get("/search?q=zebrafish").get_json()
        assert body["total"] == 0, body
    # Socket.IO: an outsider's socket hears nothing when a message is sent.
    outsider_socket = live(token=accounts.issue_token(outsider)[0])
    gary_socket = live(token=accounts.issue_token(gary)[0])
    outsider_socket.get_received("/live")
    gary_socket.get_received("/live")
    services.send(conversation, amira, "zebrafish again")
    assert not [e for e in outsider_socket.get_received("/live") if e["name"] == "pm"]
    heard = [e for e in gary_socket.get_received("/live") if e["name"] == "pm"]
    assert heard and heard[0]["args"][0]["message"]["body"] == "zebrafish again"
    # A member still reads it all.
    items = api_for(gary).get(f"/conversations/{conversation.id}/messages").get_json()["items"]
    assert [m["body"] for m in items] == ["a secret about zebrafish", "zebrafish again"]


def test_unread_counts_are_right_after_reading_in_another_tab(make_user, api_for, client_for, live):
    amira, gary = make_user("amira"), make_user("gary")
    one, _ = services.start_conversation(amira, ["gary"], "first")
    services.send(one, amira, "second")
    group, _ = services.start_conversation(amira, ["gary", make_user().username], "group hello")
    gary_browser = client_for(gary)
    other_tab = live(token=accounts.issue_token(gary)[0])
    other_tab.get_received("/live")
    api = api_for(gary)
    assert api.get("/messages/unread").get_json() == {"unread": 3}
    listing = {c["id"]: c["unread"] for c in api.get("/conversations").get_json()["items"]}
    assert listing == {one.id: 2, group.id: 1}
    assert 'id="pm-unread-count" aria-label="3 unread"' in gary_browser.get("/messages").get_data(as_text=True)
    # Reading the pair conversation in one tab...
    assert gary_browser.get(f"/messages/{one.id}").status_code == 200
    # ...tells the other tab the new total at once,
    pushed = [e["args"][0] for e in other_tab.get_received("/live") if e["name"] == "pm"]
    assert pushed[-1]["unread"] == 1
    # and every count agrees.
    assert api.get("/messages/unread").get_json() == {"unread": 1}
    listing = {c["id"]: c["unread"] for c in api.get("/conversations").get_json()["items"]}
    assert listing == {one.id: 0, group.id: 1}
    assert api.post(f"/conversations/{group.id}/read").get_json() == {"unread": 0}
    # Amira's own messages never count as unread for her.
    assert services.unread_total_for(amira.id) == 0


def test_a_report_reaches_the_moderators_queue(make_user, client_for, api_for):
    amira, gary, moderator = make_user("amira"), make_user("gary"), make_user("modder", role="moderator")
    conversation, message = services.start_conversation(gary, ["amira"], "rude words")
    services.send(conversation, gary, "not reported")
    api = api_for(amira)
    assert api.post(f"/messages/{message.id}/report", json={"reason": "rude"}).status_code == 201
    assert api.post(f"/messages/{message.id}/report", json={"reason": "again"}).status_code == 409
    assert client_for(amira).get("/messages/reports").status_code == 403
    mod = client_for(moderator)
    queue = mod.get("/messages/reports").get_data(as_text=True)
    assert "rude words" in queue and "not reported" not in queue
    report_id = services.open_reports(moderator)[0].id
    assert mod.submit(f"/messages/reports/{report_id}/resolve", {}, page="/messages/reports").status_code == 302
    assert services.open_reports(moderator) == []
    db.session.expire_all()


def test_the_inbox_lists_my_conversations_with_unread_counts(make_user, client_for):
    amira, gary = make_user("amira", display_name="Amira Haddad"), make_user("gary", display_name="Gary White")
    conversation, _ = services.start_conversation(amira, ["gary"], "first")
    services.send(conversation, amira, "second & <more>")
    page = client_for(gary).get("/messages").get_data(as_text=True)
    assert "Amira Haddad" in page and 'aria-label="2 unread"' in page
    assert "second &amp; &lt;more&gt;" in page


def test_flask_digest_send_composes_each_members_summary(app, make_user, runner):
    from app.notifications import services as notifications  # noqa: PLC0415
    from app.people import services as people  # noqa: PLC0415

    amira, gary = make_user("amira"), make_user("gary")
    people.update_settings(amira, digest="daily")
    notifications.notify(amira, "mention", "Gary mentioned you", "/t/1", actor=gary)
    db.session.commit()
    result = runner.invoke(args=["digest", "send", "--period", "daily"])
    assert result.exit_code == 0, result.output
    assert "1 digest(s) composed for 1 member(s)" in result.output
    again = runner.invoke(args=["digest", "send", "--period", "daily"])
    assert "0 digest(s) composed" in again.output  # not twice the same day
    assert runner.invoke(args=["digest", "send", "--period", "hourly"]).exit_code != 0


def test_a_flood_of_messages_is_refused_with_429(make_user, api_for, live):
    amira = make_user("amira")
    make_user("gary")
    conversation, _ = services.start_conversation(amira, ["gary"], "hello")
    api = api_for(amira)
    statuses = [api.post(f"/conversations/{conversation.id}/messages", json={"body": f"spam {n}"}).status_code
                for n in range(35)]
    assert statuses.count(201) == 29 and statuses[-1] == 429
    assert api.post(f"/conversations/{conversation.id}/messages", json={"body": "x"}).get_json()["error"][
        "code"] == "rate_limited"
