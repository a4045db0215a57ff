"""Events and the live room in other languages: pages, forms, flash messages,
API and room errors, the repeat rule in words, and the room script's catalog."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale

from app.accounts import services as accounts
from app.db_types import utcnow
from app.events import chat, series, services
from app.events import rsvp as rsvps
from app.extensions import db
from app.i18n import COOKIE
from tests.events.fixtures import move
from tests.events.test_pages import event_form

pytestmark = pytest.mark.one_database  # words in five languages, not SQL

STATIC_I18N = Path(__file__).resolve().parents[2] / "static" / "i18n"


def page(client, path: str, locale: str) -> str:
    client.set_cookie(COOKIE, locale)
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("locale", "present", "absent"), [
    ("es", ["Próximos 7 días", "En directo ahora", "Llamada de conexión", "Eventos pasados y archivo",
            "1 asiste de 30", "Filtrar eventos"],
     ["Next 7 days", "Live now", "Connection call", "Past events and archives", "1 going of 30"]),
    ("ar", ["الأيام السبعة القادمة", "مباشر الآن", "مكالمة تعارف", "الفعاليات السابقة والأرشيف",
            "حاضر واحد من 30", "تصفية الفعاليات"],
     ["Next 7 days", "Live now", "Connection call", "Past events and archives", "1 going of 30"]),
])
def test_the_events_list(client, make_event, locale, present, absent):
    make_event(title="Feedback that moves learning forward", capacity=30)
    text = page(client, "/events", locale)
    for words in present:
        assert words in text, words
    for words in absent:
        assert words not in text, words


def test_an_event_page_with_real_plurals_in_arabic(client, make_event, make_user):
    event = make_event(title="Exit tickets", capacity=40, duration_min=90)
    rsvps.rsvp(event, make_user())  # the organiser and one more: two going
    text = page(client, f"/events/{event.id}", "ar")
    assert "حاضران من أصل 40 مقعد" in text  # the dual, not "2 going"
    assert "90 دقيقة" in text and "نبذة" in text and "المضيفون" in text and "أضف إلى تقويمك" in text
    assert "لتأكيد حضورك" in text  # the visitor's "Sign in to say you are going"
    for english in ("going of", "minutes", "Add to your calendar", "Hosts</h2>", "to say you are going"):
        assert english not in text, english


def test_the_past_list_counts_messages_with_ngettext(client, live_event):
    event = live_event(title="Reading circles")
    chat.post_message(event, event.organiser, "We read in pairs first.", None)
    move(event, utcnow() - timedelta(days=3))
    text = page(client, "/events/past", "es")
    assert "(1 mensaje)" in text and "1 message" not in text
    assert "Leer la transcripción" in text


def test_a_form_error_and_the_create_form_in_spanish(client, auth):
    auth.as_role()
    client.set_cookie(COOKIE, "es")
    response = client.submit("/events/new", event_form(start_date=""))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Indica la fecha." in text and "Give the date." not in text
    assert "Tipo de evento" in text and "Kind of event" not in text
    assert "Llamada de conexión" in text and "Presencial" in text  # choices
    assert "Crear evento" in text


def test_a_service_error_under_its_field_in_french(client, auth):
    auth.as_role()
    client.set_cookie(COOKIE, "fr")
    response = client.submit("/events/new", event_form(kind="meetup"))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Une rencontre a lieu en présentiel" in text and "A meetup happens in person" not in text


def test_a_flash_message_after_going(client, auth, make_event):
    auth.as_role()
    event = make_event(title="Phonics swap")
    client.set_cookie(COOKIE, "pt_BR")
    response = client.submit(f"/events/{event.id}/rsvp", {}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Presença confirmada." in text and "You are going." not in text
    assert "Não posso mais ir" in text


def test_an_api_error_message_in_the_asked_language(api, make_user, make_event):
    member = make_user()
    api.login(member.username)
    event = make_event()
    services.cancel_event(event, event.organiser)
    response = api.post(f"/events/{event.id}/rsvp", headers={"Accept-Language": "es"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and error["message"] == "Este evento está cancelado."


def test_the_repeat_rule_in_words(app, make_user):
    first = services.create_event(make_user(timezone="Europe/Madrid"), title="Second-Tuesday TweetMeet",
                                  kind="tweetmeet", duration_min=60, local_start=datetime(2030, 1, 8, 19, 0),
                                  timezone="Europe/Madrid", rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=6")
    with force_locale("fr"):
        assert series.describe(first.series) == "chaque mois, le deuxième mardi à 19:00 (Europe/Madrid), 6 dates"
    with force_locale("es"):
        assert series.describe(first.series, short=True) == "cada mes, el segundo martes"
    with force_locale("ar"):
        assert series.describe(first.series, short=True) == "كل شهر يوم الثلاثاء الثاني من الشهر"
    assert series.describe(first.series) == "every month on the second Tuesday at 19:00 (Europe/Madrid), 6 dates"


def test_the_room_page_and_a_socket_error_in_the_members_language(client, auth, live, live_event):
    member = auth.as_role()
    member.locale = "ar"
    db.session.commit()
    event = live_event(title="Drop-in Q&A")
    text = page(client, f"/events/{event.id}/room", "en")  # the profile wins over the cookie
    assert "رسالتك" in text and "Your message" not in text
    assert "غير متصل" in text and "Not connected" not in text
    socket = live(token=accounts.issue_token(member)[0])
    assert socket.emit("join", {"event_id": event.id}, namespace="/live", callback=True)["ok"]
    ack = socket.emit("send", {"event_id": event.id, "body": "   "}, namespace="/live", callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "validation_error"
    assert ack["error"]["message"] == "الرسالة فارغة." and ack["error"]["fields"] == {"body": "اكتب رسالة."}


def test_the_room_script_strings_are_in_each_catalog():
    connecting = {"es": "Conectando…", "fr": "Connexion…", "pt_BR": "Conectando…", "ar": "جارٍ الاتصال…"}
    for locale, words in connecting.items():
        messages = json.loads((STATIC_I18N / f"{locale}.json").read_text())["messages"]
        assert messages["Connecting…"] == words
        assert messages["Delete message %(id)s"] and messages["New question Q%(number)s: %(text)s"]
        forms = messages["Upvote: %(num)s vote"]
        assert len(forms) == (6 if locale == "ar" else 3) and all(forms)


def test_an_event_is_masculine_where_an_activity_is_feminine(client, auth, make_event):
    """'Keep it', 'About' and 'Who can see it' have an event's own context:
    Spanish "Mantenerlo" and "Quién puede verlo", not the activity's "-la";
    Arabic's event (فعالية) is feminine."""
    organiser = auth.as_role()
    event = make_event(organiser)
    assert ">Mantenerlo</a>" in page(client, f"/events/{event.id}/cancel", "es")
    assert "Quién puede verlo" in page(client, "/events/new", "es")
    assert ">Sobre el evento</h2>" in page(client, f"/events/{event.id}", "es")
    assert ">أبقِها</a>" in page(client, f"/events/{event.id}/cancel", "ar")
    assert "Quién puede verla" not in page(client, "/events/new", "es")
