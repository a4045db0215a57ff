"""Notification texts in the reader's language: stored as an English
message and its values, shown on the page, in the API, pushed and mailed in
each member's own language; older plain texts stay as they were."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.i18n import COOKIE, N_
from app.notifications import services as notifications
from app.notifications.models import Message, Notification
from app.people import services as people

pytestmark = pytest.mark.one_database  # words in five languages, not SQL


def test_a_follow_is_stored_in_english_and_read_in_each_language(app, make_user, client_for, api_for):
    ana, gary = make_user("ana"), make_user("gary")
    people.follow(gary, ana)
    item = db.session.query(Notification).filter_by(user_id=ana.id).one()
    assert item.stored_text == "Teacher 2 follows you" and item.text_key == "%(name)s follows you"
    browser = client_for(ana)
    browser.set_cookie(COOKIE, "es")
    page = browser.get("/notifications").get_data(as_text=True)
    assert "Teacher 2 te sigue" in page and "Teacher 2 follows you" not in page
    api = api_for(ana)
    arabic = api.get("/notifications", headers={"Accept-Language": "ar"}).get_json()
    # The Latin name is isolated (U+2068..U+2069), so it cannot reorder the Arabic sentence around it.
    assert arabic["items"][0]["text"] == "\u2068Teacher 2\u2069 يتابعك"
    assert api.get("/notifications").get_json()["items"][0]["text"] == "Teacher 2 follows you"


def test_notification_mail_lists_the_texts_in_the_readers_language(app, make_user, smtp_server, mail_now):
    ana, gary, amira = make_user("ana"), make_user("gary"), make_user("amira")
    ana.locale = "fr"
    db.session.commit()
    people.follow(gary, ana)
    people.follow(amira, ana)
    mail_now(after=600)
    [mail] = smtp_server.to(ana.email)
    assert mail["Subject"] == "2 nouveaux abonnés sur Staffroom"
    assert "Teacher 2 vous suit" in mail.text and "Teacher 3 vous suit" in mail.text
    assert "follows you" not in mail.text


def test_a_plain_text_stays_as_it_was_made(app, make_user):
    ana = make_user("ana")
    item = notifications.notify(ana, "follow", "Gary follows you", "/u/gary")
    db.session.commit()
    assert item.text == item.stored_text == "Gary follows you" and item.text_key is None
    assert Message(N_("%(name)s follows you"), {"name": "Gary"}).english() == "Gary follows you"
