"""HTML-safe snippets and titles with matched words in <mark>.

Snippets come from the stored (capped) body, using the character offsets
indexed with the ``content`` field (``chars=True``): no re-analysis of the
text, only the postings of the query's terms for the page's documents.
"""
from __future__ import annotations

from html import escape

from whoosh.analysis import Token
from whoosh.highlight import (
    BasicFragmentScorer,
    Formatter,
    PinpointFragmenter,
    get_text,
)

SNIPPET_CHARS = 220
SNIPPET_FRAGMENTS = 2
ELLIPSIS = " \u2026 "


class MarkFormatter(Formatter):
    """Escapes all text; wraps matches in <mark>."""

    between = ELLIPSIS

    def _text(self, text):
        return escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return "<mark>%s</mark>" % escape(get_text(text, token, replace), quote=False)


_FORMATTER = MarkFormatter()
_SCORER = BasicFragmentScorer()


def _fragmenter(charlimit: int) -> PinpointFragmenter:
    return PinpointFragmenter(
        maxchars=SNIPPET_CHARS, surround=70, autotrim=True, charlimit=charlimit
    )


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Escaped start of a text, cut at a word boundary."""
    text = " ".join(text[: limit * 2].split())
    if len(text) <= limit:
        return escape(text, quote=False)
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > limit // 2 else limit
    return escape(text[:cut], quote=False) + "\u2026"


def snippet(body: str, spans) -> str:
    """Best passages of ``body`` around the spans, or its start."""
    if body and spans:
        limit = len(body)
        tokens = []
        last = -1
        for sc, ec, word in sorted(spans):
            if ec > limit:
                break
            if sc <= last:
                continue
            last = sc
            tokens.append(Token(text=word, startchar=sc, endchar=ec, matched=True))
        if tokens:
            frags = _fragmenter(limit).fragment_matches(body, tokens)
            best = _best(frags)
            if best:
                out = _FORMATTER.format(best)
                if best[0].startchar > 0:
                    out = "\u2026" + out
                if best[-1].endchar < len(body):
                    out += "\u2026"
                return out
    return lead(body or "")


def _best(frags):
    """Top-scoring fragments (ties: earliest), without overlaps, in order."""
    ranked = sorted(frags, key=lambda f: (-_SCORER(f), f.startchar))
    chosen = []
    for f in ranked:
        if len(chosen) == SNIPPET_FRAGMENTS:
            break
        if any(f.startchar < c.endchar and c.startchar < f.endchar for c in chosen):
            continue
        chosen.append(f)
    chosen.sort(key=lambda f: f.startchar)
    return chosen


def mark_title(title: str, analyzers, words: set[str]) -> str:
    """Escaped title with the tokens whose analyzed form (by any of the
    ``analyzers``: English, and the searcher's language) is in ``words``."""
    if not title:
        return ""
    if not words:
        return escape(title, quote=False)
    if not isinstance(analyzers, (list, tuple)):
        analyzers = (analyzers,)
    spans = sorted({(t.startchar, t.endchar) for analyzer in analyzers
                    for t in analyzer(title, chars=True, mode="index", removestops=False) if t.text in words})
    out = []
    i = 0
    for start, end in spans:
        if start < i:
            continue
        out.append(escape(title[i:start], quote=False))
        out.append("<mark>%s</mark>" % escape(title[start:end], quote=False))
        i = end
    out.append(escape(title[i:], quote=False))
    return "".join(out)
