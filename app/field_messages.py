"""Marshmallow's and webargs' own field messages, in the reader's language.

A 422 from the JSON API names each field with the message its schema
raised, and marshmallow writes those in English ("Missing data for required
field.", "Length must be between 1 and 200."). They are marked here so
`pybabel extract` offers them to translators, and `translate` looks each one
up on the way out (`errors.py`): a fixed message by itself; a validator's
message, which marshmallow has already filled in ("between 1 and 200"), by
matching the English template it came from and filling in the translated
one with the same values. A message found in neither is shown as it is.
"""

from __future__ import annotations

import re

from flask_babel import gettext

from app.i18n import N_
from app.i18n import translate as translate_constant

# Messages written with no values: translated as they are.
FIXED = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid input."),
    N_("Invalid input type."),
    N_("Invalid type."),
    N_("Unknown field."),
    N_("Invalid JSON body."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid mapping type."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid time."),
    N_("Not a valid aware datetime."),
    N_("Not a valid naive datetime."),
    N_("Not a valid period of time."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid UUID."),
    N_("String does not match expected pattern."),
)

# Our own validators' templates (written, like marshmallow's, with {name} values).
ID_RANGE = "An id is a whole number from {min} to {max}."

# The English template marshmallow fills in -> the translatable one, same values.
TEMPLATES = {
    "Length must be between {min} and {max}.": N_("Length must be between %(min)s and %(max)s."),
    "Shorter than minimum length {min}.": N_("Shorter than minimum length %(min)s."),
    "Longer than maximum length {max}.": N_("Longer than maximum length %(max)s."),
    "Length must be {equal}.": N_("Length must be %(equal)s."),
    "Must be greater than or equal to {min}.": N_("Must be greater than or equal to %(min)s."),
    "Must be greater than {min}.": N_("Must be greater than %(min)s."),
    "Must be less than or equal to {max}.": N_("Must be less than or equal to %(max)s."),
    "Must be less than {max}.": N_("Must be less than %(max)s."),
    "Must be greater than or equal to {min} and less than or equal to {max}.":
        N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    "Must be greater than or equal to {min} and less than {max}.":
        N_("Must be greater than or equal to %(min)s and less than %(max)s."),
    "Must be greater than {min} and less than or equal to {max}.":
        N_("Must be greater than %(min)s and less than or equal to %(max)s."),
    "Must be greater than {min} and less than {max}.": N_("Must be greater than %(min)s and less than %(max)s."),
    "Must be one of: {choices}.": N_("Must be one of: %(choices)s."),
    "Must be equal to {other}.": N_("Must be equal to %(other)s."),
    "One or more of the choices you made was not in: {choices}.":
        N_("One or more of the choices you made was not in: %(choices)s."),
    "One or more of the choices you made was in: {values}.":
        N_("One or more of the choices you made was in: %(values)s."),
    ID_RANGE: N_("An id is a whole number from %(min)s to %(max)s."),
}
_VALUE = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern:
    """"Length must be {equal}." -> ^Length\\ must\\ be\\ (?P<equal>.+)\\.$"""
    parts = _VALUE.split(template)  # literal, name, literal, name, ..., literal
    out = [re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts)]
    return re.compile("^" + "".join(out) + "$", re.DOTALL)


# Longest first, so "... {min} and less than {max}." is not read as "... {min}." with an odd value.
_PATTERNS = [(_pattern(english), key) for english, key in sorted(TEMPLATES.items(), key=lambda kv: -len(kv[0]))]


def translate(message) -> str:
    """One field message in the current language (see the module docstring)."""
    text = translate_constant(message)
    if text != message or not isinstance(message, str):
        return text
    for pattern, key in _PATTERNS:
        match = pattern.match(message)
        if match:
            return gettext(key, **match.groupdict())
    return message
