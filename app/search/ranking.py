"""Matching and ranking, done with whole posting lists instead of Whoosh's
document-at-a-time matchers (which cost microseconds per document per query
term in pure Python: 300 ms+ for long OR queries on 20,000 documents).

1. Matching: every query node becomes a Python set of document numbers
   (term -> its posting list, AND -> intersection, OR -> union, NOT ->
   difference, phrase -> intersection checked with positions). Set algebra
   runs in C, so the exact total and the facets over ALL matches are cheap.
2. Ranking: BM25 (Lucene's idf) over the positive query terms, term at a
   time, rarest (highest-impact) terms first, with MaxScore pruning: once
   the terms left cannot lift an unseen document into the top ``k``, they
   only refine the documents that still can.
3. Long queries (6+ distinct terms): pseudo-relevance feedback (RM3) adds
   the words that matter in the first pass's best documents, and the
   expanded query re-ranks the first pass's top 300 (never adds matches).

The ``content`` field's term frequencies are already field-weighted (title,
tags, body, extra: see schema.SECTION_WEIGHTS), which makes this BM25F.
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from whoosh import query as wq

from .postings import (
    FIELD,
    U32LE2,
    K_cache,
    Postings,
    characters,
    leaf_postings,
    leaves,
    len_lock,
    segment_lengths,
    u32s,
)
from .schema import SECTION_SEP


@dataclass(frozen=True)
class Ranking:
    """Ranking settings: one set for every query and every kind of
    document (chosen on the CISI collection, see bench/search_quality.py;
    section weights are in schema.SECTION_WEIGHTS)."""

    K1: float = 1.6  # BM25 term-frequency saturation
    B: float = 0.6  # BM25 length normalisation
    phrase_weight: float = 1.0  # extra pseudo-term for an exact phrase
    prefix_weight: float = 0.5  # a prefix counts like a term seen once
    # Pseudo-relevance feedback (RM3) for long queries
    fb_min_terms: int = 6  # distinct query terms needed
    fb_docs: int = 10  # first-pass documents read (0: no feedback)
    fb_terms: int = 20  # expansion terms added
    fb_orig: float = 0.5  # weight of the original query in the mix
    fb_temp: float = 1.0  # how fast document weight falls with score
    fb_max_df: float = 0.5  # skip expansion terms in more than this share of docs
    fb_idf_power: float = 1.0  # rank expansion terms by weight x idf^power
    fb_pool: int = 80  # most frequent feedback terms considered
    fb_rerank: int = 300  # the expanded query re-ranks this many first-pass hits
    max_terms: int = 30  # a longer OR query keeps its rarest terms


RANKING = Ranking()


# -- evaluation ---------------------------------------------------------------


class _Term:
    """A scoring unit: a term, or a phrase / prefix as a pseudo-term."""

    __slots__ = ("ids", "ws", "c", "ub")

    def __init__(self, ids, ws, c, ub):
        self.ids, self.ws, self.c, self.ub = ids, ws, c, ub


class Evaluator:
    """Evaluates one query on one searcher (not shared between threads)."""

    def __init__(self, searcher, ranking: Ranking = RANKING):
        self.s = searcher
        self.r = ranking
        self.leaves = leaves(searcher.reader())
        self.N = max(1, searcher.doc_count_all())
        self.avgfl = max(1e-9, searcher.avg_field_length(FIELD, 1.0) or 1.0)
        self._post: dict = {}
        self._sets: dict = {}
        self._K = None

    # postings, with global docnums ----------------------------------------
    def postings(self, bt: bytes) -> Postings:
        got = self._post.get(bt)
        if got is None:
            got = self._post[bt] = Postings(
                [(offset, leaf_postings(leaf, bt)) for leaf, offset in self.leaves]
            )
        return got

    def char_spans(self, btexts, docs) -> dict:
        """{docnum: [(startchar, endchar, term)]} of the terms in the docs."""
        out = {d: [] for d in docs}
        for bt in btexts:
            p = self.postings(bt)
            word = bt.decode("utf-8", "replace")
            for d in docs:
                j = p.find(d)
                if j >= 0:
                    out[d].extend((sc, ec, word) for _p, sc, ec in characters(p.value(j)))
        return out

    def term_set(self, bt: bytes) -> set:
        got = self._sets.get(bt)
        if got is None:
            got = self._sets[bt] = set(self.postings(bt).ids)
        return got

    def K(self) -> list[float]:
        """Per-document BM25 length normalisation k1*(1-b+b*len/avglen)."""
        if self._K is None:
            k1, b, avg = self.r.K1, self.r.B, self.avgfl
            key = (tuple(leaf.segment().segment_id() for leaf, _ in self.leaves),
                   self.N, avg, k1, b)
            with len_lock:
                K = K_cache.get(key)
            if K is None:
                a0, a1 = k1 * (1 - b), k1 * b / avg
                K = []
                for leaf, _offset in self.leaves:
                    K.extend([a0 + a1 * n for n in segment_lengths(leaf)])
                with len_lock:
                    if len(K_cache) > 8:
                        K_cache.clear()
                    K_cache[key] = K
            self._K = K
        return self._K

    def idf(self, df: int) -> float:
        return math.log(1.0 + (self.N - df + 0.5) / (df + 0.5))

    def limit_terms(self, q, max_terms: int):
        """A very long plain OR query keeps its ``max_terms`` rarest terms
        (the most common ones add little to the ranking but a lot to the
        cost, and would match nearly every document)."""
        if not isinstance(q, wq.Or) or len(q.subqueries) <= max_terms:
            return q
        terms = [s for s in q.subqueries if isinstance(s, wq.Term)]
        others = [s for s in q.subqueries if not isinstance(s, wq.Term)]
        keep = max(0, max_terms - len(others))
        if len(terms) <= keep:
            return q
        df = {t.text: self.doc_frequency(_b(t.text)) for t in terms}
        terms = [t for t in terms if df[t.text]]  # unknown words match nothing
        terms.sort(key=lambda t: (df[t.text], t.text))
        kept = terms[:keep] + others
        return wq.Or(kept) if kept else q

    # boolean matching -------------------------------------------------------
    def docs(self, q) -> set:
        if isinstance(q, wq.Term):
            return self.term_set(_b(q.text))
        if isinstance(q, wq.Phrase):
            return self.phrase_docs(q)
        if isinstance(q, wq.Prefix):
            out: set = set()
            for bt in self.expand(q):
                out |= self.term_set(bt)
            return out
        if isinstance(q, wq.And):
            sets = sorted((self.docs(s) for s in q.subqueries), key=len)
            if not sets:
                return set()
            out = set(sets[0])
            for s in sets[1:]:
                out &= s
                if not out:
                    break
            return out
        if isinstance(q, wq.Or):
            out = set()
            for s in q.subqueries:
                if isinstance(s, wq.Term):  # no per-term set needed
                    out.update(self.postings(_b(s.text)).ids)
                else:
                    out |= self.docs(s)
            return out
        if isinstance(q, wq.AndNot):
            return self.docs(q.a) - self.docs(q.b)
        if isinstance(q, wq.AndMaybe):
            return self.docs(q.a)
        return set()  # Not / anything else on its own matches nothing

    def expand(self, q) -> list[bytes]:
        reader = self.s.reader()
        try:
            return [bt for _f, bt in q.expanded_terms(reader)]
        except Exception:  # noqa: BLE001 (Whoosh raises plain exceptions here)
            return []

    def phrase_docs(self, q) -> set:
        key = (tuple(q.words), getattr(q, "slop", 1))
        got = self._sets.get(key)
        if got is None:
            got = self._sets[key] = self._phrase_docs(q)
        return got

    def _phrase_docs(self, q) -> set:
        words = [_b(w) for w in q.words]
        if not words:
            return set()
        cands = set.intersection(*(self.term_set(w) for w in words))
        if not cands or len(words) < 2:
            return cands
        slop = max(1, getattr(q, "slop", 1))
        readers = [self.postings(w).position_reader() for w in words]
        first = U32LE2.unpack_from
        out = set()
        for d in cands:
            # positions p of word 0 such that word i sits at p+i (.. p+i+slop-1)
            starts = None
            for i, (index, buf, offs) in enumerate(readers):
                a = offs[index[d]]
                n, p0 = first(buf, a)  # count, first position
                if n == 1:
                    ps = (p0,)
                else:
                    ps = u32s(3 * n).unpack_from(buf, a + 4)[0::3]
                if starts is None:
                    starts = set(ps)
                elif slop == 1:
                    if n == 1:
                        starts = {p0 - i} if p0 - i in starts else None
                    else:
                        starts.intersection_update([p - i for p in ps])
                else:
                    starts.intersection_update([p - i - k for p in ps for k in range(slop)])
                if not starts:
                    break
            if starts:
                out.add(d)
        return out

    # scoring ----------------------------------------------------------------
    def query_weights(self, q) -> tuple[dict, list]:
        """({term: weight}, [(docset, weight)]) of the positive parts of the
        query (NOT parts excluded); a term met twice counts twice."""
        weights: dict = {}
        pseudo: list = []

        def walk(node, boost):
            if isinstance(node, wq.Term):
                bt = _b(node.text)
                weights[bt] = weights.get(bt, 0.0) + boost * node.boost
            elif isinstance(node, wq.Phrase):
                for w in node.words:
                    bt = _b(w)
                    weights[bt] = weights.get(bt, 0.0) + boost * node.boost
                if self.r.phrase_weight:
                    pseudo.append((self.phrase_docs(node), boost * self.r.phrase_weight))
            elif isinstance(node, wq.Prefix):
                docs: set = set()
                for bt in self.expand(node):
                    docs |= self.term_set(bt)
                pseudo.append((docs, boost * self.r.prefix_weight))
            elif isinstance(node, wq.AndNot):
                walk(node.a, boost)
            elif isinstance(node, wq.Not):
                return
            elif isinstance(node, (wq.CompoundQuery, wq.BinaryQuery)):
                for sub in node.children():
                    walk(sub, boost * getattr(node, "boost", 1.0))

        walk(q, 1.0)
        return weights, pseudo

    def terms_for(self, weights: dict, pseudo: list) -> list[_Term]:
        k1 = self.r.K1
        out = []
        for bt, qw in weights.items():
            p = self.postings(bt)
            ids, ws = p.ids, p.ws
            if not ids or qw <= 0:
                continue
            c = qw * self.idf(len(ids)) * (k1 + 1)
            maxw = max(ws)
            out.append(_Term(ids, ws, c, c * maxw / (maxw + k1 * (1 - self.r.B))))
        for docs, qw in pseudo:
            if docs:
                # constant contribution: a tf of 1 in an average document
                c = qw * self.idf(len(docs)) * (k1 + 1) / (1 + k1)
                out.append(_Term(sorted(docs), None, c, c))
        out.sort(key=lambda t: -t.ub)
        return out

    def scoring_terms(self, q) -> list[_Term]:
        return self.terms_for(*self.query_weights(q))

    def top(self, q, matched: set, k: int) -> list[tuple[float, int]]:
        """The ``k`` best (score, docnum) among ``matched``, best first.

        Long queries (at least ``Ranking.fb_min_terms`` terms) are ranked in
        two passes: the words that matter most in the first pass's best
        documents are added to the query (RM3 pseudo-relevance feedback),
        which only re-orders the matches, never adds to them."""
        if not matched or k <= 0:
            return []
        weights, pseudo = self.query_weights(q)
        r = self.r
        if r.fb_docs and len(weights) >= r.fb_min_terms and len(matched) > 1:
            depth = max(k, r.fb_docs, r.fb_rerank)
            first = self._top(self.terms_for(weights, pseudo), matched, depth)
            weights = self.feedback(weights, first[: r.fb_docs])
            pool = {d for _s, d in first}
            return self._top(self.terms_for(weights, pseudo), pool, k)
        return self._top(self.terms_for(weights, pseudo), matched, k)

    def feedback(self, weights: dict, first) -> dict:
        """RM3: mix the query's term weights with the term distribution of
        the best first-pass documents (weighted by their scores)."""
        r = self.r
        if not first:
            return weights
        top_score = first[0][0] or 1.0
        rel: dict = {}
        for score, d in first:
            tf = self.doc_terms(d)
            total = sum(tf.values()) or 1.0
            # exp(score difference) ~ query likelihood ratio of the document
            dw = math.exp((score - top_score) / max(top_score, 1e-9) * r.fb_temp)
            for t, f in tf.items():
                rel[t] = rel.get(t, 0.0) + dw * f / total
        # candidates: terms that say something (not in most documents),
        # ranked by feedback weight x idf (rare words that recur in the best
        # documents)
        N = self.N
        cands = []
        pool = heapq.nlargest(r.fb_pool, rel.items(), key=lambda x: x[1])
        for t, w in pool:
            df = self.doc_frequency(t)
            if 1 < df < N * r.fb_max_df:
                cands.append((w * self.idf(df) ** r.fb_idf_power, t))
        cands.sort(reverse=True)
        exp_terms = cands[: r.fb_terms]
        qsum = sum(weights.values()) or 1.0
        esum = sum(w for w, _ in exp_terms) or 1.0
        lam = r.fb_orig
        out = {t: lam * w / qsum for t, w in weights.items()}
        for w, t in exp_terms:
            out[t] = out.get(t, 0.0) + (1 - lam) * w / esum
        scale = qsum / lam  # keep the original terms' absolute weights
        return {t: w * scale for t, w in out.items()}

    def doc_frequency(self, bt: bytes) -> int:
        try:
            return self.s.doc_frequency(FIELD, bt)
        except Exception:  # noqa: BLE001 (Whoosh raises plain exceptions here)
            return 0

    def doc_terms(self, d: int) -> dict:
        """{term: field-weighted frequency} of a document, re-analysed from
        its stored title and (capped) body."""
        f = self.s.stored_fields(d)
        text = SECTION_SEP.join((f.get("body") or "", f.get("title") or ""))
        return {
            t.encode("utf-8"): v[0] for t, v in self.s.schema[FIELD].analyzer.term_postings(text).items()
        }

    def _top(self, terms: list[_Term], matched: set, k: int) -> list[tuple[float, int]]:
        if not terms:
            return [(0.0, d) for d in sorted(matched)[:k]]
        K = self.K()
        if len(matched) * 16 < sum(len(t.ids) for t in terms):
            # few candidates: score each directly (binary search per term)
            docs = list(matched)
            acc = {d: 0.0 for d in docs}
            for t in terms:
                self._add(t, docs, acc, K)
            best = heapq.nlargest(k, acc.items(), key=lambda x: (x[1], -x[0]))
            return [(v, d) for d, v in best]
        rest = list(accumulate(t.ub for t in reversed(terms)))[::-1] + [0.0]
        acc: dict = {}
        get = acc.get
        i = 0
        n = len(terms)
        theta = 0.0
        while i < n:
            # (the k-th best score is at most the best one: skip computing
            # it while the terms left could still beat even the best)
            if len(acc) >= k and rest[i] <= max(acc.values()):
                theta = heapq.nlargest(k, acc.values())[-1]
                if rest[i] <= theta:
                    break
            t = terms[i]
            c = t.c
            if t.ws is None:
                for d in t.ids:
                    if d in matched:
                        acc[d] = get(d, 0.0) + c
            else:
                for d, w in zip(t.ids, t.ws, strict=False):
                    if d in matched:
                        acc[d] = get(d, 0.0) + c * w / (w + K[d])
            i += 1
        # MaxScore: the terms left cannot lift a new document into the top
        # k; they only refine the documents that can still get there.
        cands = list(acc)
        while i < n:
            cands = [d for d in cands if acc[d] + rest[i] > theta]
            if not cands:
                break
            self._add(terms[i], cands, acc, K)
            if len(cands) >= k:
                theta = max(theta, heapq.nlargest(k, [acc[d] for d in cands])[-1])
            i += 1
        best = heapq.nlargest(k, acc.items(), key=lambda x: (x[1], -x[0]))
        if len(best) < k:  # matched documents no scoring term reached
            seen = {d for d, _ in best}
            for d in sorted(matched):
                if len(best) >= k:
                    break
                if d not in seen:
                    best.append((d, 0.0))
        return [(v, d) for d, v in best]

    def scores(self, q, docs: list[int]) -> dict[int, float]:
        """Full scores of the given documents."""
        acc = {d: 0.0 for d in docs}
        K = self.K()
        for t in self.scoring_terms(q):
            self._add(t, docs, acc, K)
        return acc

    @staticmethod
    def _add(t: _Term, docs, acc, K):
        """Add term ``t``'s contribution to the scores of ``docs``: binary
        searches for a few documents, one pass over the postings for many."""
        ids, ws, c = t.ids, t.ws, t.c
        n = len(ids)
        if len(docs) * 12 > n:
            want = docs if isinstance(docs, (set, dict)) else set(docs)
            if ws is None:
                for d in ids:
                    if d in want:
                        acc[d] += c
            else:
                for d, w in zip(ids, ws, strict=False):
                    if d in want:
                        acc[d] += c * w / (w + K[d])
            return
        for d in docs:
            j = bisect_left(ids, d)
            if j < n and ids[j] == d:
                if ws is None:
                    acc[d] += c
                else:
                    w = ws[j]
                    acc[d] += c * w / (w + K[d])


def _b(text) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text
