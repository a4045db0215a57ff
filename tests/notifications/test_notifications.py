"""Notifications: stored once, pushed live after commit, emailed once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts import services as accounts
from app.extensions import db
from app.notifications import services as notifications
from app.notifications.models import Notification


def count() -> int:
    return db.session.scalar(select(func.count(Notification.id)))


def test_notify_is_stored_once_per_event(app, make_user):
    amira, leyla = make_user("amira_h"), make_user("leyla_m")
    notifications.notify(amira, "mention", "Leyla mentioned you", "/t/1", actor=leyla, dedupe_key="post:1")
    db.session.commit()
    notifications.notify(amira, "mention", "Leyla mentioned you", "/t/1", actor=leyla, dedupe_key="post:1")
    db.session.commit()
    assert count() == 1
    assert notifications.notify(amira, "mention", "self", "/t/2", actor=amira) is None


def test_live_push_only_after_commit(app, make_user, live):
    amira, leyla = make_user("amira_h"), make_user("leyla_m")
    socket_ = live(token=accounts.issue_token(amira)[0])
    notifications.notify(amira, "reply", "Leyla replied", "/t/1", actor=leyla)
    db.session.rollback()
    notifications.deliver_pending()
    assert socket_.get_received("/live") == []
    notifications.notify(amira, "reply", "Leyla replied", "/t/1", actor=leyla)
    db.session.commit()
    notifications.deliver_pending()
    received = socket_.get_received("/live")
    assert len(received) == 1 and received[0]["name"] == "notification"
    assert received[0]["args"][0]["text"] == "Leyla replied" and received[0]["args"][0]["unread"] == 1


def test_page_lists_and_opening_marks_read(app, client, auth, make_user):
    me = auth.as_role()
    other = make_user()
    notifications.notify(me, "reply", "Someone answered your question", "/u/" + other.username, actor=other)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert 'id="unread-count" aria-label="1 unread">1<' in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert "Someone answered your question" in listing
    item_id = db.session.scalar(select(Notification.id))
    response = client.get(f"/notifications/{item_id}")
    assert response.status_code == 302 and response.headers["Location"] == "/u/" + other.username
    assert notifications.unread_count(me) == 0


def test_cannot_open_someone_elses_notification(app, client, auth, make_user):
    other = make_user()
    notifications.notify(other, "reply", "private", "/x")
    db.session.commit()
    auth.as_role()
    item_id = db.session.scalar(select(Notification.id))
    assert client.get(f"/notifications/{item_id}").status_code == 404


def test_api_lists_and_marks_read(app, api, make_user):
    me = make_user("amira_h")
    for number in range(3):
        notifications.notify(me, "reply", f"reply {number}", "/t/1", dedupe_key=f"r{number}")
    db.session.commit()
    api.login("amira_h")
    body = api.get("/notifications?unread=true").get_json()
    assert body["total"] == 3 and body["items"][0]["text"] == "reply 2"
    first = body["items"][0]["id"]
    assert api.post("/notifications/read", json={"ids": [first]}).get_json() == {"marked": 1, "unread": 2}
    assert api.post("/notifications/read", json={}).get_json() == {"marked": 2, "unread": 0}
    assert api.post("/notifications/read", json={"ids": "all"}).status_code == 422


def test_email_is_sent_once(app, make_user, smtp_server, mail_now):
    amira = make_user("amira_h", email="amira@school.example")
    notifications.notify(amira, "accepted", "Your answer was accepted", "/t/9", dedupe_key="accept:9")
    db.session.commit()
    notifications.deliver_pending()
    notifications.notify(amira, "accepted", "Your answer was accepted", "/t/9", dedupe_key="accept:9")
    db.session.commit()
    notifications.deliver_pending()
    assert mail_now() == 0  # held back a moment, so that more can join it
    assert mail_now(after=600) == 1
    assert mail_now(after=1200) == 0
    [mail] = smtp_server.mails
    assert mail.rcpt_tos == ["amira@school.example"]
    assert mail["Subject"] == "Your answer was accepted"
    assert "http://127.0.0.1:5000/t/9" in mail.links()
    assert db.session.scalar(select(Notification.emailed_at)) is not None
