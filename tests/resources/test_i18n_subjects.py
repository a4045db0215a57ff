"""Subjects and age ranges in the reader's language: the names, the choices
every form offers (sorted by their translated name) and the pages that show
them. Their codes never change."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.extensions import db
from app.i18n import COOKIE
from app.resources import collections
from app.vocabulary import (
    SUBJECTS,
    age_range_choices,
    age_range_name,
    fold,
    subject_choices,
    subject_name,
    subject_names_everywhere,
)

pytestmark = pytest.mark.one_database  # words in five languages, not SQL


def page(client, path: str, locale: str) -> str:
    client.set_cookie(COOKIE, locale)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_names_follow_the_reader_and_codes_stay_codes(app):
    with app.test_request_context(), force_locale("es"):
        assert subject_name("mathematics") == "Matemáticas"
        assert age_range_name("11-14") == "De 11 a 14 años"
        assert subject_name("no-such-subject") == "no-such-subject" and subject_name(None) == ""
    with app.test_request_context(), force_locale("ar"):
        assert subject_name("history") == "التاريخ"
    with app.test_request_context():
        assert subject_name("mathematics") == "Mathematics" and age_range_name("18+") == "Adults and higher education"


def test_subject_choices_are_sorted_by_the_translated_name_accents_aside_other_last(app):
    with app.test_request_context(), force_locale("fr"):
        pairs = subject_choices()
    names = [name for _code, name in pairs]
    assert [code for code, _name in pairs][-1] == "other" and names[-1] == "Autre"
    assert names[:-1] == sorted(names[:-1], key=fold)
    # "Éducation physique…" sorts among the E's, not after "Théâtre".
    assert names.index("Éducation physique et sportive") < names.index("Histoire")
    assert sorted(code for code, _name in pairs) == sorted(SUBJECTS)
    with app.test_request_context(), force_locale("es"):
        assert [code for code, _name in age_range_choices()] == ["3-5", "5-7", "7-11", "11-14", "14-16", "16-18", "18+"]


def test_search_text_carries_the_subject_in_every_language(app):
    with app.app_context():
        names = subject_names_everywhere("mathematics", ("en", "es", "fr", "pt_BR", "ar"))
    assert names == ("Mathematics", "Matemáticas", "Mathématiques", "Matemática", "الرياضيات")
    assert subject_names_everywhere("nonsense", ("en", "es")) == ()


def test_a_resource_page_in_spanish_and_arabic_names_its_subject_and_ages(client, make_resource):
    resource = make_resource(subject="mathematics", age_ranges=["7-11", "11-14"])
    spanish = page(client, f"/resources/{resource.id}", "es")
    assert ">Matemáticas</a>" in spanish and "De 7 a 11 años" in spanish and "De 11 a 14 años" in spanish
    assert "Mathematics" not in spanish
    arabic = page(client, f"/resources/{resource.id}", "ar")
    assert "الرياضيات" in arabic and "من 7 إلى 11 سنة" in arabic


def test_the_library_filters_offer_translated_sorted_choices(client, make_resource):
    make_resource(subject="biology")
    html = page(client, "/library", "es")
    assert '<option value="mathematics">Matemáticas</option>' in html
    assert '<option value="11-14">De 11 a 14 años</option>' in html
    assert html.index(">Arte y diseño<") < html.index(">Biología<") < html.index(">Ciencias<")
    assert html.index(">Tecnología educativa<") < html.index(">Otra<")
    assert "Religious education" not in html
    # A card names its subject too.
    assert "Biología" in html


def test_profile_and_directory_forms_offer_translated_subjects(client, auth):
    auth.as_role()
    edit = page(client, "/settings/profile", "pt_BR")
    assert "Matemática</label>" in edit and "3 a 5 anos</label>" in edit
    directory = page(client, "/people", "fr")
    assert '<option value="languages">Langues vivantes</option>' in directory
    assert '<option value="18+">Adultes et enseignement supérieur</option>' in directory


def test_the_search_page_finds_a_resource_by_its_subject_in_spanish_or_french(client, make_resource, index_now):
    make_resource(title="Times tables bingo", subject="mathematics", description="Bingo cards for the 7s.")
    make_resource(title="Volcano model", subject="geography", description="Papier-mâché and baking soda.")
    index_now()
    for query in ("matemáticas", "matematicas", "mathématiques"):
        html = page(client, f"/search?q={query}", "es")
        assert "Times tables bingo" in html and "Volcano model" not in html, query
    facets = page(client, "/search?q=bingo", "es")
    assert "Matemáticas" in facets and ">Mathematics" not in facets


def test_words_shared_by_several_pages_agree_with_what_they_describe(client, auth, make_resource):
    """A collection is "Privada", a resource kept is "Conservarlo", a draft
    resource in French is feminine ("ressource"): each place has its own
    context in the catalogs (pgettext)."""
    owner = auth.as_role()
    collections.create_collection(owner, "Fracciones")
    collections.create_collection(owner, "Para todos", is_public=True)
    listed = page(client, "/collections", "es")
    assert "Privada" in listed and "Pública" in listed and "Privado" not in listed
    resource = make_resource(owner=owner, status="draft")
    assert ">Conservarlo</a>" in page(client, f"/resources/{resource.id}/delete", "es")
    assert '<span class="badge status-draft">Brouillon</span>' in page(client, "/my/resources", "fr")
    hidden = make_resource(owner=owner)
    hidden.status = "hidden"
    db.session.commit()
    assert '<span class="badge status-hidden">Masquée</span>' in page(client, "/my/resources", "fr")
