"""Mail in the recipient's language: each member's mail (account mail,
notification and message mail, the digest) is written, subject included,
in the language of their profile, whatever language the request or worker
that queued it runs in; the unsubscribe page and its errors in the reader's."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask_login import login_user

from app.extensions import db
from app.i18n import COOKIE, N_
from app.mail import outbox, unsubscribe
from app.messages import services as messages
from app.notifications import services as notifications
from app.people import digest
from tests.helpers import PASSWORD, speaking

pytestmark = pytest.mark.one_database  # words in five languages, not SQL


def only_mail(smtp_server, user, subject_part=""):
    [mail] = [m for m in smtp_server.to(user.email) if subject_part in m["Subject"]]
    return mail


def test_a_spanish_member_gets_spanish_mail_and_an_english_one_english(app, make_user, api, smtp_server, mail_now):
    ana, gary = speaking(make_user, "ana", "es"), make_user("gary")
    for member in (ana, gary):  # the request itself is in English
        assert api.post("/password-resets", json={"email": member.email}).status_code == 202
    mail_now()
    spanish = only_mail(smtp_server, ana, "contraseña")
    assert spanish["Subject"] == "Elige una nueva contraseña para Staffroom"
    assert "Hola, Teacher 1:" in spanish.text and "El enlace funciona durante una hora" in spanish.text
    assert '<html lang="es" dir="ltr">' in spanish.html and "Elegir una nueva contraseña" in spanish.html
    assert "Choose a new password" not in spanish.text + spanish.html
    english = only_mail(smtp_server, gary, "password")
    assert english["Subject"] == "Choose a new password for Staffroom"
    assert "The link works for one hour, and only once." in english.text
    assert '<html lang="en" dir="ltr">' in english.html


def test_an_address_without_an_account_is_answered_in_the_askers_language(app, api, smtp_server, mail_now):
    response = api.post("/password-resets", json={"email": "nadie@school.example"}, headers={"Accept-Language": "fr"})
    assert response.status_code == 202
    mail_now()
    [mail] = smtp_server.to("nadie@school.example")
    assert mail["Subject"] == "Réinitialisation du mot de passe Staffroom"
    assert "aucun compte n’utilise cette adresse" in mail.text


def test_notification_mail_in_arabic_with_real_plurals_and_an_arabic_unsubscribe_page(
        app, client, make_user, smtp_server, mail_now):
    layla, gary = speaking(make_user, "layla", "ar"), make_user("gary")
    for member in (layla, gary):
        for n in range(3):
            notifications.notify(member, "follow", f"Teacher {n} follows you", f"/u/t{n}")
    db.session.commit()
    mail_now(after=600)
    arabic = only_mail(smtp_server, layla, "Staffroom")
    assert arabic["Subject"] == "3 متابعين جدد على Staffroom"
    assert '<html lang="ar" dir="rtl">' in arabic.html and "مرحبًا Teacher 1،" in arabic.text
    assert "تصلك هذه الرسالة بسبب إعدادات الإشعارات لديك." in arabic.text
    assert only_mail(smtp_server, gary, "Staffroom")["Subject"] == "3 new followers on Staffroom"
    # The mail's unsubscribe link opens a page in the reader's language.
    link = urlsplit(next(link for link in arabic.links() if "/mail/unsubscribe/" in link)).path
    client.set_cookie(COOKIE, "ar")
    page = client.get(link).get_data(as_text=True)
    assert "إلغاء الاشتراك" in page and ">Unsubscribe<" not in page
    done = client.post(link).get_data(as_text=True)
    assert "تم إلغاء اشتراكك" in done and "You are unsubscribed" not in done


def test_unread_private_messages_are_mailed_in_the_readers_language(app, make_user, smtp_server, mail_now):
    ana, gary = speaking(make_user, "ana", "pt_BR"), make_user("gary")
    conversation, _ = messages.start_conversation(gary, [ana.username], "Olá Ana!")
    messages.send(conversation, gary, "Tudo bem?")
    mail_now(after=3600)
    mail = only_mail(smtp_server, ana, "Staffroom")
    assert mail["Subject"] == "2 mensagens privadas não lidas no Staffroom"
    assert "2 mensagens de Teacher 2" in mail.text and "Você tem mensagens privadas não lidas" in mail.text


def test_the_digest_subject_is_translated(app, make_user):
    ana = speaking(make_user, "ana", "es")
    notifications.notify(ana, "follow", "Gary follows you", "/u/gary")
    db.session.commit()
    row = digest.compose(ana, since=ana.created_at.replace(year=2000))
    assert row.subject == "Staffroom: 1 notificación nueva"
    assert "Esto es lo que ha pasado en Staffroom:" in row.text_body


def test_a_bad_unsubscribe_link_is_refused_in_the_readers_language(client):
    client.set_cookie(COOKIE, "es")
    page = client.get("/mail/unsubscribe/not-a-token")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Este enlace para darse de baja no es válido." in text and "This link does not work" not in text
    refused = client.get("/mail/unsubscribe/not-a-token", headers={"Accept": "application/json"})
    assert refused.get_json()["error"] == {
        "code": "bad_token", "fields": {},
        "message": "Este enlace para darse de baja no es válido. Cambia mejor tus ajustes de notificaciones."}
    assert unsubscribe.NOT_VALID.startswith("This unsubscribe link")  # services keep the English


def test_mail_queued_during_a_spanish_request_for_an_english_member_stays_english(app, make_user):
    gary = make_user("gary")  # no language chosen: English, not the language of whoever caused the mail
    ana = speaking(make_user, "ana", "es")
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        login_user(ana)
        row = outbox.queue(gary, "password_changed", N_("Your Staffroom password was changed"),
                           {"security_url": "/s", "forgot_url": "/f"})
        assert row.subject == "Your Staffroom password was changed" and "Hello Teacher 1," in row.text_body
        mine = outbox.queue(ana, "password_changed", N_("Your Staffroom password was changed"),
                            {"security_url": "/s", "forgot_url": "/f"})
        assert mine.subject == "Se ha cambiado tu contraseña de Staffroom"


def test_registering_in_spanish_mails_the_confirmation_in_spanish(app, client, smtp_server, mail_now):
    client.set_cookie(COOKIE, "es")  # no language on the new profile yet: the page's
    response = client.submit("/register", {"username": "lucia_g", "email": "lucia_g@school.example",
                                           "password": PASSWORD, "display_name": "Lucía G", "country": "ES"})
    assert response.status_code == 302
    mail_now()
    [mail] = smtp_server.to("lucia_g@school.example")
    assert mail["Subject"] == "Confirma tu dirección de correo en Staffroom"
    assert "Te damos la bienvenida a Staffroom." in mail.text and "Confirmar mi dirección de correo" in mail.html
