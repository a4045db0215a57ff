"""Form pieces the features share: choice lists, checkbox lists, id fields, and select
boxes for the long fixed lists (about 250 countries, about 600 time zones).

WTForms builds every <option> afresh on each render (attributes through
`html_params`, label through `Markup.format`): for the time zones that is
several milliseconds a page, more than the page's queries. The lists do not
change while the process runs, so `LongSelectField` renders its options
once per list and marks the chosen one on each view.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import IntegerField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from app.params import MAX_ID
from app.vocabulary import age_range_choices, countries, languages, subject_choices, timezones

COUNTRY, CHOOSE_COUNTRY, TIME_ZONE = _l("Country"), _l("Choose a country"), _l("Time zone")


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: choose any number."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IdField(IntegerField):
    """An id posted in a form. A number no row can have is a field error,
    so it never reaches the database (where it would overflow the column)."""

    def __init__(self, label=None, validators=None, **kwargs):
        bound = NumberRange(min=1, max=MAX_ID, message="No such item.")
        super().__init__(label, [*(validators or []), bound], **kwargs)


def country_choices(blank: str) -> list[SelectChoice]:
    """Every country by name in the reader's language (Babel), after a first
    blank option labelled `blank`."""
    return choices([("", str(blank)), *countries()])  # str: a lazy label, in this request's language


def _named(pairs, blank=None) -> list[SelectChoice]:
    """A vocabulary's (code, name) pairs, named now in this request's language,
    after an optional first blank option."""
    return choices([("", str(blank)), *pairs()] if blank is not None else pairs())


def subject_field(label, blank=None, **kwargs) -> SelectField:
    """One subject, the list sorted by its names in the reader's language."""
    return SelectField(label, choices=lambda: _named(subject_choices, blank), **kwargs)


def subjects_field(label, **kwargs) -> MultiCheckboxField:
    return MultiCheckboxField(label, choices=lambda: _named(subject_choices), **kwargs)


def age_range_field(label, blank=None, **kwargs) -> SelectField:
    return SelectField(label, choices=lambda: _named(age_range_choices, blank), **kwargs)


def age_ranges_field(label, **kwargs) -> MultiCheckboxField:
    return MultiCheckboxField(label, choices=lambda: _named(age_range_choices), **kwargs)


def language_field(label, blank=None, **kwargs) -> SelectField:
    """One of the offered languages, named and sorted in the reader's language."""
    return SelectField(label, choices=lambda: _named(languages, blank), **kwargs)


def languages_field(label, **kwargs) -> MultiCheckboxField:
    return MultiCheckboxField(label, choices=lambda: _named(languages), **kwargs)


def timezone_choices() -> list[SelectChoice]:
    return choices((zone, zone.replace("_", " ")) for zone in timezones())


@lru_cache(maxsize=64)
def _rendered(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], dict[str, int]]:
    """Each option's HTML, as WTForms writes it, and where each value is."""
    options = tuple(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in pairs)
    return options, {value: n for n, (value, _label) in enumerate(pairs)}


class CachedOptionsSelect(Select):
    """Select's HTML (same attributes, same option markup), options from a cache.

    Falls back to WTForms' own rendering for anything it does not cover:
    option groups, per-option attributes, or a non-string `coerce`."""

    def __call__(self, field, **kwargs):
        pairs = []
        for choice in field.choices or ():
            choice = SelectChoice.from_input(choice)
            if choice.render_kw or choice.optgroup is not None:
                return super().__call__(field, **kwargs)
            pairs.append((str(choice.value), str(choice.label)))
        if self.multiple or field.coerce is not str:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        options, position = _rendered(tuple(pairs))
        html = list(options)
        chosen = position.get(field.data) if isinstance(field.data, str) else None
        if chosen is not None:
            html[chosen] = html[chosen].replace("<option ", "<option selected ", 1)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{''.join(html)}</select>")


class LongSelectField(SelectField):
    widget = CachedOptionsSelect()


def country_field(label=COUNTRY, blank=CHOOSE_COUNTRY, **kwargs) -> LongSelectField:
    return LongSelectField(label, choices=lambda: country_choices(blank), **kwargs)


def timezone_field(label=TIME_ZONE, **kwargs) -> LongSelectField:
    return LongSelectField(label, choices=timezone_choices, **kwargs)
