"""Detecting the language a resource's words are in (app/language_detect.py)."""

from __future__ import annotations

import pytest

from app.language_detect import detect_language

TEXTS = {
    "es": "La evaluación formativa ayuda a los alumnos a aprender mejor en el aula cada día.",
    "fr": "Les enseignants préparent des évaluations pour mesurer les progrès des élèves.",
    "pt": "Os professores preparam atividades para os alunos aprenderem matemática na escola.",
    "en": "Teachers prepare worksheets so that pupils can practise fractions at home.",
}


@pytest.fixture(autouse=True)
def _no_database_param():
    """Pure functions: once, not per database backend."""


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_each_language_is_detected_and_always_the_same_way(code):
    assert [detect_language(TEXTS[code]) for _ in range(3)] == [code] * 3


def test_title_description_and_text_count_together():
    assert detect_language("Evaluación", None, "", TEXTS["es"]) == "es"


@pytest.mark.parametrize("parts", [(), (None, ""), ("Hola",), ("PDF 2024 v2",), ("12345 67890 " * 5,)])
def test_too_little_text_gives_no_language(parts):
    assert detect_language(*parts) is None
