"""Did-you-mean: replace words the visible documents do not contain (or
barely contain) by the closest frequent indexed word.

The index holds stems ("photosynthesi"), so candidates are stems within a
small edit distance of the typed word's stem; the word shown to the user is
the candidate's real spelling, read back from a visible document that
contains it (closest to what was typed, e.g. "teaching" rather than
"teaches" for "teachng"). Only documents the searcher may see count, so a
suggestion never reveals a private document's words.
"""
from __future__ import annotations

from whoosh.support.charset import accent_map
from whoosh.support.levenshtein import distance

from .postings import characters, leaves
from .schema import LANGUAGE_TAG, WORD_RE

MIN_WORD = 3  # shorter words are never corrected
MAX_WORD = 30  # nor longer ones (no real word; edits would cost too much)
MAX_WORDS = 8  # words of one query checked at most
KNOWN_DF = 3  # a word in this many visible documents is never corrected
COUNT_CAP = 50  # stop counting visible documents past this
SURFACE_DOCS = 10  # documents read to find a candidate's spelling


def visible_docs(ev, bt: bytes, allowed, cap: int = COUNT_CAP) -> list[int]:
    """Up to ``cap`` visible documents containing the term."""
    out = []
    for d in ev.postings(bt).ids:
        if d in allowed:
            out.append(d)
            if len(out) >= cap:
                break
    return out


def _candidates(reader, stem: str, maxdist: int) -> set[str]:
    out: set = set()
    for r, _offset in leaves(reader):
        try:
            out.update(r.terms_within("content", stem, maxdist, prefix=1))
        except Exception:  # noqa: BLE001 (Whoosh raises plain exceptions here)
            continue
    return {term for term in out if LANGUAGE_TAG not in term}  # a language's terms are no spelling


def _surface(ev, analyze, cstem: str, typed: str, docs: list[int]) -> str:
    """How ``cstem`` is spelt in the documents, closest to ``typed``."""
    forms: dict = {}
    p = ev.postings(cstem.encode("utf-8"))
    for d in docs[:SURFACE_DOCS]:
        f = ev.s.stored_fields(d)
        body = f.get("body") or ""
        j = p.find(d)
        if j >= 0:
            for _pos, sc, ec in characters(p.value(j)):
                if ec <= len(body):
                    w = body[sc:ec].lower()
                    forms[w] = forms.get(w, 0) + 1
        for m in WORD_RE.finditer(f.get("title") or ""):
            w = m.group(0).lower()
            if analyze(w) == cstem:
                forms[w] = forms.get(w, 0) + 1
    if not forms:
        return cstem
    return min(forms, key=lambda w: (distance(typed, w.translate(accent_map)), -forms[w], w))


def correct_word(ev, analyze, word: str, allowed) -> str | None:
    """A better word for ``word``, or None."""
    folded = word.lower().translate(accent_map)
    if not MIN_WORD <= len(folded) <= MAX_WORD or folded.isdigit():
        return None
    stem = analyze(folded)
    if not stem:
        return None  # stop word
    df = len(visible_docs(ev, stem.encode("utf-8"), allowed, cap=KNOWN_DF))
    if df >= KNOWN_DF:
        return None
    maxdist = 1 if len(stem) <= 4 else 2
    reader = ev.s.reader()
    by_dist: dict[int, set[str]] = {}
    # stems within a small distance of the typed word's stem...
    for cand in _candidates(reader, stem, maxdist):
        if cand != stem:
            dist = distance(stem, cand, limit=maxdist + 1)
            if dist <= maxdist:
                by_dist.setdefault(dist, set()).add(cand)
    # ...and the stems of words one edit away from the typed word
    # ("probabilty" -> "probability" -> "probabl")
    for edit in _edits1(folded):
        cand = analyze(edit)
        if cand and cand != stem and _indexed(reader, cand):
            by_dist.setdefault(1, set()).add(cand)
    for dist in sorted(by_dist):
        scored = []
        for cand in by_dist[dist]:
            docs = visible_docs(ev, cand.encode("utf-8"), allowed)
            if docs:
                scored.append((-len(docs), cand, docs))
        if not scored:
            continue
        neg_df, cand, docs = min(scored)
        # A word that exists but is rare only gives way to a much more
        # common close word
        if df and not (dist == 1 and -neg_df >= max(20, 10 * df)):
            return None
        return _surface(ev, analyze, cand, folded, docs)
    return None


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    """Words one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


def _indexed(reader, stem: str) -> bool:
    try:
        return ("content", stem.encode("utf-8")) in reader
    except Exception:  # noqa: BLE001 (Whoosh raises plain exceptions here)
        return False


def _match_case(orig: str, new: str) -> str:
    if orig.isupper() and len(orig) > 1:
        return new.upper()
    if orig[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def suggest(ev, analyze, text: str, words, allowed) -> str | None:
    """The corrected query string, or None when every word looks fine."""
    changes = []
    for start, end, word in words[:MAX_WORDS]:
        fixed = correct_word(ev, analyze, word, allowed)
        if fixed and fixed != word.lower():
            changes.append((start, end, _match_case(word, fixed)))
    if not changes:
        return None
    out = []
    i = 0
    for start, end, new in changes:
        out.append(text[i:start])
        out.append(new)
        i = end
    out.append(text[i:])
    return " ".join("".join(out).split())
