"""Building the translation catalogs: `.po` (what translators edit) into the
`.mo` files Flask-Babel reads and the JSON catalogs scripts read.

Both are committed, so a checkout serves every language without a build
step; `tests/test_i18n_catalogs.py` fails when one is not what
`flask i18n compile` would write from its `.po`, or when a `.po` has a fuzzy
or untranslated entry or a placeholder that differs from the English.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.config import ROOT
from app.i18n import DEFAULT_LOCALE, LOCALES

TRANSLATIONS = ROOT / "app" / "translations"
JS_CATALOGS = ROOT / "static" / "i18n"
TRANSLATED = tuple(locale for locale in LOCALES if locale != DEFAULT_LOCALE)
# CLDR's plural categories in the order gettext numbers a language's forms.
_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str) -> Catalog:
    with po_path(locale).open("rb") as source:
        return read_po(source, locale=locale)


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def plural_categories(catalog: Catalog) -> list[str]:
    """Which CLDR category each plural form of the catalog stands for, in
    the order Babel numbers them (the order of its Plural-Forms)."""
    tags = catalog.locale.plural_form.tags | {"other"}
    return [tag for tag in _CATEGORIES if tag in tags]


def js_bytes(catalog: Catalog) -> bytes:
    """The messages used in static/js: {msgid: text} or {singular: [forms]}.
    Scripts have no pgettext: a message with a context stays server-side."""
    messages = {}
    for message in catalog:
        in_scripts = any(path.startswith("static/js/") for path, _line in message.locations)
        if message.id and not message.context and in_scripts:
            key = message.id[0] if message.pluralizable else message.id
            messages[key] = list(message.string) if message.pluralizable else message.string
    document = {"locale": str(catalog.locale), "plural_categories": plural_categories(catalog),
                "messages": dict(sorted(messages.items()))}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def outputs(locale: str) -> dict[Path, bytes]:
    """What `compile` writes for one language."""
    catalog = load(locale)
    return {
        po_path(locale).with_suffix(".mo"): mo_bytes(catalog),
        JS_CATALOGS / f"{locale}.json": js_bytes(catalog),
    }


def compile_all() -> list[Path]:
    """Write every .mo and JSON catalog; the files written."""
    written = []
    for locale in TRANSLATED:
        for path, content in outputs(locale).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(path)
    return written


def stale() -> list[Path]:
    """Compiled files that differ from what their .po would give now."""
    return [path for locale in TRANSLATED for path, content in outputs(locale).items()
            if not path.exists() or path.read_bytes() != content]


def problems(locale: str) -> list[str]:
    """Fuzzy or untranslated entries, and Babel's checks (placeholders of
    python-format strings, number of plural forms)."""
    catalog = load(locale)
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{locale}: fuzzy: {message.id!r}")
        if not all(strings):
            found.append(f"{locale}: untranslated: {message.id!r}")
    for message, errors in catalog.check():
        found.extend(f"{locale}: {message.id!r}: {error}" for error in errors)
    return found
