"""Resources in many languages: shared with the language left to be
detected, found by a Spanish-speaking visitor through an inflected word, and
narrowed with the language facet, at desktop and phone widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.resources import services as library
from tests.e2e.conftest import educator, sign_in

PHONE = {"width": 390, "height": 844}
SPANISH = "La evaluación formativa ayuda a los alumnos a aprender mejor: rúbricas, preguntas y boletos de salida."


@pytest.fixture
def app_settings():
    # The web process runs the index writer, as `make run` has it.
    return {"SEARCH_WORKER": "thread", "SEARCH_POLL_SECONDS": 0.2}


def test_detected_language_search_and_language_facet(live_server, page, new_page, shot):
    with live_server.app.app_context():
        sofia = educator("sofia_g", "Sofía García", country="MX")
        common = {"subject": "other", "license": "cc-by"}
        library.create_resource(sofia, title="Évaluer les élèves", language="fr", url="https://example.org/fr",
                                description="Les enseignants partagent leurs grilles d'évaluation.", **common)
        library.create_resource(sofia, title="Evaluation exit tickets", language="en", url="https://example.org/en",
                                description="Evaluación in English classrooms.", **common)

    # Shared through the form with the language left to be detected
    sign_in(page, "sofia_g")
    page.goto("/resources/new")
    expect(page.get_by_label("Language", exact=True)).to_have_value("detect")
    page.get_by_label("Title").fill("Evaluación formativa en el aula")
    page.get_by_label("Description").fill(SPANISH)
    page.get_by_label("Subject").select_option("other")
    page.get_by_label("Licence").select_option("cc-by")
    page.get_by_label("Link").fill("https://example.org/es")
    page.get_by_role("button", name=re.compile("Share|Save|Publish")).first.click()
    expect(page.locator("dl")).to_contain_text("Spanish (detected)")

    # A Spanish-speaking visitor (the whole page in Spanish) finds it by an inflected word
    visitor = new_page(locale="es-ES")
    for _ in range(40):  # the index worker applies the new resource a moment later
        visitor.goto("/search?q=evaluaciones")
        if visitor.get_by_role("link", name=re.compile("^Español")).count():
            break
        visitor.wait_for_timeout(250)
    results = visitor.locator("ol.results")
    expect(results).to_contain_text("Evaluación formativa en el aula")
    expect(results.locator(".result-language").first).to_contain_text("Español")
    facets = visitor.get_by_role("complementary", name="Afinar")
    expect(facets.get_by_role("heading", name="Idioma")).to_be_visible()
    shot(visitor, "01-language-facet-1280")

    facets.get_by_role("link", name=re.compile("^Español")).click()
    expect(visitor).to_have_url(re.compile(r"language=es"))
    expect(visitor.get_by_role("status")).to_contain_text("1 resultado")
    expect(results).not_to_contain_text("exit tickets")
    expect(facets.get_by_role("link", name=re.compile("Español.*quitar"))).to_have_attribute("aria-current", "true")

    visitor.set_viewport_size(PHONE)
    visitor.goto("/search?q=evaluaciones")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(visitor, "02-language-facet-390")
    visitor.get_by_role("link", name=re.compile("^Español")).focus()
    visitor.keyboard.press("Enter")
    expect(visitor.get_by_role("status")).to_contain_text("1 resultado")
    shot(visitor, "03-language-filtered-390")
