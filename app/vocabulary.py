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
from flask_babel import get_locale

# What a resource is: the kind of its file (detected from the bytes) or a link.
# The library's filter, its API's `kind` and search's file-type facet
# (`type=pdf`) use these values.
FILE_KINDS: dict[str, str] = {
    "pdf": "PDF", "document": "Word document", "presentation": "Slide deck", "spreadsheet": "Spreadsheet",
    "image": "Image", "text": "Text", "link": "Link",
}

SUBJECTS: dict[str, str] = {
    "art": "Art and design",
    "biology": "Biology",
    "chemistry": "Chemistry",
    "computing": "Computing",
    "drama": "Drama",
    "english": "English",
    "geography": "Geography",
    "history": "History",
    "languages": "Modern languages",
    "mathematics": "Mathematics",
    "music": "Music",
    "pe": "Physical education",
    "physics": "Physics",
    "science": "Science",
    "religious-education": "Religious education",
    "citizenship": "Citizenship",
    "special-needs": "Special educational needs",
    "early-years": "Early years",
    "leadership": "School leadership",
    "edtech": "Education technology",
    "other": "Other",
}

AGE_RANGES: dict[str, str] = {
    "3-5": "Ages 3-5",
    "5-7": "Ages 5-7",
    "7-11": "Ages 7-11",
    "11-14": "Ages 11-14",
    "14-16": "Ages 14-16",
    "16-18": "Ages 16-18",
    "18+": "Adults and higher education",
}


# Languages (ISO 639-1 codes) the resource form offers, named in English for
# now. A resource made through the API may carry any ISO 639-1 code
# (`is_language`); `language_name` names those too.
LANGUAGES: dict[str, str] = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese",
    "ar": "Arabic", "az": "Azerbaijani", "hi": "Hindi", "ja": "Japanese", "sw": "Swahili",
    "zh": "Chinese", "ru": "Russian", "it": "Italian", "tr": "Turkish",
}


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


def _sort_key(name: str) -> str:
    """Accents aside, so Égypte sorts among the E's."""
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
    return sorted(names, key=lambda p: _sort_key(p[1]))


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
