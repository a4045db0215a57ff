"""Event notices in each reader's language: reminders (their time written
for the reader's language and zone when shown), "has changed" with the
changed parts as the reader's words, on the page, in the API and by mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.events import reminders, services
from app.events import rsvp as rsvps
from app.extensions import db
from app.i18n import COOKIE
from app.notifications.models import Notification
from app.template_helpers import localtime
from tests.events.fixtures import at_utc

pytestmark = pytest.mark.one_database  # words in five languages, not SQL

LINK = "https://zoom.us/j/8123456789?pwd=quokkaSecret"


def notice(user, kind: str) -> Notification:
    return db.session.scalar(select(Notification).where(Notification.user_id == user.id, Notification.kind == kind))


def written(moment, locale: str, zone: str, fmt: str | None = None) -> str:
    with force_locale(locale):
        return localtime(moment, fmt, zone=zone) if fmt else localtime(moment, zone=zone)


def test_a_reminder_is_written_in_the_readers_language_and_zone(make_event, make_user, client_for, api_for):
    ana = make_user(timezone="Asia/Tokyo")
    ana.locale = "es"
    event = make_event(title="Club de lectura", starts_at=at_utc(3))  # noon in Tokyo, reminded the day before
    rsvps.rsvp(event, ana)
    assert reminders.send_reminders(event.starts_at - timedelta(hours=20)) == 2
    item = notice(ana, "event_reminder")
    english = written(event.starts_at, "en", "Asia/Tokyo")
    assert item.stored_text == f"“Club de lectura” starts tomorrow: {english}." and "JST" in english
    assert item.text_key == "“%(title)s” starts tomorrow: %(start)s."

    page = client_for(ana).get("/notifications").get_data(as_text=True)
    assert f"«Club de lectura» empieza mañana: {written(event.starts_at, 'es', 'Asia/Tokyo')}." in page
    arabic = api_for(ana).get("/notifications", headers={"Accept-Language": "ar"}).get_json()["items"][0]
    assert arabic["text"] == f"تبدأ «\u2068Club de lectura\u2069» غدًا: {written(event.starts_at, 'ar', 'Asia/Tokyo')}."

    ana.timezone = "America/Sao_Paulo"  # moved: the same notice now reads in the new zone
    db.session.commit()
    page = client_for(ana).get("/notifications").get_data(as_text=True)
    assert written(event.starts_at, "es", "America/Sao_Paulo") in page and "JST" not in page


def test_a_reminder_for_later_today_says_today_in_every_language(make_event, make_user, api_for):
    readers = {}
    for locale in ("en", "es", "fr", "pt_BR", "ar"):
        readers[locale] = make_user(timezone="America/Chicago")
        readers[locale].locale = locale
    event = make_event(title="Club", starts_at=at_utc(5, 30))  # 23:30 in Chicago
    for reader in readers.values():
        rsvps.rsvp(event, reader)
    reminders.send_reminders(event.starts_at - timedelta(hours=20))  # 03:30 in Chicago
    said = {"en": "“Club” starts today: ", "es": "«Club» empieza hoy: ", "fr": "« Club » commence aujourd’hui : ",
            "pt_BR": "“Club” começa hoje: ", "ar": "تبدأ «\u2068Club\u2069» اليوم: "}
    for locale, reader in readers.items():
        header = {"Accept-Language": locale.replace("_", "-")}
        item = api_for(reader).get("/notifications", headers=header).get_json()["items"][0]
        assert item["text"].startswith(said[locale]), (locale, item["text"])


def test_a_reminder_with_a_call_says_when_to_join_in_the_readers_words(make_event, make_user, client):
    ana = make_user(timezone="America/Sao_Paulo")
    ana.locale = "pt_BR"
    event = make_event(title="Aula aberta", meeting_url=LINK)
    rsvps.rsvp(event, ana)
    reminders.send_reminders(event.starts_at - timedelta(minutes=50))
    item = notice(ana, "event_reminder")
    assert item.url == f"/events/{event.id}/join"
    with force_locale("pt_BR"):
        text = item.text
    opens = written(event.starts_at - timedelta(minutes=15), "pt_BR", "America/Sao_Paulo", "%H:%M")
    assert text == (f"“Aula aberta” começa em breve: {written(event.starts_at, 'pt_BR', 'America/Sao_Paulo')}."
                    f" Entre na chamada a partir das {opens} com este link.")
    assert "quokka" not in text and "Join the call" not in text
    assert "Join the call from" in item.stored_text


def test_a_reminder_is_mailed_in_the_recipients_language(make_event, make_user, smtp_server, mail_now):
    ana = make_user(timezone="Europe/Paris")
    ana.locale = "fr"
    event = make_event(title="Café pédagogique")
    rsvps.rsvp(event, ana)
    reminders.send_reminders(event.starts_at - timedelta(minutes=30))
    mail_now()  # reminders go at once
    [mail] = smtp_server.to(ana.email)
    expected = f"« Café pédagogique » commence bientôt : {written(event.starts_at, 'fr', 'Europe/Paris')}."
    assert mail["Subject"] == expected
    assert expected in mail.text and "starts soon" not in mail.text


def test_event_changed_names_the_parts_in_the_readers_words(make_event, make_user, client_for, api_for):
    organiser, ana = make_user(), make_user()
    ana.locale = "es"
    event = make_event(organiser, title="Taller de robótica", is_online=False, location="Aula 3", city="Leeds",
                       country="GB")
    rsvps.rsvp(event, ana)
    services.update_event(event, organiser, starts_at=event.starts_at + timedelta(hours=2), location="Aula 5",
                          city="York")
    item = notice(ana, "event_changed")
    assert item.stored_text == "“Taller de robótica” has changed (time and place)."
    page = client_for(ana).get("/notifications").get_data(as_text=True)
    assert "«Taller de robótica» ha cambiado (hora y lugar)." in page
    api = api_for(ana)
    assert api.get("/notifications", headers={"Accept-Language": "ar"}).get_json()["items"][0]["text"] == \
        "تغيّرت «\u2068Taller de robótica\u2069» (الموعد والمكان)."
    assert api.get("/notifications", headers={"Accept-Language": "en"}).get_json()["items"][0]["text"] == \
        "“Taller de robótica” has changed (time and place)."


def test_a_cancellation_reads_in_the_readers_language(make_event, make_user, client_for):
    organiser, ana = make_user(), make_user()
    event = make_event(organiser, title="Club de ajedrez")
    rsvps.rsvp(event, ana)
    services.cancel_event(event, organiser)
    browser = client_for(ana)
    browser.set_cookie(COOKIE, "fr")
    assert "« Club de ajedrez » est annulé." in browser.get("/notifications").get_data(as_text=True)
