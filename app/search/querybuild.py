"""Turns the user's query text into a safe Whoosh query.

- ``subject:``, ``tag:``/``tags:`` and ``type:`` words are pulled out of the
  text and become filters (AND-ed, case-insensitive).
- Every other ``name:value`` is plain words: the parser has no field syntax,
  so ``access:public`` can never reach the access field.
- Phrases ("..."), prefixes (word*), AND / OR / NOT / ANDNOT, + and -,
  parentheses. Default grouping is OR; ``a NOT b`` means a and not b.
- Anything the parser cannot handle falls back to the plain words.
- A searcher in another language than English: the query is parsed twice,
  with the English analysis and with that language's (tagged terms, see
  schema.LanguageAnalyzer), and either may match.
"""
from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field

from whoosh import fields, qparser
from whoosh import query as wq
from whoosh.support.charset import accent_map

from app.i18n import N_

from .schema import SECTION_SEP, USER_FIELDS, content_analyzer, language_analyzer

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 1000
MIN_PREFIX = 2  # shortest accepted prefix before "*"
MAX_PREFIX_TERMS = 200  # expansions of one prefix kept (most frequent first)

_FIELD_RE = re.compile(
    r'(?<![\w:])(subject|tags?|type):(?:"([^"]*)"?|(\S+))', re.IGNORECASE
)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_WORD_RE = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)


def normalize_value(value: str) -> str:
    """Filter values (subject, tag, type, country): case- and accent-blind."""
    return " ".join(value.split()).lower().translate(accent_map)


@dataclass
class ParsedText:
    query: wq.Query | None
    filters: dict[str, list[str]] = field(default_factory=dict)
    message: str | None = None
    # (start, end, word) of plain words in ``text``: spelling candidates
    words: list[tuple[int, int, str]] = field(default_factory=list)
    text: str = ""


class QueryBuilder:
    def __init__(self):
        self.analyzer = content_analyzer()
        self.parser = self._parser(self.analyzer)
        self._parsers: dict = {}  # language code -> (analyzer, parser)

    @staticmethod
    def _parser(analyzer) -> qparser.QueryParser:
        schema = fields.Schema(content=fields.TEXT(analyzer=analyzer))
        # Plain OR: BM25 already ranks documents with more of the words
        # higher (each adds its idf-weighted score)
        p = qparser.QueryParser("content", schema, group=qparser.OrGroup)
        for plugin in (
            qparser.RangePlugin,
            qparser.BoostPlugin,
            qparser.EveryPlugin,
            qparser.SingleQuotePlugin,
            qparser.FieldsPlugin,
        ):
            p.remove_plugin_class(plugin)
        # "+word" / "-word" only at the start of a word (keeps "e-learning")
        p.add_plugin(
            qparser.PlusMinusPlugin(
                plusexpr=r"(?<![^\s(])\+(?=[\w\"(])",
                minusexpr=r"(?<![^\s(])-(?=[\w\"(])",
            )
        )
        return p

    def _language(self, code: str | None):
        """(analyzer, parser) of a searcher's language other than English."""
        analyzer = language_analyzer(code)
        if analyzer is None:
            return None
        got = self._parsers.get(code)
        if got is None:
            got = self._parsers.setdefault(code, (analyzer, self._parser(analyzer)))
        return got

    # -- public ----------------------------------------------------------
    def build(self, raw: str, language: str | None = None) -> ParsedText:
        """The query for ``raw``, analysed for English and for ``language``
        (the searcher's, ISO 639-1) when that is another."""
        text = (raw or "").replace(SECTION_SEP, " ")[:MAX_QUERY_CHARS]
        filters: dict[str, list[str]] = {}

        def take(m: re.Match) -> str:
            fname = USER_FIELDS[m.group(1).lower()]
            value = m.group(2) if m.group(2) is not None else m.group(3)
            value = normalize_value(value or "")
            if value:
                filters.setdefault(fname, [])
                if value not in filters[fname]:
                    filters[fname].append(value)
            return " " * (m.end() - m.start())  # keep offsets stable

        text = _FIELD_RE.sub(take, text)
        out = ParsedText(None, filters, text=text, words=_plain_words(text))
        if not text.strip():
            out.message = N_("Type a word or two to search for.")
            return out

        q = self._parse(text, out.words, self.parser, self.analyzer)
        other = self._language(language)
        if other is not None:
            q = _either(q, self._parse(text, out.words, other[1], other[0], other[0].tag))
        if q is None:
            if _has_negative_only(text):
                out.message = N_("Add a word to look for, not only words to leave out.")
            else:
                out.message = (
                    "Your search has only very common words or symbols; "
                    "try more specific words."
                )
            return out
        out.query = q
        return out

    def _parse(self, text: str, words, parser, analyzer, tag: str = "") -> wq.Query | None:
        """The query of ``text`` through one parser; None when nothing is left to look for."""
        try:
            q = parser.parse(text)
            q = self._clean(q, tag)
        except Exception:  # noqa: BLE001 (the parser should not raise, but never let it)
            log.info("query parse failed, using plain words: %r", text)
            q = self._plain(text, analyzer)
        if isinstance(q, wq.Not):
            q = None  # only words to leave out
        if q is None and not _has_negative_only(text):
            q = self._plain(text, analyzer)  # e.g. "AND OR (" -> no words -> None
        if q is not None:
            q = self._weight_repeats(q, words, analyzer)
        return q

    def analyze(self, word: str) -> str | None:
        """The indexed (stemmed) form of one word, None for a stop word."""
        return self.analyzer.word(word) or None

    # -- internals -------------------------------------------------------
    def _weight_repeats(self, q, words, analyzer):
        """The parser keeps one Term per word; a word used n times in a long
        query says it matters: weight its Term n (query term frequency)."""
        counts: dict = {}
        for _s, _e, w in words:
            t = analyzer.word(w)
            if t:
                counts[t] = counts.get(t, 0) + 1
        if not counts or max(counts.values()) == 1:
            return q

        def walk(node):
            if isinstance(node, wq.Term) and node.fieldname == "content":
                n = counts.get(node.text, 1)
                return wq.Term("content", node.text, boost=node.boost * n) if n > 1 else node
            if isinstance(node, (wq.And, wq.Or)):
                node = copy.copy(node)
                node.subqueries = [walk(sub) for sub in node.subqueries]
                return node
            if isinstance(node, (wq.AndNot, wq.AndMaybe)):
                node = copy.copy(node)
                node.a = walk(node.a)
                if isinstance(node, wq.AndMaybe):
                    node.b = walk(node.b)
                return node
            return node

        return walk(q)

    def _plain(self, text: str, analyzer) -> wq.Query | None:
        terms = []
        seen = set()
        for w in _WORD_RE.findall(text):
            if w in _OPERATORS:
                continue
            t = analyzer.word(w)
            if t and t not in seen:
                seen.add(t)
                terms.append(wq.Term("content", t))
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    def _clean(self, q: wq.Query, tag: str = "") -> wq.Query | None:
        """Keep only what the product allows, in the "content" field; a
        language's prefixes get its ``tag``."""
        if q is None or q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return None
        if isinstance(q, wq.Term):
            return q if q.fieldname == "content" and q.text else None
        if isinstance(q, wq.Phrase):
            if q.fieldname != "content" or not q.words:
                return None
            if len(q.words) == 1:
                return wq.Term("content", q.words[0])
            return wq.Phrase("content", q.words, slop=1)
        if isinstance(q, wq.Prefix):
            text = q.text.lower().translate(accent_map)
            if q.fieldname != "content" or len(text) < MIN_PREFIX:
                return None
            return _LimitedPrefix("content", tag + text)
        if isinstance(q, wq.Wildcard):
            pre = re.split(r"[*?]", q.text, maxsplit=1)[0].lower().translate(accent_map)
            if len(pre) < max(3, MIN_PREFIX):
                return None
            return _LimitedPrefix("content", tag + pre)
        if isinstance(q, wq.Not):
            inner = self._clean(q.query, tag)
            return wq.Not(inner) if inner is not None else None
        if isinstance(q, wq.AndNot):
            a, b = self._clean(q.a, tag), self._clean(q.b, tag)
            if a is None or isinstance(a, wq.Not):
                return None
            return wq.AndNot(a, b) if b is not None else a
        if isinstance(q, wq.AndMaybe):
            a, b = self._clean(q.a, tag), self._clean(q.b, tag)
            if a is None:
                return b
            return wq.AndMaybe(a, b) if b is not None else a
        if isinstance(q, (wq.And, wq.Or)):
            subs = [s for s in (self._clean(s, tag) for s in q.subqueries) if s is not None]
            pos = [s for s in subs if not isinstance(s, wq.Not)]
            neg = [s.query for s in subs if isinstance(s, wq.Not)]
            if not pos:
                return None
            if len(pos) == 1:
                base = pos[0]
            elif isinstance(q, wq.And):
                base = wq.And(pos)
            else:
                base = wq.Or(pos, scale=getattr(q, "scale", None))
            if neg:
                base = wq.AndNot(base, neg[0] if len(neg) == 1 else wq.Or(neg))
            return base
        return None  # Every, ranges, anything unexpected


class _LimitedPrefix(wq.Prefix):
    """A prefix query that expands to at most MAX_PREFIX_TERMS terms (the
    most frequent), so "s*" style queries stay cheap."""

    def _btexts(self, ixreader):
        field = "content"
        try:
            cands = list(ixreader.expand_prefix(field, self.text))
        except Exception:  # noqa: BLE001 (Whoosh raises plain exceptions here)
            return []
        if len(cands) > MAX_PREFIX_TERMS:
            df = ixreader.doc_frequency
            cands.sort(key=lambda b: -df(field, b))
            cands = sorted(cands[:MAX_PREFIX_TERMS])
        return cands


def _either(a: wq.Query | None, b: wq.Query | None) -> wq.Query | None:
    """Documents matching ``a`` or ``b``; two ORs become one (BM25 adds up
    the terms as for any OR, and a long query's rarest terms are kept from
    both)."""
    if a is None or b is None or a == b:
        return a if b is None else b if a is None else a
    subs = [*_or_parts(a), *_or_parts(b)]
    return wq.Or(subs)


def _or_parts(q: wq.Query) -> list:
    return list(q.subqueries) if isinstance(q, wq.Or) and not getattr(q, "scale", None) else [q]


def _has_negative_only(text: str) -> bool:
    """True when every word carries a NOT / '-' (nothing to look for)."""
    t = re.sub(r"\bNOT\s+\S+|(?<![^\s(])-\S+", " ", text)
    return bool(re.search(r"\bNOT\b|(?<![^\s(])-\w", text)) and not any(
        w not in _OPERATORS for w in _WORD_RE.findall(t)
    )


def _plain_words(text: str) -> list[tuple[int, int, str]]:
    """Spans of words eligible for spelling correction: outside quotes, not
    operators, not prefixes, not negated."""
    out = []
    in_quote = False
    i = 0
    for m in re.finditer(r'"|[^\s"]+', text):
        tok = m.group(0)
        if tok == '"':
            in_quote = not in_quote
            continue
        if in_quote or tok in _OPERATORS:
            continue
        if tok.startswith("-") or tok.endswith("*") or "*" in tok or "?" in tok:
            continue
        for w in _WORD_RE.finditer(tok):
            out.append((m.start() + w.start(), m.start() + w.end(), w.group(0)))
        i += 1
    return out
