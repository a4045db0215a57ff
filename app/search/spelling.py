"""Did-you-mean: replace words the visible index does not know (or barely
knows) by the closest frequent indexed word."""
from __future__ import annotations

from whoosh.support.charset import accent_map
from whoosh.support.levenshtein import distance

MIN_WORD = 3  # shorter words are never corrected
KNOWN_DF = 3  # a word in this many visible documents is never corrected
COUNT_CAP = 50  # stop counting visible documents past this


def visible_df(reader, btext: bytes, allowed, cap: int = COUNT_CAP) -> int:
    """How many documents in ``allowed`` contain the term (up to ``cap``)."""
    try:
        if ("content", btext) not in reader:
            return 0
        ids = reader.postings("content", btext).all_ids()
    except Exception:
        return 0
    n = 0
    for d in ids:
        if d in allowed:
            n += 1
            if n >= cap:
                break
    return n


def _candidates(reader, word: str, maxdist: int):
    out = set()
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    for r, _offset in leaves:
        try:
            out.update(r.terms_within("content", word, maxdist, prefix=1))
        except Exception:
            continue
    return out


def correct_word(reader, analyze, word: str, allowed) -> str | None:
    """A better word for ``word``, or None. ``analyze`` maps a word to its
    indexed (stemmed) form."""
    folded = word.lower().translate(accent_map)
    if len(folded) < MIN_WORD or folded.isdigit():
        return None
    stem = analyze(folded)
    if not stem:
        return None  # stop word
    df = visible_df(reader, stem.encode("utf-8"), allowed, cap=KNOWN_DF)
    if df >= KNOWN_DF:
        return None
    maxdist = 1 if len(folded) <= 4 else 2
    by_dist: dict[int, list[tuple[str, str]]] = {}
    for cand in _candidates(reader, folded, maxdist):
        if cand == folded:
            continue
        cstem = analyze(cand)
        if not cstem or cstem == stem:
            continue
        dist = distance(folded, cand, limit=maxdist + 1)
        if dist <= maxdist:
            by_dist.setdefault(dist, []).append((cand, cstem))
    for dist in sorted(by_dist):
        scored = []
        for cand, cstem in by_dist[dist]:
            cdf = visible_df(reader, cstem.encode("utf-8"), allowed)
            if cdf:
                scored.append((-cdf, cand))
        if not scored:
            continue
        neg_cdf, cand = min(scored)
        if df == 0:
            return cand
        # The word exists but is rare: only a much more common close word
        if dist == 1 and -neg_cdf >= max(20, 10 * df):
            return cand
        return None
    return None


def _match_case(orig: str, new: str) -> str:
    if orig.isupper() and len(orig) > 1:
        return new.upper()
    if orig[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def suggest(reader, analyze, text: str, words, allowed) -> str | None:
    """The corrected query string, or None when every word looks fine."""
    changes = []
    for start, end, word in words:
        fixed = correct_word(reader, analyze, word, allowed)
        if fixed:
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
