"""The translation catalogs: complete, placeholders intact, compiled files current."""

from __future__ import annotations

import json
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from app import i18n_catalogs
from app.i18n_catalogs import TRANSLATED, TRANSLATIONS

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.mark.parametrize("locale", TRANSLATED)
def test_no_fuzzy_untranslated_or_broken_entries(locale):
    assert i18n_catalogs.problems(locale) == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_placeholders_match_the_english(locale):
    for message in i18n_catalogs.load(locale):
        if not message.id:
            continue
        if message.pluralizable:
            # A form may leave the number out ("ثانيتين": two seconds), never add a name.
            allowed = set(PLACEHOLDER.findall(message.id[1]))
            for form in message.string:
                assert set(PLACEHOLDER.findall(form)) <= allowed, (locale, message.id, form)
        else:
            assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), message.id


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_extracted_string_is_in_the_catalog(locale):
    with (TRANSLATIONS / "messages.pot").open("rb") as source:
        template = {(message.context, message.id) for message in read_po(source) if message.id}
    catalog = {(message.context, message.id) for message in i18n_catalogs.load(locale) if message.id}
    assert template - catalog == set(), "run pybabel update (docs/ARCHITECTURE.md, Languages)"


def test_compiled_catalogs_are_current():
    assert i18n_catalogs.stale() == [], "run `flask i18n compile` and commit the result"


def test_script_catalogs_leave_out_messages_with_a_context():
    """Scripts have no pgettext: a message with a context would overwrite
    the plain one of the same text in the JSON."""
    catalog = Catalog(locale="es")
    catalog.add("Keep it", "Conservarlo", locations=[("static/js/room.js", 1)])
    catalog.add("Keep it", "Conservarla", locations=[("static/js/room.js", 2)], context="activity")
    document = json.loads(i18n_catalogs.js_bytes(catalog))
    assert document["messages"] == {"Keep it": "Conservarlo"}
