"""Choosing the language (profile > cookie > Accept-Language > English), the
switcher, the shared frame in every language, and API messages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.accounts.models import User
from app.extensions import db
from app.i18n import COOKIE, LOCALES
from app.template_helpers import localtime, number
from tests.helpers import PASSWORD

pytestmark = pytest.mark.one_database  # words in five languages, not SQL

# What the frame says in each language: the skip link and the visitor's "Sign in".
FRAME = {
    "en": ("Skip to content", "Sign in"),
    "es": ("Ir al contenido", "Iniciar sesión"),
    "fr": ("Aller au contenu", "Se connecter"),
    "pt_BR": ("Pular para o conteúdo", "Entrar"),
    "ar": ("انتقل إلى المحتوى", "تسجيل الدخول"),
}


def html_tag(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)"', response.get_data(as_text=True))
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


def test_english_without_any_choice(client):
    assert html_tag(client.get("/")) == ("en", "ltr")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_frame_in_each_language(client, locale):
    client.set_cookie(COOKIE, locale)
    for path in ("/", "/login", "/register", "/no-such-page"):
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert html_tag(response) == (locale.replace("_", "-"), "rtl" if locale == "ar" else "ltr"), path
        skip, sign_in = FRAME[locale]
        assert skip in text and sign_in in text, path
    if locale != "en":
        assert "Skip to content" not in text and "Page not found" not in text


def test_order_profile_then_cookie_then_browser(client, make_user, auth):
    headers = {"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}
    assert html_tag(client.get("/", headers=headers))[0] == "fr"
    client.set_cookie(COOKIE, "es")
    assert html_tag(client.get("/", headers=headers))[0] == "es"
    user = make_user()
    auth.login(user.username)
    assert html_tag(client.get("/", headers=headers))[0] == "es"  # no profile choice yet: the cookie
    user.locale = "ar"
    db.session.commit()
    assert html_tag(client.get("/", headers=headers)) == ("ar", "rtl")


@pytest.mark.parametrize("cookie", ["de", "xx-YY", "../../etc/passwd", "e" * 200, ""])
def test_a_bad_cookie_is_ignored(client, cookie):
    client.set_cookie(COOKIE, cookie)
    assert html_tag(client.get("/", headers={"Accept-Language": "pt-PT,pt;q=0.8"}))[0] == "pt-BR"
    assert client.get("/").status_code == 200


def test_a_stale_profile_value_is_ignored(client, make_user, auth):
    user = make_user()
    auth.login(user.username)
    user.locale = "de"  # not (or no longer) offered
    db.session.commit()
    assert html_tag(client.get("/", headers={"Accept-Language": "es"}))[0] == "es"


def test_switcher_without_javascript_remembers_the_choice(client):
    response = client.submit("/language", {"locale": "fr", "next": "/login?next=%2Fforum"}, page="/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fforum"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("locale=fr;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/login").get_data(as_text=True)
    assert "<h1>Se connecter</h1>" in page
    assert '<option selected value="fr">Français</option>' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_switcher_never_leaves_the_site(client, target):
    response = client.submit("/language", {"locale": "es", "next": target}, page="/")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_switcher_refuses_an_unknown_language_or_a_missing_token(client):
    response = client.submit("/language", {"locale": "de", "next": "/"}, page="/")
    assert response.status_code == 400
    assert "Choose one of the languages offered." in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers or "locale=" not in response.headers["Set-Cookie"]
    response = client.post("/language", data={"locale": "es", "next": "/"})
    assert response.status_code == 400 and "locale=" not in response.headers.get("Set-Cookie", "")


def test_a_member_choice_in_the_switcher_goes_on_the_profile(client, make_user, auth):
    user = make_user()
    auth.login(user.username)
    client.submit("/language", {"locale": "pt_BR", "next": "/"}, page="/")
    assert db.session.get(User, user.id).locale == "pt_BR"


def test_profile_form_sets_and_clears_the_language(client, make_user, auth):
    user = make_user()
    auth.login(user.username)
    form = {"display_name": user.display_name, "country": "GB", "timezone": "Europe/London", "locale": "es"}
    response = client.submit("/settings/profile", form)
    assert response.status_code == 302
    assert db.session.get(User, user.id).locale == "es"
    assert "Tu perfil se ha guardado." in client.get(response.headers["Location"]).get_data(as_text=True)
    client.submit("/settings/profile", {**form, "locale": ""})
    assert db.session.get(User, user.id).locale is None
    response = client.submit("/settings/profile", {**form, "locale": "klingon"})
    assert response.status_code == 422 and db.session.get(User, user.id).locale is None


def test_api_locale_field(api, make_user):
    user = make_user()
    api.login(user.username)
    response = api.patch("/me", json={"locale": "pt-BR"})
    assert response.status_code == 200 and response.get_json()["locale"] == "pt_BR"
    response = api.patch("/me", json={"locale": "de"}, headers={"Accept-Language": "es"})
    body = response.get_json()["error"]
    assert response.status_code == 422 and body["code"] == "validation_error"
    assert body["message"] == "Algunos campos necesitan atención."
    assert body["fields"]["locale"] == "Elige uno de estos idiomas: en, es, fr, pt_BR, ar."
    assert api.get("/me").get_json()["locale"] == "pt_BR"
    assert api.patch("/me", json={"locale": None}).get_json()["locale"] is None


def test_api_messages_follow_accept_language_with_the_same_code(api):
    english = api.get("/me").get_json()["error"]
    spanish = api.get("/me", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_json()["error"]
    assert english == {"code": "unauthorized", "message": "Sign in, or send a valid API token.", "fields": {}}
    assert spanish == {"code": "unauthorized", "message": "Inicia sesión o envía un token de API válido.", "fields": {}}
    missing = api.get("/users/nobody-here", headers={"Accept-Language": "ar"}).get_json()["error"]
    assert missing["code"] == "not_found"


def test_api_ignores_the_cookie_when_the_caller_names_a_language(api):
    api.client.set_cookie(COOKIE, "fr")
    body = api.get("/me", headers={"Accept-Language": "es"}).get_json()["error"]
    assert body["message"] == "Inicia sesión o envía un token de API válido."


def test_sign_in_in_spanish(client, make_user):
    user = make_user(display_name="Lucía")
    client.set_cookie(COOKIE, "es")
    response = client.submit("/login", {"login": user.username, "password": "wrong password!"})
    assert response.status_code == 401
    assert "El nombre de usuario o la contraseña no son correctos." in response.get_data(as_text=True)
    response = client.submit("/login", {"login": user.username, "password": PASSWORD})
    assert "Hola de nuevo, Lucía." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_registration_errors_in_french(client, make_user):
    make_user(username="prise")
    client.set_cookie(COOKIE, "fr")
    response = client.submit("/register", {"display_name": "Claire", "username": "prise", "email": "c@x.example",
                                           "country": "FR", "password": "une phrase assez longue", "timezone": "UTC"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Ce nom d’utilisateur est déjà pris." in page and "Votre nom" in page


def test_dates_and_numbers_follow_the_language(app, client):
    when = datetime(2026, 12, 7, 8, 13, tzinfo=UTC)
    with app.app_context(), app.test_request_context("/"):  # its own `g`: Flask-Babel keeps the locale there
        assert localtime(when) == "Mon 07 Dec 2026, 08:13 UTC"
        assert number(12345.678, 1) == "12,345.7"
    with app.app_context(), app.test_request_context("/", headers={"Cookie": f"{COOKIE}=es"}):
        assert localtime(when, zone="Europe/Madrid") == "lun 07 dic 2026, 09:13 CET"
        assert number(12345.678, 1) == "12.345,7"
    with app.app_context(), app.test_request_context("/", headers={"Cookie": f"{COOKIE}=fr"}):
        assert localtime(when, "%d %B %Y") == "07 décembre 2026"  # a date alone names no zone
