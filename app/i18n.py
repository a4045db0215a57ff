"""Languages: which one a request is answered in, and the language switcher.

One rule, in one place (`select_locale`, Flask-Babel's locale selector):

- an API request (`/api/`) that sends `Accept-Language` is answered in the
  best match (error `code`s stay the same, `message` is translated);
- otherwise a signed-in member's profile setting (`users.locale`),
- else the `locale` cookie the visitor switcher sets,
- else the browser's `Accept-Language`, best match,
- else English.

Values that are not one of LOCALES (a forged cookie, a stale column) are
ignored, never an error. Catalogs live in `app/translations/` and are built
by `flask i18n compile` (app/i18n_catalogs.py); docs/ARCHITECTURE.md,
"Languages", has the workflow for marking and translating strings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app, has_request_context, render_template, request, url_for
from flask_babel import Babel, force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from app.form_fields import choices
from app.links import safe_path

LOCALES = ("en", "es", "fr", "pt_BR", "ar")
DEFAULT_LOCALE = "en"
RTL_LOCALES = frozenset({"ar"})
# Each language by its own name, as a reader of it looks for it.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt_BR": "Português (Brasil)",
    "ar": "العربية",
}
COOKIE = "locale"
COOKIE_MAX_AGE = timedelta(days=365)
_BY_LOWER = {locale.lower(): locale for locale in LOCALES}

babel = Babel()
# Set by accounts.register: what a member's choice in the switcher saves on their profile.
_save_member_choice: Callable[[object, str], None] | None = None


def N_(message: str) -> str:
    """Marks a constant for `pybabel extract` without translating it yet:
    services raise plain English, and `translate` looks it up on the way out."""
    return message


def translate(message) -> str:
    """A message as the reader sees it: a lazy string evaluated, a constant
    marked with N_ looked up in the catalog (English when it is not there)."""
    if isinstance(message, str):
        return gettext(message) if message else message
    return str(message)


def normalize(value: object) -> str | None:
    """One of LOCALES for "pt-BR", "pt_br", "es"...; None for anything else."""
    if not isinstance(value, str) or len(value) > 16:
        return None
    return _BY_LOWER.get(value.strip().replace("-", "_").lower())


def language_tag(locale: str) -> str:
    """The BCP 47 tag HTML and Intl use: pt_BR -> pt-BR."""
    return locale.replace("_", "-")


def _from_header() -> str | None:
    return normalize(request.accept_languages.best_match([language_tag(locale) for locale in LOCALES]))


def _member_choice() -> str | None:
    if current_user and current_user.is_authenticated:
        return normalize(getattr(current_user, "locale", None))
    return None


def select_locale() -> str:
    """The request's language, by the rule in the module's docstring."""
    if not has_request_context():
        return DEFAULT_LOCALE  # mail and workers: `for_member(user)` sets the recipient's
    if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
        return _from_header() or DEFAULT_LOCALE
    return _member_choice() or normalize(request.cookies.get(COOKIE)) or _from_header() or DEFAULT_LOCALE


def current_locale() -> str:
    """The language this request is answered in, as one of LOCALES."""
    return normalize(str(get_locale() or "")) or DEFAULT_LOCALE


def member_locale(user) -> str:
    """The language a mail to `user` is written in: their profile choice;
    when they have none and it is their own request (registering, asking for
    a reset), the language they are reading the site in; else English."""
    chosen = normalize(getattr(user, "locale", None))
    if chosen:
        return chosen
    if has_request_context() and _is_requester(user):
        return current_locale()
    return DEFAULT_LOCALE


def _is_requester(user) -> bool:
    if not (current_user and current_user.is_authenticated):
        return True  # a visitor asking for a mail to themselves (registration, password reset)
    return current_user.id == getattr(user, "id", None)


def for_member(user):
    """`with for_member(user):` renders (a mail, its subject) in the member's language."""
    return force_locale(member_locale(user))


def html_lang() -> str:
    return language_tag(current_locale())


def text_direction() -> str:
    return "rtl" if current_locale() in RTL_LOCALES else "ltr"


def isolated(value: str) -> str:
    """`value` between Unicode's first-strong isolate and its pop (U+2068,
    U+2069) in a right-to-left language, so a member's Latin title or name
    inside an Arabic sentence keeps its own order and does not pull the
    sentence's punctuation along (plain text's `<bdi>`: mails, the API)."""
    return f"\u2068{value}\u2069" if text_direction() == "rtl" else value


def js_catalog_url() -> str:
    """The page's script strings (static/i18n/<locale>.json); English needs none."""
    locale = current_locale()
    return "" if locale == DEFAULT_LOCALE else url_for("static", filename=f"i18n/{locale}.json")


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Site language"), choices=choices(LANGUAGE_NAMES.items()))
    next = HiddenField()


def language_form() -> LanguageForm:
    """The footer's switcher, on the current language, coming back to this page."""
    form = LanguageForm(formdata=None, locale=current_locale(), next=request.full_path.rstrip("?"))
    return form


def save_member_choice_with(save: Callable[[object, str], None]) -> None:
    """accounts plugs in how a signed-in member's choice goes on their profile."""
    global _save_member_choice
    _save_member_choice = save


def choose_language():
    """POST /language: remember the choice (cookie; and the profile for a
    member), then back to the page it came from (a same-site path only)."""
    form = LanguageForm()
    if not form.validate_on_submit():
        message = _l("Choose one of the languages offered.")
        return render_template("errors/generic.html", status=400, message=message), 400
    locale = form.locale.data
    if _save_member_choice is not None and current_user.is_authenticated:
        _save_member_choice(current_user._get_current_object(), locale)
    response = current_app.redirect(safe_path(form.next.data, url_for("people.home")))
    response.set_cookie(
        COOKIE, locale, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


def register(app: Flask) -> None:
    """Flask-Babel (templates get `_`, `gettext`, `ngettext`), the switcher's
    route and the template globals base.html uses."""
    babel.init_app(app, locale_selector=select_locale)
    app.add_url_rule("/language", "choose_language", choose_language, methods=["POST"])
    app.jinja_env.globals.update(
        html_lang=html_lang,
        text_direction=text_direction,
        js_catalog_url=js_catalog_url,
        language_form=language_form,
        current_locale=current_locale,
    )
