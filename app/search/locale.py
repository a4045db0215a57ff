"""The searcher's language: a query is analysed for it as well as for English.

One small function, so a profile setting can take over later: an explicit
`lang` argument, else the interface locale when Flask-Babel runs in this app,
else the browser's Accept-Language, best match among the languages the
interface speaks (English when none fits).
"""

from __future__ import annotations

from flask import current_app, request

try:  # Flask-Babel runs the interface translation where it is installed
    from flask_babel import get_locale
except ImportError:  # pragma: no cover (not installed)
    get_locale = None

INTERFACE_LANGUAGES = ("en", "es", "fr", "pt", "ar")


def searcher_language(requested: str | None = None) -> str:
    """ISO 639-1 code of the language to analyse the query for."""
    if requested:
        return requested
    if get_locale is not None and "babel" in current_app.extensions:
        locale = get_locale()
        if locale is not None and locale.language in INTERFACE_LANGUAGES:
            return locale.language
    return request.accept_languages.best_match(INTERFACE_LANGUAGES) or "en"
