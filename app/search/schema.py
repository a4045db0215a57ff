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
from struct import Struct

from whoosh import columns, fields, formats
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    IDTokenizer,
    LowercaseFilter,
    StripFilter,
    Token,
)
from whoosh.lang import has_stemmer, has_stopwords, stemmer_for_language, stopwords_for_language
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

from .codec import FastCodec, from_u32  # noqa: F401  (FastCodec: used by engine)

SCHEMA_VERSION = 5  # bump on any change to fields, analysis, posting format or what documents hold
VERSION_FIELD = "schema_v%d" % SCHEMA_VERSION

# Separates the sections of the ``content`` value. A private-use character:
# stripped from all user text before indexing.
SECTION_SEP = "\ue000"

# Section order inside ``content`` and the weight (term-frequency multiplier)
# of each. Title and tags above body, extra (author names...) below.
SECTIONS = ("body", "title", "tags", "extra")
SECTION_WEIGHTS = {"body": 1.0, "title": 2.0, "tags": 2.0, "extra": 0.5}

# Positions skipped between sections so phrases never span two sections.
SECTION_GAP = 100

# What is indexed vs stored of a body.
MAX_INDEXED_BODY = 200_000
MAX_STORED_BODY = 4_000

# English function words, dropped from documents and queries. Not "it"
# (IT, the subject) nor "us" (the US).
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down
during each few for from further had has have having he her here hers herself
him himself his how i if in into is its itself just may me might more most
must my myself no nor not now of off on once only or other our ours ourselves
out over own same shall she should so some such than that the their theirs
them themselves then there these they this those through to too under until
up upon very was we were what when where which while who whom why will with
would yet you your yours yourself yourselves
""".split())

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

    def __init__(self, weights=None, gap=SECTION_GAP, stem=True, stoplist=None):
        self.weights = tuple(weights or (SECTION_WEIGHTS[s] for s in SECTIONS))
        self.gap = gap
        self.stem = stem
        self.stoplist = frozenset(STOPWORDS if stoplist is None else stoplist)
        self._cache = {}

    # Keep the word cache out of the pickled schema
    def __getstate__(self):
        return {"weights": self.weights, "gap": self.gap, "stem": self.stem,
                "stoplist": self.stoplist}

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
        if len(w) < 2 or w in self.stoplist:
            return ""
        return porter_stem(w) if self.stem else w

    def word(self, word: str) -> str:
        """normalize(), cached."""
        text = self._cache.get(word)
        if text is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            text = self._cache[word] = self.normalize(word)
        return text

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

    def term_postings(self, value: str) -> dict:
        """Index-time fast path (see ContentFormat): {term: [weight, pos,
        startchar, endchar, pos, startchar, endchar, ...]}."""
        cache = self._cache
        if len(cache) > 200_000:
            cache.clear()
        cache_get = cache.get
        normalize = self.normalize
        weights = self.weights
        out: dict = {}
        out_get = out.get
        pos = 0
        offset = 0
        parts = value.split(SECTION_SEP) if SECTION_SEP in value else (value,)
        for i, part in enumerate(parts):
            boost = weights[i] if i < len(weights) else 1.0
            for m in WORD_RE.finditer(part):
                word = m.group()
                text = cache_get(word)
                if text is None:
                    text = cache[word] = normalize(word)
                if not text:
                    continue
                sc, ec = m.span()
                e = out_get(text)
                if e is None:
                    out[text] = [boost, pos, sc + offset, ec + offset]
                else:
                    e[0] += boost
                    e += (pos, sc + offset, ec + offset)
                pos += 1
            offset += len(part) + 1
            pos += self.gap
        return out


class LanguageAnalyzer(ContentAnalyzer):
    """A document's words as its own language analyses them, tagged with the
    language ("es:evalu" for "evaluación"): the snowball stemmer and stop
    words Whoosh ships for it, or, for a language without a stemmer, the
    words only lowercased and accent-folded (language-neutral). The tagged
    terms go into the same ``content`` field as the English ones (see
    ContentField.index), so ranking, phrases and snippets work on them as on
    any term. Queries use the same analyzer (querybuild.QueryBuilder).
    """

    def __init__(self, code: str):
        stoplist = stopwords_for_language(code) if has_stopwords(code) else ()
        # stem=False: a whole value (a prefix query's text) stays unstemmed
        super().__init__(stem=False, stoplist=stoplist)
        self.code = code
        self.tag = code + LANGUAGE_TAG
        self._stemmer = stemmer_for_language(code) if has_stemmer(code) else None

    def __repr__(self):
        return "LanguageAnalyzer(%r)" % self.code

    def has_morph(self):
        return self._stemmer is not None

    def normalize(self, word: str) -> str:
        w = word.lower()
        if len(w) < 2 or w in self.stoplist:
            return ""
        if self._stemmer is not None:
            w = self._stemmer(w)
        return self.tag + w.translate(accent_map)


# Separates a language code from a word in a language-tagged term: never part
# of a word (WORD_RE), so a tagged term never meets an English one.
LANGUAGE_TAG = ":"
_LANGUAGE_ANALYZERS: dict[str, LanguageAnalyzer] = {}


def language_analyzer(code: str | None) -> LanguageAnalyzer | None:
    """The analyzer of a language other than English (None for English or
    no language: the English analysis every document gets is enough)."""
    if not code or code == "en" or not code.isalpha() or len(code) != 2:
        return None
    got = _LANGUAGE_ANALYZERS.get(code)
    if got is None:
        got = _LANGUAGE_ANALYZERS.setdefault(code, LanguageAnalyzer(code))
    return got


class LanguageText(str):
    """A ``content`` value that says which language its text is in."""

    language: str | None = None

    def __new__(cls, text: str, language: str | None):
        value = super().__new__(cls, text)
        value.language = language
        return value


_U32LE = Struct("<I")
_STRUCTS: dict = {}


def _struct(n: int) -> Struct:
    """Packs a posting value: count n, then n (position, start, end)."""
    st = _STRUCTS.get(n)
    if st is None:
        st = Struct("<%dI" % (1 + 3 * n))
        if n < 256:
            _STRUCTS[n] = st
    return st


class ContentFormat(formats.Characters):
    """Positions and character offsets, like Whoosh's Characters format, but
    stored as little-endian uint32s -- the count n, then n (position,
    startchar, endchar) triples -- instead of a pickle, so reading them for
    phrases and snippets is a C-level copy. Filled in one pass by
    ContentAnalyzer.term_postings."""

    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        fast = getattr(analyzer, "term_postings", None)
        if fast is not None and isinstance(value, str):
            structs = _STRUCTS
            for text, e in fast(value).items():
                n = (len(e) - 1) // 3
                st = structs.get(n) or _struct(n)
                yield (text, n, e[0] * fb, st.pack(n, *e[1:]))
            return
        for text, freq, weight, v in super().word_values(value, analyzer, **kwargs):
            yield (text, freq, weight, self.encode(formats.Characters.decode_characters(self, v)))

    def encode(self, poslist):
        flat = [x for t in poslist for x in t]
        n = len(flat) // 3
        return _struct(n).pack(n, *flat)

    def decode_frequency(self, valuestring):
        return _U32LE.unpack_from(valuestring)[0]

    def decode_weight(self, valuestring):
        return float(self.decode_frequency(valuestring)) * self.field_boost

    def decode_positions(self, valuestring):
        n = _U32LE.unpack_from(valuestring)[0]
        return from_u32(valuestring[4 : 4 + 12 * n])[0::3]

    def decode_characters(self, valuestring):
        n = _U32LE.unpack_from(valuestring)[0]
        a = from_u32(valuestring[4 : 4 + 12 * n])
        return list(zip(a[0::3], a[1::3], a[2::3], strict=False))

    def decode_position_boosts(self, valuestring):
        return [(p, 1.0) for p in self.decode_positions(valuestring)]

    def decode_character_boosts(self, valuestring):
        return [(p, s, e, 1.0) for p, s, e in self.decode_characters(valuestring)]

    def combine(self, vs):
        return self.encode(sorted({t for v in vs for t in self.decode_characters(v)}))


def content_analyzer():
    return ContentAnalyzer()


class ContentField(fields.TEXT):
    """TEXT field whose index() goes straight from ContentAnalyzer's
    term_postings to (term bytes, frequency, weight, value) tuples.

    A LanguageText value in another language than English also gets its
    language's tagged terms, with frequency 0 for the writer, which sums the
    frequencies into the document's length: the length (BM25's) stays that
    of the English analysis, as if the tagged terms were another field.
    """

    def index(self, value, **kwargs):
        fmt = self.format
        fast = getattr(self.analyzer, "term_postings", None)
        if fast is None or not isinstance(value, str) or not isinstance(fmt, ContentFormat):
            return super().index(value, **kwargs)
        out = _postings(fast(value), fmt.field_boost)
        language = language_analyzer(getattr(value, "language", None))
        if language is not None:
            out += _postings(language.term_postings(value), fmt.field_boost, counted=False)
        return out


def _postings(terms: dict, fb: float, counted: bool = True) -> list:
    structs = _STRUCTS
    out = []
    for text, e in terms.items():
        n = (len(e) - 1) // 3
        st = structs.get(n) or _struct(n)
        out.append((text.encode("utf-8"), n if counted else 0, e[0] * fb, st.pack(n, *e[1:])))
    return out


def content_field() -> fields.TEXT:
    f = ContentField(analyzer=content_analyzer(), phrase=True, chars=True)
    f.format = ContentFormat(field_boost=1.0)
    return f


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
        created_ts=fields.COLUMN(columns.NumericColumn("q")),  # UTC microseconds
        body=fields.STORED(),  # first MAX_STORED_BODY chars, for snippets
        content=content_field(),
        subject=fields.ID(analyzer=keyword_analyzer()),
        file_type=fields.ID(stored=True, analyzer=keyword_analyzer()),
        language=fields.ID(stored=True, analyzer=keyword_analyzer()),  # ISO 639-1, resources only
        author=fields.STORED(),
        thumbnail_url=fields.STORED(),
        country=fields.ID(analyzer=keyword_analyzer()),
        tag=fields.ID(analyzer=keyword_analyzer()),  # list of normalized tags
        access=fields.ID(),  # list of principals
        # Facet columns (raw values; tags joined with FACET_SEP)
        f_type=fields.COLUMN(columns.VarBytesColumn()),
        f_file_type=fields.COLUMN(columns.VarBytesColumn()),
        f_language=fields.COLUMN(columns.VarBytesColumn()),
        f_subject=fields.COLUMN(columns.VarBytesColumn()),
        f_tags=fields.COLUMN(columns.VarBytesColumn()),
        # Marker: an index without this field was built by other code
        **{VERSION_FIELD: fields.STORED()},
    )


FACET_SEP = "\x1f"

# Fields a user may name in the query text ("subject:maths"), and the index
# field each maps to.
USER_FIELDS = {"subject": "subject", "tag": "tag", "tags": "tag", "type": "type"}
