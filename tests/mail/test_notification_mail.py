"""Notification mail as members get it: batched, by their preferences,
with a one-click unsubscribe that only a valid, fresh link can use."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import itsdangerous.timed
from sqlalchemy import select

from app.db_types import utcnow
from app.events import reminders
from app.events import rsvp as rsvps
from app.extensions import db
from app.forum import categories, subscriptions
from app.forum import services as forum
from app.forum.models import Category
from app.mail import unsubscribe
from app.messages import services as messages
from app.notifications import services as notifications
from app.people import preferences
from app.people import services as people


def make_thread(author, title="Fractions with pizza"):
    categories.ensure_defaults()
    category = db.session.scalar(select(Category).where(Category.slug == "ask-the-community"))
    return forum.create_thread(author, category, title=title, body="How do you start fractions?",
                               kind="question", tags=("maths",), enforce_limits=False)


def test_a_busy_thread_sends_each_watcher_one_mail(app, make_user, smtp_server, mail_now):
    asker = make_user("asker")
    thread = make_thread(asker)
    watchers = [make_user(f"watcher{n}") for n in range(50)]
    for member in watchers:
        subscriptions.set_thread_level(member, thread, "watching")
    repliers = [make_user("amira"), make_user("gary")]
    for n in range(10):
        forum.reply(thread, repliers[n % 2], f"Pizza slices work ({n})", enforce_limits=False)
    assert mail_now() == 0  # within the delay: more may come
    mail_now(after=121)
    per_member = Counter(address for mail in smtp_server.mails for address in mail.rcpt_tos)
    assert {member.email for member in watchers} <= set(per_member)
    assert set(per_member.values()) == {1}  # one mail each, not ten
    [to_watcher] = smtp_server.to(watchers[0].email)
    assert to_watcher["Subject"] == "10 new replies in “Fractions with pizza” on Staffroom"
    assert len([link for link in to_watcher.links() if "/p/" in link]) == 10
    assert mail_now(after=600) == 0  # and never again for the same replies


def test_a_notification_read_on_the_site_is_not_mailed(app, make_user, smtp_server, mail_now):
    amira = make_user("amira")
    notifications.notify(amira, "follow", "Gary follows you", "/u/gary")
    db.session.commit()
    notifications.mark_read(amira)
    assert mail_now(after=600) == 0 and smtp_server.mails == []


def test_site_only_and_suspended_members_get_no_mail(app, make_user, smtp_server, mail_now):
    amira, gary = make_user("amira"), make_user("gary")
    preferences.set_preferences(amira, {"follow": "web"})
    gary.suspended_at = utcnow()
    for member in (amira, gary):
        notifications.notify(member, "follow", "Leyla follows you", "/u/leyla")
    db.session.commit()
    assert mail_now(after=600) == 0 and smtp_server.mails == []


def test_event_reminders_are_mailed_without_waiting(app, make_user, make_event, smtp_server, mail_now):  # noqa: F811
    going = make_user("amira", email="amira@school.example")
    event = make_event(title="Coding club call", starts_at=utcnow() + timedelta(minutes=50))
    rsvps.rsvp(event, going)
    assert reminders.send_reminders() == 2  # the organiser is going too
    assert mail_now() == 2
    [mail] = smtp_server.to("amira@school.example")
    assert "Coding club call" in mail["Subject"] and any(f"/events/{event.id}" in link for link in mail.links())
    assert "event_reminder" in unsubscribe.read_token(mail["List-Unsubscribe"].split("/")[-1].rstrip(">")).kind


def test_private_messages_unread_for_ten_minutes_are_mailed_once(app, make_user, smtp_server, mail_now):
    make_user("amira", email="amira@school.example")
    gary = make_user("gary", display_name="Gary W")
    conversation, _ = messages.start_conversation(gary, ["amira"], "Are you coming on Friday?")
    messages.send(conversation, gary, "It starts at 4.")
    assert mail_now(after=300) == 0  # five minutes: she may still read it
    assert mail_now(after=601) == 1
    [mail] = smtp_server.mails
    assert mail["Subject"] == "2 unread private messages on Staffroom"
    assert "2 messages from Gary W" in mail.text and "It starts at 4." in mail.text
    assert any(link.endswith(f"/messages/{conversation.id}") for link in mail.links())
    assert mail_now(after=1200) == 0


def test_private_messages_read_in_time_are_not_mailed(app, make_user, smtp_server, mail_now):
    amira, gary = make_user("amira"), make_user("gary")
    conversation, _ = messages.start_conversation(gary, ["amira"], "Are you coming on Friday?")
    messages.mark_read(conversation, amira)
    assert mail_now(after=900) == 0 and smtp_server.mails == []


# Unsubscribe ----------------------------------------------------------------------

def mailed_unsubscribe_link(make_user, smtp_server, mail_now, kind="follow"):
    amira = make_user("amira", email="amira@school.example")
    notifications.notify(amira, kind, "Gary follows you", "/u/gary")
    db.session.commit()
    mail_now(after=600)
    [mail] = smtp_server.mails
    link = mail["List-Unsubscribe"].strip("<>")
    assert link in mail.text  # the footer offers it too
    return amira, link.removeprefix("http://127.0.0.1:5000")


def test_one_click_unsubscribe_keeps_the_notice_on_the_site(app, client, make_user, smtp_server, mail_now):
    amira, path = mailed_unsubscribe_link(make_user, smtp_server, mail_now)
    page = client.get(path)  # what a mail scanner does: changes nothing
    assert page.status_code == 200 and "Stop mail for: someone follows you" in page.get_data(as_text=True)
    assert notifications.preference_for(amira, "follow") == "email"
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})  # RFC 8058, no session, no CSRF token
    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    assert notifications.preference_for(amira, "follow") == "web"
    notifications.notify(amira, "follow", "Leyla follows you", "/u/leyla")
    db.session.commit()
    assert mail_now(after=1200) == 0
    assert notifications.unread_count(amira) == 2  # still told on the site


def test_unsubscribe_from_everything_and_from_the_digest(app, client, make_user):
    amira = make_user("amira")
    people.update_settings(amira, digest="weekly")
    preferences.set_preferences(amira, {"kudos": "none"})
    client.post(f"/mail/unsubscribe/{unsubscribe.make_token(amira.id, 'all')}")
    chosen = preferences.preferences_of(amira)
    assert chosen["kudos"] == "none" and chosen["follow"] == "web" and chosen["message"] == "web"
    client.post(f"/mail/unsubscribe/{unsubscribe.make_token(amira.id, 'digest')}")
    assert people.settings_of(amira).digest == "none"


def test_tampered_unknown_and_expired_links_are_refused(app, client, make_user, monkeypatch):
    amira = make_user("amira")
    token = unsubscribe.make_token(amira.id, "follow")
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (tampered, "not-a-token", unsubscribe.make_token(amira.id, "no.such.kind"),
                unsubscribe.make_token(99999, "follow")):
        for response in (client.get(f"/mail/unsubscribe/{bad}"), client.post(f"/mail/unsubscribe/{bad}")):
            assert response.status_code == 400
            assert "This unsubscribe link is not valid" in response.get_data(as_text=True)
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() - 91 * 24 * 3600)
    old = unsubscribe.make_token(amira.id, "follow")
    monkeypatch.undo()
    response = client.post(f"/mail/unsubscribe/{old}", headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_token"
    assert "expired" in response.get_json()["error"]["message"]
    assert notifications.preference_for(amira, "follow") == "email"


def test_the_digest_arrives_through_the_outbox(app, make_user, runner, smtp_server, mail_now):
    amira, gary = make_user("amira", email="amira@school.example"), make_user("gary")
    people.update_settings(amira, digest="daily")
    preferences.set_preferences(amira, {"forum.mention": "web"})  # in the digest only, not mailed on its own
    notifications.notify(amira, "forum.mention", "Gary mentioned you", "/t/1", actor=gary)
    db.session.commit()
    assert "1 digest(s) composed" in runner.invoke(args=["digest", "send", "--period", "daily"]).output
    assert mail_now(after=600) == 1
    [mail] = smtp_server.mails
    assert mail["Subject"] == "Staffroom: 1 new notification" and "http://127.0.0.1:5000/t/1" in mail.links()
    token = mail["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    assert unsubscribe.read_token(token).kind == "digest"
