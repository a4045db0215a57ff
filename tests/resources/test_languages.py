"""A resource's language: chosen, or detected from its words (when the
uploader leaves it), shown as detected and editable, on the pages and the API."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.i18n import COOKIE
from app.resources import services as library
from app.resources.models import Resource
from app.vocabulary import fold
from tests.resources.samples import txt_bytes, upload_form

pytestmark = pytest.mark.one_database  # detecting a language from words, not SQL

SPANISH = "La evaluación formativa ayuda a los alumnos a aprender mejor en el aula cada día."
FRENCH = "Les enseignants préparent des évaluations pour mesurer les progrès des élèves en classe."


def link(owner, **fields):
    body = {"title": "Rúbricas", "url": "https://example.org/r", "subject": "english", "license": "cc-by", **fields}
    return owner.post("/resources", json=body)


def test_left_out_the_language_is_detected_from_title_and_description(owner):
    body = link(owner, description=SPANISH).get_json()
    assert (body["language"], body["language_detected"]) == ("es", True)
    body = link(owner, description=FRENCH, language="detect").get_json()
    assert (body["language"], body["language_detected"]) == ("fr", True)


def test_too_few_words_leave_the_language_unknown(owner):
    body = link(owner, language="").get_json()
    assert (body["language"], body["language_detected"]) == (None, True)


def test_a_chosen_language_is_kept_and_choosing_ends_detection(owner):
    body = link(owner, description=SPANISH, language="pt").get_json()
    assert (body["language"], body["language_detected"]) == ("pt", False)
    detected = link(owner, description=SPANISH).get_json()
    kept = owner.patch(f"/resources/{detected['id']}", json={"language": "es"}).get_json()
    assert (kept["language"], kept["language_detected"]) == ("es", True)  # the same value: still a guess
    chosen = owner.patch(f"/resources/{detected['id']}", json={"language": "ca"}).get_json()
    assert (chosen["language"], chosen["language_detected"]) == ("ca", False)


def test_a_bad_language_is_422_and_nothing_changes(owner):
    body = link(owner, description=SPANISH).get_json()
    for bad in ("xx", "español", "ES1"):
        response = owner.patch(f"/resources/{body['id']}", json={"language": bad, "title": "Cambiado"})
        assert response.status_code == 422 and "language" in response.get_json()["error"]["fields"]
    again = owner.get(f"/resources/{body['id']}").get_json()
    assert (again["title"], again["language"]) == ("Rúbricas", "es")


def test_the_text_job_detects_again_from_the_file_s_words(owner, app, index_now):
    response = owner.post("/resources", data=upload_form(txt_bytes(" ".join([SPANISH] * 3)), "notas.txt",
                                                         title="Notas de clase 2024"))
    assert response.status_code == 201, response.get_json()
    resource_id = response.get_json()["id"]
    chosen = owner.post("/resources", data=upload_form(txt_bytes(SPANISH), "notes.txt", language="en")).get_json()
    index_now()
    body = owner.get(f"/resources/{resource_id}").get_json()
    assert (body["language"], body["language_detected"]) == ("es", True)
    assert owner.get(f"/resources/{chosen['id']}").get_json()["language"] == "en"  # chosen: left alone


def test_edit_page_says_it_was_detected_and_a_pick_replaces_it(app, make_user, client_for):
    user = make_user()
    with app.app_context():
        resource = library.create_resource(user, title="Evaluación formativa", description=SPANISH,
                                           subject="english", license="cc-by", url="https://example.org/e")
        resource_id = resource.id
    browser = client_for(user)
    page = browser.get(f"/resources/{resource_id}/edit").get_data(as_text=True)
    assert "Detected from its words: Spanish" in page and "Detect from its words" in page
    assert "(detected)" in browser.get(f"/resources/{resource_id}").get_data(as_text=True)
    form = {"title": "Evaluación formativa", "description": SPANISH, "subject": "english", "license": "cc-by",
            "language": "fr", "status": "published", "url": "https://example.org/e"}
    assert browser.submit(f"/resources/{resource_id}/edit", form).status_code == 302
    with app.app_context():
        saved = db.session.get(Resource, resource_id)
        assert (saved.language, saved.language_detected) == ("fr", False)
    form["language"] = "qq"
    response = browser.submit(f"/resources/{resource_id}/edit", form)
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)


def options(html: str, name: str) -> list[tuple[str, str]]:
    """A select box's (value, label) pairs, in order."""
    box = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option(?: selected)? value="([^"]*)"[^>]*>([^<]*)</option>', box)


def test_the_language_list_is_in_the_readers_language_sorted_accents_aside(make_user, client_for):
    browser = client_for(make_user())
    browser.set_cookie(COOKIE, "es")
    listed = options(browser.get("/resources/new").get_data(as_text=True), "language")
    assert listed[0] == ("detect", "Detectar a partir del texto")
    names = [name for _code, name in listed[1:]]
    assert ("es", "Español") in listed and ("de", "Alemán") in listed and "Spanish" not in names
    assert names == sorted(names, key=fold) and names.index("Árabe") < names.index("Chino")


def test_the_edit_page_says_what_was_detected_in_the_readers_language(app, make_user, client_for):
    user = make_user()
    with app.app_context():
        detected = library.create_resource(user, title="Evaluación formativa", description=SPANISH,
                                           subject="english", license="cc-by", url="https://example.org/e")
        unknown = library.create_resource(user, title="Quiz", subject="english", license="cc-by",
                                          url="https://example.org/q")
        ids = detected.id, unknown.id
    browser = client_for(user)
    browser.set_cookie(COOKIE, "fr")
    page = browser.get(f"/resources/{ids[0]}/edit").get_data(as_text=True)
    assert "Langue détectée d’après le texte : Espagnol." in page and "Detected from its words" not in page
    assert ("detect", "Détecter d’après le texte") in options(page, "language")
    page = browser.get(f"/resources/{ids[1]}/edit").get_data(as_text=True)
    assert "Le texte est trop court pour reconnaître la langue" in page


def test_a_bad_language_is_refused_in_the_readers_language(owner):
    response = owner.post("/resources", headers={"Accept-Language": "pt-BR"}, json={
        "title": "Frações", "url": "https://example.org/f", "subject": "mathematics", "license": "cc-by",
        "language": "xx"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["language"].startswith("Escolha um idioma da lista")
