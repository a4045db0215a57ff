"""Shared vocabularies: subjects, age ranges, file kinds, languages, countries and time zones.

Profiles use them now; resources, the directory and search filters use the
same lists so a subject means one thing everywhere.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from functools import lru_cache

import pycountry
from babel import Locale
from flask import has_app_context
from flask_babel import force_locale, get_locale, gettext


def N_(message: str) -> str:
    """Marks a name for `pybabel extract` (as `i18n.N_`, which this module
    cannot import: i18n's forms import it)."""
    return message


# What a resource is: the kind of its file (detected from the bytes) or a link.
# The library's filter, its API's `kind` and search's file-type facet
# (`type=pdf`) use these values.
FILE_KINDS: dict[str, str] = {
    "pdf": "PDF", "document": "Word document", "presentation": "Slide deck", "spreadsheet": "Spreadsheet",
    "image": "Image", "text": "Text", "link": "Link",
}

# Subjects and age ranges stay English where they are defined (N_): the
# filters `subject_name` and `age_range_name`, `subject_choices` and
# `age_range_choices` show them in the reader's language.
SUBJECTS: dict[str, str] = {
    "art": N_("Art and design"),
    "biology": N_("Biology"),
    "chemistry": N_("Chemistry"),
    "computing": N_("Computing"),
    "drama": N_("Drama"),
    "english": N_("English"),
    "geography": N_("Geography"),
    "history": N_("History"),
    "languages": N_("Modern languages"),
    "mathematics": N_("Mathematics"),
    "music": N_("Music"),
    "pe": N_("Physical education"),
    "physics": N_("Physics"),
    "science": N_("Science"),
    "religious-education": N_("Religious education"),
    "citizenship": N_("Citizenship"),
    "special-needs": N_("Special educational needs"),
    "early-years": N_("Early years"),
    "leadership": N_("School leadership"),
    "edtech": N_("Education technology"),
    "other": N_("Other"),
}

AGE_RANGES: dict[str, str] = {
    "3-5": N_("Ages 3-5"),
    "5-7": N_("Ages 5-7"),
    "7-11": N_("Ages 7-11"),
    "11-14": N_("Ages 11-14"),
    "14-16": N_("Ages 14-16"),
    "16-18": N_("Ages 16-18"),
    "18+": N_("Adults and higher education"),
}


def subject_name(code: str | None) -> str:
    """A subject in the reader's language; the code itself when it is not one."""
    if not code:
        return ""
    return gettext(SUBJECTS[code]) if code in SUBJECTS else code


def age_range_name(code: str | None) -> str:
    """An age range in the reader's language; the code itself when it is not one."""
    if not code:
        return ""
    return gettext(AGE_RANGES[code]) if code in AGE_RANGES else code


def subject_choices() -> list[tuple[str, str]]:
    """(code, name) pairs for select boxes, sorted by name in the reader's
    language (accents aside), "Other" last."""
    named = [(code, subject_name(code)) for code in SUBJECTS if code != "other"]
    return [*sorted(named, key=lambda p: fold(p[1])), ("other", subject_name("other"))]


def age_range_choices() -> list[tuple[str, str]]:
    """(code, name) pairs, youngest first, in the reader's language."""
    return [(code, age_range_name(code)) for code in AGE_RANGES]


def subject_names_everywhere(code: str | None, locales) -> tuple[str, ...]:
    """The subject's name in each of `locales`, once each: search documents
    carry them all, so a searcher finds it by the name in their language."""
    if code not in SUBJECTS:
        return ()
    if not has_app_context():
        return (SUBJECTS[code],)  # no catalogs to read: not worth remembering
    return _names_everywhere(SUBJECTS[code], tuple(locales))


@lru_cache(maxsize=64)
def _names_everywhere(english: str, locales: tuple[str, ...]) -> tuple[str, ...]:
    names = []
    for locale in locales:
        with force_locale(locale):
            name = gettext(english)
        if name not in names:
            names.append(name)
    return tuple(names)


# Languages (ISO 639-1 codes) the resource form and the collaboration board
# offer, by their English names; `languages()` names them in the reader's
# language. A resource made through the API may carry any ISO 639-1 code
# (`is_language`); `language_name` names those too.
LANGUAGES: dict[str, str] = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese",
    "ar": "Arabic", "az": "Azerbaijani", "hi": "Hindi", "ja": "Japanese", "sw": "Swahili",
    "zh": "Chinese", "ru": "Russian", "it": "Italian", "tr": "Turkish",
}


def languages(locale: str | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs of LANGUAGES for select boxes, named (Babel) and
    sorted (accents aside) in the reader's language."""
    return _languages(locale or _reader_locale())


@lru_cache(maxsize=16)
def _languages(locale: str) -> list[tuple[str, str]]:
    return sorted(((code, language_name(code, locale=locale)) for code in LANGUAGES), key=lambda p: fold(p[1]))


def is_language(code: str | None) -> bool:
    """An ISO 639-1 code (two lowercase letters that name a language)."""
    return bool(code) and len(code) == 2 and code.islower() and pycountry.languages.get(alpha_2=code) is not None


def _english_country_name(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def _reader_locale() -> str:
    """The language names are shown in: the request's (or a `force_locale`
    block's), English outside one."""
    return str(get_locale() or "en")


@lru_cache(maxsize=16)
def _territories(locale: str) -> dict[str, str]:
    """Babel's (CLDR's) country names for `locale`; none for English, which
    keeps pycountry's names as the site always showed them."""
    if locale.split("_")[0] == "en":
        return {}
    return dict(Locale.parse(locale).territories)


def country_name(code: str | None, locale: str | None = None) -> str:
    """A country's name in the reader's language (Babel), the code itself
    when it is not a country."""
    if not code:
        return ""
    code = code.upper()
    english = _english_country_name(code)
    if english is None:
        return code
    return _territories(locale or _reader_locale()).get(code, english)


def is_country(code: str | None) -> bool:
    return bool(code) and len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


def country_flag(code: str | None) -> str:
    """The flag emoji: two regional indicator symbols."""
    if not is_country(code):
        return ""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code.upper())


def fold(name: str) -> str:
    """Accents and case aside, so Égypte sorts among the E's and
    "matematicas" finds "Matemáticas"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def countries(locale: str | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the reader's language, for select boxes."""
    return _countries(locale or _reader_locale())


@lru_cache(maxsize=16)
def _countries(locale: str) -> list[tuple[str, str]]:
    names = ((c.alpha_2, country_name(c.alpha_2, locale)) for c in pycountry.countries)
    if locale.split("_")[0] == "en":
        return sorted(names, key=lambda p: p[1])  # as the list always was
    return sorted(names, key=lambda p: fold(p[1]))


# Entries of the tz database that are not places people live in.
_NOT_ZONES = {"localtime", "Factory", "posixrules"}


@lru_cache(maxsize=1)
def timezones() -> list[str]:
    return sorted(zoneinfo.available_timezones() - _NOT_ZONES)


def is_timezone(name: str | None) -> bool:
    return bool(name) and name in _timezone_set()


@lru_cache(maxsize=1)
def _timezone_set() -> frozenset[str]:
    return frozenset(timezones())


def language_name(code: str | None, english: str | None = None, locale: str | None = None) -> str:
    """A language's name in the reader's language (Babel's, capitalised as a
    list item). English readers get `english` (the site's own name), else
    LANGUAGES', else pycountry's; the code itself when nothing names it."""
    if not code:
        return ""
    known = pycountry.languages.get(alpha_2=code)
    english = english or LANGUAGES.get(code) or (known.name if known else code)
    locale = locale or _reader_locale()
    if locale.split("_")[0] == "en":
        return english
    name = Locale.parse(locale).languages.get(code)
    return name[:1].upper() + name[1:] if name else english
