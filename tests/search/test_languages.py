"""Resources in many languages: each indexed with its own language's stemmer,
the query analysed for the searcher's language and English, and "language"
as a facet and a filter on the page and the API."""

from __future__ import annotations

import pytest

from app.resources import services as library
from app.search import service as search

pytestmark = pytest.mark.one_database  # analysis and stemming in the index, not SQL


@pytest.fixture
def shelf(app, make_user, index_now):
    owner = make_user(display_name="Sofía García")
    made = {}
    for key, title, description, language in [
        ("es", "Evaluación formativa en el aula", "Enseñar a evaluar con rúbricas y preguntas.", "es"),
        ("fr", "Évaluer les élèves", "Les enseignants partagent leurs grilles d'évaluation.", "fr"),
        ("pt", "Professora de matemática", "Avaliação com atividades para alunos.", "pt"),
        ("en", "Formative assessment in class", "Evaluation with rubrics and exit tickets.", "en"),
    ]:
        made[key] = library.create_resource(owner, title=title, description=description, language=language,
                                            subject="other", license="cc-by", url=f"https://example.org/{key}")
    index_now()
    return made


def titles(text: str, query_language: str | None = None, **filters) -> set[str]:
    return {hit.title for hit in search.search(text, None, query_language=query_language, **filters).hits}


def test_evaluaciones_finds_evaluacion(shelf):
    assert "Evaluación formativa en el aula" in titles("evaluaciones", "es")


def test_spanish_verb_forms_meet_through_the_spanish_stemmer_only(shelf):
    assert titles("enseñamos", "es") == {"Evaluación formativa en el aula"}
    assert titles("enseñamos", "en") == set()  # the English analysis alone does not join them


def test_french_and_portuguese_inflections(shelf):
    assert "Évaluer les élèves" in titles("évaluations", "fr")
    assert "Évaluer les élèves" in titles("enseignant", "fr")
    assert titles("professores", "pt") == {"Professora de matemática"}
    assert titles("professores", "en") == set()


def test_english_searchers_still_find_every_language_by_its_words(shelf):
    assert titles("rúbricas") == {"Evaluación formativa en el aula"}
    assert titles("rubrics") == {"Formative assessment in class"}


def test_a_phrase_in_the_searcher_s_language(shelf):
    assert titles('"evaluaciones formativas"', "es") == {"Evaluación formativa en el aula"}


def test_language_facet_and_filter(shelf):
    found = search.search("evaluation OR evaluación OR évaluation OR avaliação", None)
    assert found.facets["language"] == {"es": 1, "fr": 1, "pt": 1, "en": 1}
    assert titles("evaluation OR evaluación", language="es") == {"Evaluación formativa en el aula"}


def test_api_filter_facet_and_hit_language(client, shelf):
    body = client.get("/api/v1/search", query_string={"q": "evaluaciones", "lang": "es", "language": "es"}).get_json()
    assert [(r["title"], r["language"]) for r in body["results"]] == [("Evaluación formativa en el aula", "es")]
    assert body["facets"]["language"] == {"es": 1}
    body = client.get("/api/v1/search", query_string={"q": "enseñamos"},
                      headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).get_json()
    assert [r["title"] for r in body["results"]] == ["Evaluación formativa en el aula"]
    assert client.get("/api/v1/search", query_string={"q": "enseñamos"}).get_json()["total"] == 0


@pytest.mark.parametrize("query,field", [({"language": "xx"}, "language"), ({"language": "spanish"}, "language"),
                                         ({"lang": "zz"}, "lang")])
def test_api_bad_language_is_422(client, shelf, query, field):
    response = client.get("/api/v1/search", query_string={"q": "evaluación", **query})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_page_language_facet_links_and_filters(client, shelf):
    page = client.get("/search?q=evaluación OR évaluation&lang=es").get_data(as_text=True)
    assert "<h3>Language</h3>" in page
    assert 'href="/search?q=evaluaci%C3%B3n+OR+%C3%A9valuation&amp;language=fr&amp;lang=es"' in page
    assert "Spanish <span class=\"muted\">(1)</span>" in page
    page = client.get("/search?q=evaluación OR évaluation&language=fr").get_data(as_text=True)
    assert "1 result" in page and "les élèves</a>" in page and "en el aula" not in page
    assert '<input type="hidden" name="language" value="fr">' in page
    # An unknown language on the page is ignored, like the other filters
    assert "3 results" in client.get("/search?q=evaluación OR évaluation&language=xx").get_data(as_text=True)
