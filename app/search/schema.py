"""Index schema and text analysis for the search engine.

The searchable text of a document lives in ONE field, ``content``, built from
sections (body, title, tags, extra) separated by ``SECTION_SEP``. A custom
tokenizer gives every token the weight of its section, so Whoosh stores a
field-weighted term frequency and BM25 saturates it once per document (the
"simple BM25F" of Robertson, Zaragoza and Taylor, 2004): better ranking than
summing one BM25 score per field, and one posting list per query word.

The body comes first, so character offsets inside the body equal offsets in
the stored snippet text (``chars=True`` feeds the pinpoint highlighter).
"""
from __future__ import annotations

import re

from whoosh import columns, fields
from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    CharsetFilter,
    IDTokenizer,
    LowercaseFilter,
    StripFilter,
    Token,
)
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 1
VERSION_FIELD = "schema_v%d" % SCHEMA_VERSION

# Separates the sections of the ``content`` value. A private-use character:
# stripped from all user text before indexing.
SECTION_SEP = "\ue000"

# Section order inside ``content`` and the weight (term-frequency multiplier)
# of each. Title and tags above body, extra (author names...) below.
SECTIONS = ("body", "title", "tags", "extra")
SECTION_WEIGHTS = {"body": 1.0, "title": 3.0, "tags": 2.0, "extra": 0.5}

# Positions skipped between sections so phrases never span two sections.
SECTION_GAP = 100

# What is indexed vs stored of a body.
MAX_INDEXED_BODY = 200_000
MAX_STORED_BODY = 4_000

# Word pattern: letters/digits, allowing inner dots/apostrophes-free forms
WORD_RE = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)


class ContentAnalyzer(Analyzer):
    """Tokenize by section, lowercase, fold accents, drop stop words and
    one-letter words, stem (Porter) -- one pass with a per-word cache, about
    three times faster than the equivalent chain of Whoosh filters.

    The input may hold sections separated by SECTION_SEP: every token gets
    the weight of its section as its boost (see SECTION_WEIGHTS) and
    positions jump by SECTION_GAP between sections.
    """

    def __init__(self, weights=None, gap=SECTION_GAP, stem=True):
        self.weights = tuple(weights or (SECTION_WEIGHTS[s] for s in SECTIONS))
        self.gap = gap
        self.stem = stem
        self._cache = {}

    # Keep the word cache out of the pickled schema
    def __getstate__(self):
        return {"weights": self.weights, "gap": self.gap, "stem": self.stem}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._cache = {}

    def __eq__(self, other):
        return isinstance(other, ContentAnalyzer) and self.__getstate__() == other.__getstate__()

    def __repr__(self):
        return "ContentAnalyzer(stem=%r)" % self.stem

    def has_morph(self):
        return self.stem

    def normalize(self, word: str) -> str:
        """Indexed form of one word ('' for a stop word)."""
        w = word.lower().translate(accent_map)
        if len(w) < 2 or w in STOP_WORDS:
            return ""
        return porter_stem(w) if self.stem else w

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        no_morph=False,
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # a whole value, e.g. the text of a prefix query
            t.original = value
            t.text = value.lower().translate(accent_map)
            if self.stem and not no_morph and len(t.text) > 3:
                t.text = porter_stem(t.text)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return

        cache = self._cache
        if len(cache) > 200_000:
            cache.clear()
        normalize = self.normalize
        weights = self.weights
        pos = start_pos
        offset = start_char
        parts = value.split(SECTION_SEP) if SECTION_SEP in value else (value,)
        for i, part in enumerate(parts):
            boost = weights[i] if i < len(weights) else 1.0
            for m in WORD_RE.finditer(part):
                word = m.group(0)
                text = cache.get(word)
                if text is None:
                    text = cache[word] = normalize(word)
                if not text:
                    if removestops:
                        continue
                    t.stopped = True
                    t.text = word.lower()
                else:
                    t.stopped = False
                    t.text = text
                if no_morph and text:
                    t.text = word.lower().translate(accent_map)
                t.boost = boost
                if keeporiginal:
                    t.original = word
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = offset + m.start()
                    t.endchar = offset + m.end()
                yield t
            offset += len(part) + 1
            pos += self.gap


def content_analyzer():
    return ContentAnalyzer()


def keyword_analyzer():
    """Whole value as one lowercased, accent-folded token (filters)."""
    return IDTokenizer() | StripFilter() | LowercaseFilter() | CharsetFilter(accent_map)


def build_schema() -> fields.Schema:
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        type=fields.ID(stored=True, analyzer=keyword_analyzer()),
        id=fields.STORED(),
        title=fields.STORED(),
        url=fields.STORED(),
        created=fields.STORED(),  # ISO 8601 string
        created_ts=fields.NUMERIC(numtype=int, bits=64, sortable=True),
        body=fields.STORED(),  # first MAX_STORED_BODY chars, for snippets
        content=fields.TEXT(
            analyzer=content_analyzer(),
            phrase=True,
            chars=True,
        ),
        subject=fields.ID(analyzer=keyword_analyzer()),
        country=fields.ID(analyzer=keyword_analyzer()),
        tag=fields.ID(analyzer=keyword_analyzer()),  # list of normalized tags
        access=fields.ID(),  # list of principals
        # Facet columns (raw values; tags joined with FACET_SEP)
        f_type=fields.COLUMN(columns.VarBytesColumn()),
        f_subject=fields.COLUMN(columns.VarBytesColumn()),
        f_tags=fields.COLUMN(columns.VarBytesColumn()),
        # Marker: an index without this field was built by other code
        **{VERSION_FIELD: fields.STORED()},
    )


FACET_SEP = "\x1f"

# Fields a user may name in the query text ("subject:maths"), and the index
# field each maps to.
USER_FIELDS = {"subject": "subject", "tag": "tag", "tags": "tag", "type": "type"}
