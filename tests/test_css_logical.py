"""The stylesheets use logical properties, so a right-to-left page (Arabic,
`<html dir="rtl">`) mirrors by itself: `margin-inline-start`, not
`margin-left`; `text-align: start`, not `left`. A physical property comes
back only through ALLOWED, with the reason it must stay physical.

The stylesheets are parsed with tinycss2 (rules inside @media too), so a
comment or a selector that mentions "left" is no offence.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tinycss2

CSS_DIR = Path(__file__).resolve().parents[1] / "static" / "css"

# Properties that name a physical side, and what to write instead.
PHYSICAL_PROPERTIES = re.compile(r"^(?:(?:margin|padding|border)-(?:left|right)(?:-\w+)?|left|right|"
                                 r"border-(?:top|bottom)-(?:left|right)-radius)$")
# Properties whose physical values flip nothing in a right-to-left page.
PHYSICAL_VALUES = {"text-align": {"left", "right"}, "float": {"left", "right"}, "clear": {"left", "right"}}

# (selector, property): why it stays physical.
ALLOWED = {
    (".new-messages", "left"): "centred overlay: left 50% with translateX(-50%) centres it in either direction",
}


def _declarations(rules):
    """(selector, property, value) of every declaration, @media blocks included."""
    for rule in rules:
        if rule.type == "qualified-rule":
            selector = tinycss2.serialize(rule.prelude).strip()
            for item in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True):
                if item.type == "declaration":
                    yield selector, item.lower_name, tinycss2.serialize(item.value).strip()
                elif item.type == "qualified-rule":  # nested rule
                    yield from _declarations([item])
        elif rule.type == "at-rule" and rule.content is not None:
            yield from _declarations(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                              skip_comments=True))


def physical(css: str) -> list[str]:
    """The declarations in `css` that name a physical side and are not in ALLOWED."""
    offences = []
    for selector, name, value in _declarations(tinycss2.parse_stylesheet(css, skip_whitespace=True,
                                                                         skip_comments=True)):
        if (selector, name) in ALLOWED:
            continue
        if PHYSICAL_PROPERTIES.match(name) or value.lower() in PHYSICAL_VALUES.get(name, ()):
            offences.append(f"{selector} {{ {name}: {value} }}")
    return offences


@pytest.mark.parametrize("path", sorted(CSS_DIR.glob("*.css")), ids=lambda p: p.name)
def test_stylesheets_use_logical_properties(path):
    offences = physical(path.read_text(encoding="utf-8"))
    assert not offences, (f"{path.name} names a physical side; use the logical property (margin-inline-start, "
                          "inset-inline-end, text-align: start ...) or add it to ALLOWED with a reason:\n"
                          + "\n".join(offences))


def test_every_allowed_exception_is_still_there():
    found = {(s, n) for path in CSS_DIR.glob("*.css")
             for s, n, _v in _declarations(tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"),
                                                                     skip_whitespace=True, skip_comments=True))}
    assert set(ALLOWED) <= found, f"ALLOWED names declarations that are gone: {set(ALLOWED) - found}"


@pytest.mark.parametrize(("css", "caught"), [
    (".a { margin-left: 1rem; }", True),
    ("@media (max-width: 10px) { .a { padding-right: 0; } }", True),
    (".a { border-left-color: red; }", True),
    (".a { right: 0; }", True),
    (".a { text-align: left; }", True),
    (".a { float: right; }", True),
    (".a { border-top-left-radius: 4px; }", True),
    ("/* margin-left: 1rem */ .left-col { margin-inline-start: 1rem; text-align: start; float: inline-start; }", False),
    (".a { inset-inline-end: 0; border-inline-start: 4px solid; }", False),
    (".new-messages { left: 50%; }", False),  # an allowed exception
])
def test_the_check_catches_physical_sides_only(css, caught):
    assert bool(physical(css)) is caught
