"""The mail outbox: queued in the caller's transaction, sent by the sender
loop to a real SMTP server, retried while that server is away."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import func, select

from app.db_types import utcnow
from app.extensions import db
from app.mail import outbox, sender
from app.mail.models import MailOutbox
from tests.mailbox import LINK


def queue_welcome(user, **options):
    return outbox.queue(user, "notifications", "Welcome to Staffroom",
                        {"items": [{"text": "Fractions & <pizza>", "link": outbox.absolute_url("people.home")}],
                         "more": 0}, **options)


def test_a_queued_mail_arrives_with_both_parts_and_headers(app, make_user, smtp_server, mail_now):
    amira = make_user("amira", email="amira@school.example", display_name="Amira H")
    queue_welcome(amira, kind="test", unsubscribe_kind="forum.reply")
    db.session.commit()
    assert smtp_server.mails == []  # nothing leaves before the sender runs
    assert mail_now() == 1
    [mail] = smtp_server.mails
    assert mail.rcpt_tos == ["amira@school.example"] and mail.mail_from == "no-reply@staffroom.example"
    assert mail["Subject"] == "Welcome to Staffroom"
    assert mail["Message-ID"].startswith("<") and mail["Message-ID"].endswith("@127.0.0.1>")
    assert mail["Date"] is not None
    assert "Hello Amira H" in mail.text and "Fractions & <pizza>" in mail.text  # plain text is not escaped
    assert "Fractions &amp; &lt;pizza&gt;" in mail.html  # HTML is
    assert "http://127.0.0.1:5000/" in mail.links()
    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:5000/mail/unsubscribe/") and unsubscribe.endswith(">")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail_now() == 0  # sent once


def test_account_mail_has_no_unsubscribe_and_can_go_to_another_address(app, make_user, smtp_server, mail_now):
    amira = make_user("amira")
    queue_welcome(amira, to_address="new-address@school.example")
    db.session.commit()
    mail_now()
    [mail] = smtp_server.mails
    assert mail.rcpt_tos == ["new-address@school.example"] and mail["List-Unsubscribe"] is None


def test_a_rolled_back_change_sends_nothing(app, make_user, smtp_server, mail_now):
    amira = make_user("amira")
    queue_welcome(amira)
    db.session.rollback()
    assert mail_now() == 0 and smtp_server.mails == []


def test_no_mail_for_suspended_members_at_queue_or_send_time(app, make_user, smtp_server, mail_now):
    amira, gary = make_user("amira"), make_user("gary")
    gary.suspended_at = utcnow()
    db.session.commit()
    assert queue_welcome(gary) is None
    assert queue_welcome(amira) is not None
    db.session.commit()
    amira.suspended_at = utcnow()  # suspended after the mail was queued
    db.session.commit()
    assert mail_now() == 0 and smtp_server.mails == []
    assert db.session.scalar(select(MailOutbox.status)) == "dropped"


def test_server_down_then_up_sends_each_mail_once(app, make_user, smtp_server, mail_now):
    members = [make_user(f"member{n}") for n in range(3)]
    smtp_server.stop()
    for member in members:
        queue_welcome(member)
    db.session.commit()
    assert mail_now() == 0  # refused: kept, with a retry time
    rows = list(db.session.scalars(select(MailOutbox)))
    assert all(row.status == "queued" and row.attempts == 1 and row.last_error for row in rows)
    assert mail_now() == 0  # not due yet: backing off, not hammering the server
    smtp_server.start()
    assert mail_now() == 0  # still backing off
    assert mail_now(after=31) == 3
    assert mail_now(after=3600) == 0
    assert sorted(mail.rcpt_tos[0] for mail in smtp_server.mails) == sorted(m.email for m in members)
    assert db.session.scalar(select(func.count()).where(MailOutbox.sent_at.is_not(None))) == 3


def test_gives_up_after_many_attempts(app, make_user, smtp_server, mail_now):
    queue_welcome(make_user("amira"))
    db.session.commit()
    smtp_server.stop()
    for attempt in range(1, sender.MAX_ATTEMPTS + 1):
        mail_now(after=3601 * attempt)  # each time past the backoff, capped at an hour
    row = db.session.scalar(select(MailOutbox))
    assert row.status == "failed" and "cannot reach" in row.last_error


def test_without_mail_server_mail_is_written_to_eml_and_logged(app, make_user, mail_now, caplog):
    amira = make_user("amira", email="amira@school.example")
    queue_welcome(amira)
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="app.mail.sender"):
        assert mail_now() == 1
    [eml] = list((Path(app.instance_path) / "mail").glob("*.eml"))
    assert b"Welcome to Staffroom" in eml.read_bytes()
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("mail to ")]
    assert line.startswith("mail to amira@school.example: Welcome to Staffroom http://127.0.0.1:5000/")


def test_absolute_url_works_outside_requests(app):
    app.config["SITE_URL"] = "https://staffroom.example.org/school/"
    assert outbox.absolute_url("people.home") == "https://staffroom.example.org/school/"
    assert LINK.fullmatch(outbox.absolute_url("mail.unsubscribe", token="abc"))
