"""The people part in Spanish and Arabic: the member's home, the directory,
profiles, settings, your data, security and tokens, the mailed-link pages,
the notification list and the pager; flash messages, form and service
errors, API messages; country and spoken-language names from Babel."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import refresh

from app.i18n import COOKIE
from app.vocabulary import countries, country_name

pytestmark = pytest.mark.one_database  # words in five languages, not SQL


def page(client, path: str, locale: str, status: int = 200) -> str:
    client.set_cookie(COOKIE, locale)
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def test_country_names_in_the_readers_language(app):
    assert country_name("SA") == "Saudi Arabia"  # English as it always was (pycountry)
    assert country_name("DE", "fr") == "Allemagne"
    assert country_name("SA", "ar") == "المملكة العربية السعودية"
    assert country_name("XX", "es") == "XX" and country_name(None, "es") == ""
    french = [name for _code, name in countries("fr")]
    # Accents aside: Égypte sorts among the E's, not after Zimbabwe.
    assert french.index("Égypte") < french.index("Espagne") < french.index("Zimbabwe")
    assert countries("en")[0] == ("AF", "Afghanistan")


def test_the_directory_in_spanish_and_arabic(client, make_user):
    make_user("amira", display_name="Amira Haddad", country="SA")
    make_user("bruno", display_name="Bruno Costa", country="BR")
    spanish = page(client, "/people?sort=name", "es")
    assert "Encuentra docentes" in spanish and "2 miembros encontrados." in spanish
    assert "Arabia Saudí" in spanish and "Brasil" in spanish
    assert '<option value="">Todos los países</option>' in spanish and "Todas las materias" in spanish
    assert "Find educators" not in spanish and "members found" not in spanish and "Saudi Arabia" not in spanish
    arabic = page(client, "/people", "ar")
    assert "ابحث عن معلمين" in arabic and "عُثر على عضوين." in arabic and "البرازيل" in arabic
    assert "Find educators" not in arabic


def test_the_directory_filter_error_and_spoken_languages(client, api, make_user):
    make_user("amira", display_name="Amira Haddad")
    spanish = page(client, "/people", "es")
    assert ">Francés</option>" in spanish and ">French</option>" not in spanish
    api.login("amira")
    response = api.get("/people/suggest?q=", headers={"Accept-Language": "es"})
    assert response.status_code in (400, 422)
    body = response.get_json()["error"]
    assert body["message"] == "Escribe al menos una letra de un nombre."
    response = api.get("/users/nobody-here", headers={"Accept-Language": "ar"})
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "لا يوجد معلم بهذا الاسم."
    me = api.get("/users/amira", headers={"Accept-Language": "fr"}).get_json()
    assert me["country_name"] == "Royaume-Uni"


def test_the_members_home_profile_and_follow_flash(client, make_user, auth):
    amira = make_user("amira", display_name="Amira Haddad", country="SA")
    make_user("bruno", display_name="Bruno Costa")
    auth.login("bruno")
    home = page(client, "/", "es")
    assert "Hola, Bruno Costa" in home and "Completa tu perfil" in home and "Tus datos" in home
    assert "Welcome, Bruno" not in home and "Complete your profile" not in home
    response = client.submit(f"/people/{amira.username}/follow", {}, page=f"/u/{amira.username}")
    profile = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sigues a Amira Haddad" in profile
    assert "<strong>1</strong> seguidor" in profile and "Dejar de seguir" in profile
    assert "Arabia Saudí" in profile and "Zona horaria local: Europe/London" in profile
    arabic = page(client, f"/u/{amira.username}", "ar")
    assert "المملكة العربية السعودية" in arabic and "إلغاء المتابعة" in arabic and "Unfollow" not in arabic


def test_settings_and_your_data_with_a_form_error(client, make_user, auth):
    make_user("bruno")
    auth.login("bruno")
    settings = page(client, "/settings/people", "fr")
    assert "Paramètres de l’annuaire et des notifications" in settings
    assert "Réponses à vos questions" in settings and "Sur le site uniquement" in settings
    assert "Answers to your questions" not in settings
    response = client.submit("/settings/people", {"digest": "weekly", "directory_visible": "y"},
                             page="/settings/people")
    assert "Paramètres enregistrés." in client.get(response.headers["Location"]).get_data(as_text=True)
    client.set_cookie(COOKIE, "ar")
    response = client.submit("/settings/data/delete", {"confirm": "someone-else"}, page="/settings/data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "هناك مشكلة" in text and "اكتب اسم المستخدم للتأكيد." in text and "احذف حسابي" in text
    assert "There is a problem" not in text and "Type your username to confirm." not in text


def test_security_tokens_and_password_pages(client, make_user, auth):
    make_user("bruno")
    auth.login("bruno")
    security = page(client, "/settings/security", "es")
    assert "Dispositivos con sesión iniciada" in security and "(este dispositivo)" in security
    assert "Signed-in devices" not in security
    tokens = page(client, "/settings/tokens", "pt_BR")
    assert "Os tokens permitem" in tokens and "Nenhum token ainda." in tokens
    client.set_cookie(COOKIE, "es")
    response = client.submit("/settings/password", {"current_password": "not-it-at-all",
                                                    "new_password": "a fresh one 2026"}, page="/settings/password")
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Esa no es tu contraseña actual." in text
    assert "That is not your current password." not in text


def test_recovery_pages_and_a_broken_link(client):
    forgot = page(client, "/password/forgot", "fr")
    assert "Mot de passe oublié ?" in forgot and "Envoyez-moi un lien" in forgot
    broken = page(client, "/password/reset/not-a-token", "es", status=400)
    assert "Este enlace para restablecer la contraseña no funciona" in broken
    assert "Este enlace no es válido." in broken and "This link is not valid" not in broken


def test_notifications_page_and_the_pager(app, client, make_user, auth):
    make_user("bruno")
    auth.login("bruno")
    empty = page(client, "/notifications", "es")
    assert "Marcar todas como leídas" not in empty and "Nada por ahora." in empty
    template = ('{% from "macros/pager.html" import pager %}'
                '{{ pager(2, 1200, page_url("people.directory"), numbered=True) }}')
    with app.test_request_context("/people", headers={"Accept-Language": "es"}):
        refresh()  # the test's app context outlives each request's language
        html = render_template_string(template)
    assert "Página 2 de 1.200" in html and "Anterior" in html and "Siguiente" in html
    with app.test_request_context("/people"):
        refresh()
        html = render_template_string(template)
    assert "Page 2 of 1,200" in html and "Previous" in html


def test_the_verification_gate_and_the_mention_picker_speak_the_readers_language(app, client, make_user):
    from app.accounts.gate import EmailNotVerified, require_verified  # noqa: PLC0415

    newcomer = make_user("newcomer", verified=False)
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        refresh()
        with pytest.raises(EmailNotVerified) as raised:
            require_verified(newcomer)
    message = raised.value.message
    assert isinstance(message, str)  # live rooms send it in a JSON ack as it is
    assert message.startswith("Confirma tu dirección") and "newcomer@school.example" in message
    catalog = client.get("/static/i18n/ar.json").get_json()["messages"]
    assert catalog["Members to mention"] == "أعضاء يمكنك الإشارة إليهم"
    assert len(catalog["%(num)s member found: up and down arrows to choose, Enter to insert, Escape to close."]) == 6
