"""No template shows text that is not marked for translation.

Each template is read with Jinja's own lexer: what sits between its tags and
expressions, outside `{% trans %}` blocks, is the page's literal text. That
text is put back together (each expression as a neutral mark) and read as
HTML: a text node or a `title`, `alt`, `placeholder` or `aria-label` with a
word in it is text a reader sees in English whatever their language. Words
that are the same in every language (the site's name, products, the search
operators a member types) are listed in SAME_IN_EVERY_LANGUAGE.

Text written inside an expression (`{{ 'Going' if x }}`) is not seen here;
mark it with `_()` all the same.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
WORD = re.compile(r"[A-Za-z]{2,}")
EXPRESSION = "\u2063"  # stands for {{ ... }} and {% ... %} when the text is read as HTML
SAME_IN_EVERY_LANGUAGE = {"Staffroom", "Google Calendar", "Outlook.com", "CSV", "AND", "OR", "NOT"}


class _Text(HTMLParser):
    """The visible text and labelling attributes of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inside_code = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._inside_code += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self._keep(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._inside_code = max(0, self._inside_code - 1)

    def handle_data(self, data):
        if not self._inside_code:
            self._keep(data)

    def _keep(self, text: str) -> None:
        words = " ".join(text.replace(EXPRESSION, " ").split())
        for part in re.split(r"\s*[·()…,:]\s*", words):
            if WORD.search(part) and part.strip(" .") not in SAME_IN_EVERY_LANGUAGE:
                self.found.append(words)
                return


def literal_html(source: str, env: Environment) -> str:
    """The template's own text, every tag and expression replaced by one mark."""
    tokens = list(env.lex(source))
    pieces, in_trans, i = [], 0, 0
    while i < len(tokens):
        kind = tokens[i][1]
        if kind in ("block_begin", "variable_begin"):
            end = "block_end" if kind == "block_begin" else "variable_end"
            names = []
            while tokens[i][1] != end:
                if tokens[i][1] == "name":
                    names.append(tokens[i][2])
                i += 1
            if kind == "block_begin" and names[:1] == ["trans"]:
                in_trans += 1
            elif kind == "block_begin" and names[:1] == ["endtrans"]:
                in_trans -= 1
            pieces.append(EXPRESSION)
        elif kind == "comment_begin":
            while tokens[i][1] != "comment_end":
                i += 1
        elif kind == "data":
            pieces.append(EXPRESSION if in_trans else tokens[i][2])
        i += 1
    return "".join(pieces)


def unmarked(source: str, env: Environment) -> list[str]:
    reader = _Text()
    reader.feed(literal_html(source, env))
    reader.close()
    return reader.found


def test_every_template_marks_its_text():
    env = Environment(extensions=["jinja2.ext.i18n"])
    found = {str(path.relative_to(TEMPLATES)): unmarked(path.read_text(encoding="utf-8"), env)
             for path in sorted(TEMPLATES.rglob("*.html"))}
    assert len(found) > 100  # the templates were read
    left = {path: texts for path, texts in found.items() if texts}
    assert not left, "text not marked for translation (wrap it in _()):\n" + "\n".join(
        f"{path}: {texts[:3]}" for path, texts in left.items())


def test_the_check_sees_unmarked_text_and_lets_marked_text_pass():
    env = Environment(extensions=["jinja2.ext.i18n"])
    assert unmarked('<p>Going</p><button title="Close">{{ _("Save") }}</button>', env) == ["Going", "Close"]
    assert unmarked('<p>{{ _("Going") }} · {{ n }}</p><img alt="{{ _(\'Map\') }}">', env) == []
    assert unmarked("{% trans %}Hello {{ name }}{% endtrans %}<script>var a = 'text';</script>", env) == []
    assert unmarked("<footer>Staffroom · {{ year }}</footer><span>CSV</span>", env) == []
