"""The programmes in other languages: pages, plurals, ordinals, weekday
names, distances, form labels and errors, flash messages and the autosave's
JSON message follow the reader's language; English stays as it was (the
other programme tests)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from app.i18n import COOKIE
from app.programmes import collaborate, geo, schools, services
from app.vocabulary import fold
from tests.helpers import csrf_from
from tests.programmes.conftest import ANNOUNCE, NOW

pytestmark = pytest.mark.one_database  # words in five languages, not SQL

STATIC_I18N = Path(__file__).resolve().parents[2] / "static" / "i18n"


def page_in(browser, locale: str, path: str, status: int = 200) -> str:
    browser.set_cookie(COOKIE, locale)
    response = browser.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("locale", "said", "unsaid"), [
    ("es", ["Candidaturas", "Inicia sesión</a> para presentar tu candidatura.", "Cohortes de expertos",
            "Candidaturas abiertas"], ["Nominations", "Taking nominations", "Expert cohorts"]),
    ("ar", ["الترشيحات", "سجّل الدخول</a> لترشيح نفسك.", "دفعات الخبراء", "باب الترشيح مفتوح"],
     ["Nominations", "Taking nominations", "Expert cohorts"]),
])
def test_the_programmes_page_in_spanish_and_arabic(make_cohort, clock, client, locale, said, unsaid):
    make_cohort()
    text = page_in(client, locale, "/programmes")
    for words in said:
        assert words in text, words
    for words in unsaid:
        assert words not in text, words


def test_the_cohort_page_counts_characters_in_each_language(make_cohort, clock, client):
    cohort = make_cohort()
    assert "Hasta 500 caracteres." in page_in(client, "es", f"/programmes/cohorts/{cohort.id}")
    arabic = page_in(client, "ar", f"/programmes/cohorts/{cohort.id}")
    assert "حتى 500 حرف." in arabic and "Up to" not in arabic and "Key dates" not in arabic


def test_the_experts_list_has_real_plurals_and_ordinals(make_cohort, make_user, submitted, admin, client, clock):
    past = [make_cohort(year, opens=NOW - timedelta(days=10), closes=NOW + timedelta(days=1),
                        announce=NOW + timedelta(days=3 + n)) for n, year in enumerate(("2024-2025", "2025-2026"))]
    ada = make_user("ada", display_name="Ada Lovelace", country="GB")
    grace = make_user("grace", display_name="Grace Hopper", country="US")
    submitted(past[0], ada, "accepted", admin)
    submitted(past[1], ada, "accepted", admin)
    submitted(past[1], grace, "accepted", admin)
    clock.at(NOW + timedelta(days=30))
    spanish = page_in(client, "es", "/programmes/experts/2025-2026")
    assert "2 expertos, por país." in spanish and "2.º año" in spanish and "1.º año" in spanish
    assert "Expertos Staffroom 2025-2026" in spanish and "2nd year" not in spanish and "Download CSV" not in spanish
    french = page_in(client, "fr", "/programmes/experts/2025-2026?q=Ada")
    assert "1 expert correspondant à « Ada », par pays." in french and "2e année" in french
    arabic = page_in(client, "ar", "/programmes/experts/2025-2026")
    assert "خبيران، حسب البلد." in arabic and "السنة 2" in arabic and "Staffroom Experts" not in arabic
    assert "2nd year" in page_in(client, "en", "/programmes/experts/2025-2026")  # English as before


def test_the_schools_directory_in_spanish_formats_the_distance(make_user, client):
    leader = make_user()
    for key, name in (("edinburgh", "Old Town High"), ("paris", "Lycée Victor Hugo")):
        city, country, lat, lon = geo.CITIES[key]
        schools.create_school(leader, name=name, country=country, city=city, latitude=lat, longitude=lon)
    text = page_in(client, "es", "/schools?near=edinburgh")
    assert "Descubre una Escuela Referente cerca de ti" in text and "Centros en incubación (2)" in text
    assert "a 0 km" in text and " km away" not in text
    assert "1.er año en el programa" not in text and "1.º año en el programa" in text
    assert "Discover a Showcase School" not in text
    assert ">Elige una ciudad</option>" in text and "Choose a city" not in text


def test_the_board_says_days_offers_and_hours_in_arabic(make_user, client):
    amira = make_user("amira", country="SA", timezone="Asia/Riyadh", subjects=["english"])
    collaborate.create_request(amira, title="A guest speaker for my class", subject="english", age_range="11-14",
                               language="en", weekdays=[0, 2], start_minute=600, end_minute=780)
    text = page_in(client, "ar", "/collaborate")
    assert "تعاون عبر البلدان" in text and "لا عروض" in text and "الاثنين، الأربعاء" in text  # Babel's day names
    assert "Mon, Wed" not in text and "0 offers" not in text and "Open requests" not in text


def test_a_form_error_and_a_flash_message_in_spanish(make_user, client_for):
    poster = make_user("poster", timezone="Europe/Madrid")
    browser = client_for(poster)
    token = csrf_from(page_in(browser, "es", "/collaborate/new"))
    refused = browser.post("/collaborate/new", data={"csrf_token": token, "title": "", "start": "09:00",
                                                      "end": "17:00", "language": "es"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "¿Qué buscas?" in text and "Publicar una solicitud de colaboración" in text
    assert "What are you looking for?" not in text and "Post request" not in text
    token = csrf_from(page_in(browser, "es", "/programmes/certifications"))
    done = browser.post("/programmes/certifications", data={"csrf_token": token, "name": "Certified Educator"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Añadida a tu perfil, indicada como declarada por ti." in done and "Mis certificaciones" in done


def test_the_autosave_answers_in_the_pages_language(make_cohort, make_user, client_for, clock):
    cohort = make_cohort()
    member = make_user("amal")
    browser = client_for(member)
    browser.set_cookie(COOKIE, "ar")
    started = browser.post(f"/programmes/cohorts/{cohort.id}/apply",
                           data={"csrf_token": csrf_from(browser.get(f"/programmes/cohorts/{cohort.id}")
                                                         .get_data(as_text=True))})
    path = started.location
    page = browser.get(path).get_data(as_text=True)
    assert "حفظ المسودة" in page and "Save draft" not in page and "الأدلة" in page
    saved = browser.post(path, data={"csrf_token": csrf_from(page), "action": "save"},
                         headers={"X-Requested-With": "fetch"})
    assert saved.status_code == 200 and saved.get_json()["message"].startswith("حُفظت المسودة الساعة 12:00")


@pytest.mark.parametrize("locale", ["es", "fr", "pt_BR", "ar"])
def test_the_autosave_script_has_its_words_in_every_catalog(locale):
    messages = json.loads((STATIC_I18N / f"{locale}.json").read_text(encoding="utf-8"))["messages"]
    for words in ("Saving…", "Unsaved changes…", "Saved from another tab or window (not overwritten):"):
        assert messages.get(words), (locale, words)


def test_api_errors_of_the_programme_services_follow_accept_language(make_cohort, make_user, api, clock):
    cohort = make_cohort(opens=NOW + timedelta(days=1))
    api.login(make_user("ines").username)
    early = api.post(f"/cohorts/{cohort.id}/applications", headers={"Accept-Language": "es"})
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "conflict"
    assert early.get_json()["error"]["message"].startswith("Las candidaturas para 2026-2027 abren el ")
    assert " a las " in early.get_json()["error"]["message"]
    clock.at(NOW + timedelta(days=2))
    started = api.post(f"/cohorts/{cohort.id}/applications", headers={"Accept-Language": "en"}).get_json()
    refused = api.post(f"/applications/{started['id']}/submit", headers={"Accept-Language": "fr"})
    body = refused.get_json()["error"]
    assert refused.status_code == 422 and body["code"] == "validation_error"
    assert body["message"] == "Certaines réponses demandent votre attention avant l’envoi."
    assert "La question 1 attend une réponse." in body["fields"].values()


def test_a_service_error_on_a_page_in_portuguese(make_user, client_for):
    leader = make_user("lider")
    browser = client_for(leader)
    token = csrf_from(page_in(browser, "pt_BR", "/schools/new"))
    refused = browser.post("/schools/new", data={"csrf_token": token, "name": "Escola", "country": "BR",
                                                 "city": "Recife", "latitude": "10"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Informe a latitude e a longitude, ou nenhuma das duas." in text and "Cadastre sua escola" in text
    assert "Give both latitude" not in text


def test_why_a_school_cannot_apply_yet_in_french(make_user, admin, client_for, clock):
    for title in ("A shared vision", "A professional development plan", "Evidence of improved outcomes"):
        schools.save_checklist_item(admin, title=title)
    schools.add_window(admin, name="Printemps", opens_at=NOW - timedelta(days=1), closes_at=NOW + timedelta(days=30))
    leader = make_user("directrice")
    school = schools.create_school(leader, name="Lycée Victor Hugo", country="FR", city="Paris", now=NOW)
    text = page_in(client_for(leader), "fr", f"/schools/{school.id}")
    assert "Cochez tous les critères d’incubation, avec leurs preuves, avant de candidater." in text
    assert "0 critères remplis sur 3." in text and "1re année dans le programme" in text
    assert "Tick every item" not in text and "Incubator checklist" not in text


@pytest.mark.parametrize(("locale", "hint", "title"), [
    ("es", "Por ejemplo, 2026-2027.", "Título"),
    ("fr", "Par exemple 2026-2027.", "Titre"),
    ("pt_BR", "Por exemplo, 2026-2027.", "Título"),
    ("ar", "مثلًا: 2026-2027.", "العنوان"),
])
def test_the_school_year_hint_gives_the_example_not_the_title_label(admin, client_for, locale, hint, title):
    text = page_in(client_for(admin), locale, "/programmes/admin/cohorts/new")
    assert hint in text and f">{title}<" in text


def test_the_result_notices_read_in_each_applicants_language(make_cohort, make_user, submitted, admin, clock,
                                                             client_for, api_for):
    cohort = make_cohort()
    accepted, waiting = make_user("ada"), make_user("cyril")
    applications = {"accepted": submitted(cohort, accepted, "accepted", admin),
                    "waitlisted": submitted(cohort, waiting, "waitlisted", admin)}
    clock.at(ANNOUNCE)
    assert services.announce_due() == [cohort]
    page = page_in(client_for(waiting), "es", "/notifications")
    assert f"Expertos Staffroom {cohort.school_year}: estás en la lista de espera." in page
    arabic = api_for(accepted).get("/notifications", headers={"Accept-Language": "ar"}).get_json()["items"]
    assert arabic[0]["text"] == f"تهانينا: أصبحت خبيرًا في Staffroom لعام \u2068{cohort.school_year}\u2069."
    assert arabic[0]["url"] == f"/programmes/applications/{applications['accepted'].id}"
    english = api_for(accepted).get("/notifications").get_json()["items"]
    assert english[0]["text"] == f"Congratulations: you are a Staffroom Expert {cohort.school_year}."


def test_collaboration_requests_name_subjects_and_ages_in_the_readers_language(make_user, client_for, client):
    amira = make_user("amira", country="SA", timezone="Asia/Riyadh", subjects=["english"])
    made = collaborate.create_request(amira, title="A guest speaker", subject="mathematics", age_range="11-14",
                                      language="en", weekdays=[0], start_minute=600, end_minute=780)
    form = page_in(client_for(make_user("poster")), "es", "/collaborate/new")
    assert '<option value="mathematics">Matemáticas</option>' in form
    assert '<option value="">Elige una franja de edad</option>' in form and "Choose an age range" not in form
    board = page_in(client, "ar", "/collaborate")
    assert "الرياضيات" in board and "من 11 إلى 14 سنة" in board and "Mathematics" not in board
    request_page = page_in(client, "fr", f"/collaborate/{made.id}")
    assert "<dd>Mathématiques</dd>" in request_page and "<dd>11 à 14 ans</dd>" in request_page


def language_options(html: str) -> list[tuple[str, str]]:
    """The (value, label) pairs of the form's language list (not the page's language switcher)."""
    box = re.search(r'<select[^>]*name="language"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option(?: selected)? value="([^"]*)"[^>]*>([^<]*)</option>', box)


def test_the_boards_language_lists_name_languages_in_the_readers_language(make_user, client_for, client):
    listed = language_options(page_in(client_for(make_user("poster")), "fr", "/collaborate/new"))
    names = [name for _code, name in listed]
    assert ("en", "Anglais") in listed and ("de", "Allemand") in listed and "English" not in names
    assert names == sorted(names, key=fold)
    listed = language_options(page_in(client, "ar", "/collaborate"))
    assert listed[0][0] == "" and ("ar", "العربية") in listed and "Arabic" not in dict(listed).values()
    hours = page_in(client_for(make_user("helper")), "es", "/collaborate/availability")
    assert "Portugués" in hours and "Portuguese" not in hours


def test_the_experts_list_finds_a_subject_by_its_name_in_any_language(
        make_cohort, make_user, submitted, admin, client, clock):
    cohort = make_cohort("2025-2026", opens=NOW - timedelta(days=10), closes=NOW + timedelta(days=1),
                         announce=NOW + timedelta(days=3))
    submitted(cohort, make_user("ada", display_name="Ada Lovelace", subjects=["mathematics"]), "accepted", admin)
    submitted(cohort, make_user("grace", display_name="Grace Hopper", subjects=["computing"]), "accepted", admin)
    clock.at(NOW + timedelta(days=30))
    for query in ("matematicas", "Mathématiques", "الرياضيات"):
        found = page_in(client, "es", f"/programmes/experts/2025-2026?q={query}")
        assert "Ada Lovelace" in found and "Grace Hopper" not in found, query
