"""Jinja filters and globals: countries with flags, times in the viewer's zone.

Times follow one rule, in pages and in scripts alike: the viewer's zone (a
member's own, UTC for visitors), 24-hour clock, the zone's abbreviation
after it ("22:18 CST"). base.html puts the zone on <html data-timezone> with
its abbreviations by UTC offset (`data-zone-names`), and static/js/time.js
formats what scripts show from them, so a live chat line reads exactly as
the same line does after a reload.

Dates and numbers are written for the request's language with Babel
(`localtime` takes a strftime-style format and writes it as the CLDR
pattern it stands for: "%a %d %b" is "Mon 07 Dec" in English, "lun 07 dic"
in Spanish); the clock stays 24-hour and the zone's abbreviation follows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from flask import Flask, current_app, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from app.i18n import N_, current_locale, text_direction
from app.vocabulary import age_range_name, country_flag, country_name, subject_name


def viewer_timezone() -> str:
    if current_user and current_user.is_authenticated:
        return current_user.timezone or "UTC"
    return "UTC"


def localtime(value: datetime | None, fmt: str = "%a %d %b %Y, %H:%M", zone: str | None = None) -> str:
    """A UTC datetime as text in `zone` (default: the viewer's), in the request's
    language; a time is followed by the zone's abbreviation, a date alone
    ("07 Dec") is not."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone or viewer_timezone()))
    text = format_datetime(local, cldr_pattern(fmt), tzinfo=local.tzinfo, locale=current_locale())
    return f"{text} {zone_label(local.tzname())}" if any(part in fmt for part in ("%H", "%I", "%M")) else text


def zone_name(zone: str | None) -> Markup:
    """A tz database name for a label, as one word that may wrap only after
    its slashes ("America/" then "Chicago"): in a narrow column a label
    that may break anywhere splits "Chicago" itself."""
    parts = [escape(part) for part in (zone or "").split("/")]
    return Markup('<span class="zone-name">{}</span>').format(Markup("/<wbr>").join(parts))


def zone_label(name: str | None) -> str:
    """A zone's abbreviation as it follows a time. A numeric one ("+03") on
    a right-to-left page goes in a left-to-right isolate (U+2066..U+2069):
    bare, the bidi algorithm puts its sign after the figures ("03+")."""
    name = name or ""
    if name.startswith(("+", "-")) and text_direction() == "rtl":
        return f"\u2066{name}\u2069"
    return name


# strftime directives and the CLDR pattern letters that write the same field.
_CLDR_FIELDS = {"a": "EEE", "A": "EEEE", "d": "dd", "e": "d", "b": "MMM", "B": "MMMM", "m": "MM",
                "Y": "yyyy", "y": "yy", "H": "HH", "M": "mm", "S": "ss"}


@lru_cache(maxsize=64)
def cldr_pattern(fmt: str) -> str:
    """A strftime format as a CLDR date pattern: "%d %b, %H:%M" -> "dd MMM, HH:mm".
    Literal words are quoted ("at" stays "at": a page that needs it translated
    passes a translated format)."""
    out, literal = [], []

    def flush():
        if literal:
            text = "".join(literal).replace("'", "''")
            out.append(f"'{text}'" if any(ch.isalpha() or ch == "'" for ch in text) else text)
            literal.clear()

    chars = iter(fmt)
    for ch in chars:
        if ch != "%":
            literal.append(ch)
            continue
        code = next(chars, "")
        if code == "%":
            literal.append("%")
            continue
        if code not in _CLDR_FIELDS:
            raise ValueError(f"localtime: no CLDR field for %{code}")
        flush()
        out.append(_CLDR_FIELDS[code])
    flush()
    return "".join(out)


def number(value: float | int | None, digits: int | None = None) -> str:
    """A number for the request's language: 12,345.7 in English, 12.345,7 in Spanish.
    `digits` fixes the decimals (`{{ km|number(1) }}`)."""
    if value is None:
        return ""
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=current_locale())


def strong(value: str) -> Markup:
    """A value in <strong>, escaped: for a variable inside a translated sentence."""
    return Markup("<strong>{}</strong>").format(value)


def plural(count: int, singular: str, many: str) -> str:
    """The count with its noun: `{{ days|plural("day", "days") }}` gives "1 day", "7 days"."""
    return f"{count} {singular if count == 1 else many}"


def page_url(endpoint: str, _param: str = "page", **args) -> Callable[[int], str]:
    """Page n's address of the list at `endpoint`; page 1's has no page argument.
    `_param` names the argument where a page holds two lists (a profile)."""
    return lambda page: url_for(endpoint, **{_param: page if page > 1 else None}, **args)


def page_numbers(page: int, pages: int) -> list[int | None]:
    """The page numbers a pager links: the first, the last and two either side
    of `page`, with None where numbers are left out (an ellipsis)."""
    numbers: list[int | None] = []
    for number in sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)}):
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def zone_names(zone: str | None = None) -> str:
    """The zone's abbreviations by UTC offset in minutes, around now:
    "600=AEST 660=AEDT". Browsers know the offset of any instant in any zone
    but name it their own way (Intl says "GMT+11" where tzdata says "AEDT")."""
    return _zone_names(zone or viewer_timezone(), datetime.now(UTC).year)


@lru_cache(maxsize=256)
def _zone_names(zone: str, year: int) -> str:
    tz = ZoneInfo(zone)
    names: dict[int, str] = {}
    start = datetime(year - 1, 7, 1, tzinfo=UTC)
    for week in range(80):  # last summer to the spring after next: every switch in between
        local = (start + timedelta(weeks=week)).astimezone(tz)
        names[int(local.utcoffset().total_seconds() // 60)] = local.tzname()
    return " ".join(f"{offset}={name}" for offset, name in sorted(names.items()))


def described_by(field) -> str:
    """The ids of a field's hint and error, for aria-describedby."""
    ids = []
    if field.description:
        ids.append(f"{field.id}-hint")
    if field.errors:
        ids.append(f"{field.id}-error")
    return " ".join(ids)


# The keyboard a phone shows for a field: digits for whole numbers, digits and a decimal point for
# decimals. A field may name its own (`keyboard`, e.g. the groups' distance and duration fields).
# FloatField is left out: latitudes and longitudes go below zero, and a decimal keypad has no minus.
KEYBOARDS = {
    "IntegerField": {"inputmode": "numeric"},
    "IdField": {"inputmode": "numeric"},
    "DecimalField": {"inputmode": "decimal"},
}


def keyboard_attrs(field) -> dict:
    return dict(getattr(field, "keyboard", None) or KEYBOARDS.get(field.type, {}))


def field_attrs(field, autocomplete: str | None = None, autofocus: bool = False) -> dict:
    attrs: dict = keyboard_attrs(field)
    described = described_by(field)
    if described:
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if autofocus:
        attrs["autofocus"] = True
    return attrs


# Main navigation: each feature's landing page, shown once that feature exists.
NAV_ITEMS = [
    {"label": N_("Library"), "endpoint": "resources.library", "blueprint": "resources"},
    {"label": N_("Discuss"), "endpoint": "forum.index", "blueprint": "forum"},
    {"label": N_("Groups"), "endpoint": "groups.index", "blueprint": "groups"},
    {"label": N_("Events"), "endpoint": "events.index", "blueprint": "events"},
    {"label": N_("Programmes"), "endpoint": "programmes.index", "blueprint": "programmes"},
    {"label": N_("People"), "endpoint": "people.directory", "blueprint": "people"},
]
SEARCH_ENDPOINT = "search.results"


def _nav_items() -> list[dict]:
    endpoints = current_app.view_functions
    return [item for item in NAV_ITEMS if item["endpoint"] in endpoints]


def _search_endpoint() -> str | None:
    return SEARCH_ENDPOINT if SEARCH_ENDPOINT in current_app.view_functions else None


def register(app: Flask) -> None:
    app.jinja_env.bytecode_cache = app.config["TEMPLATE_BYTECODE_CACHE"]
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["flag"] = country_flag
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["plural"] = plural
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["strong"] = strong
    app.jinja_env.filters["zone_name"] = zone_name
    app.jinja_env.filters["subject_name"] = subject_name
    app.jinja_env.filters["age_range_name"] = age_range_name
    app.jinja_env.globals["viewer_timezone"] = viewer_timezone
    app.jinja_env.globals["zone_names"] = zone_names
    app.jinja_env.globals["described_by"] = described_by
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["page_numbers"] = page_numbers
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["nav_items"] = _nav_items
    app.jinja_env.globals["search_endpoint"] = _search_endpoint
