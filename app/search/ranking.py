"""Ranking settings and the scoring loop.

One loop visits every matching document once: it keeps the visible ones
(for the total and the facets) and the top ``limit`` by score.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranking:
    B: float = 0.75
    K1: float = 1.2


RANKING = Ranking()


def score_query(s, q, allowed, limit: int, created=None):
    """Returns (matched docnums, [(score, docnum)] best first).

    ``created``: when given (a list of timestamps by docnum), the top list is
    the newest ``limit`` matches instead of the best scored.
    """
    matched: list[int] = []
    heap: list = []
    scores: dict[int, float] = {}
    ctx = s.context(needs_current=True)
    for sub, offset in s.leaf_searchers():
        m = q.matcher(sub, ctx)
        countdown = 0
        while m.is_active():
            if countdown == 0:
                m = m.replace(0)
                if not m.is_active():
                    break
                countdown = 64
            countdown -= 1
            d = m.id() + offset
            if d in allowed:
                matched.append(d)
                sc = m.score()
                if created:
                    scores[d] = sc
                elif len(heap) < limit:
                    heapq.heappush(heap, (sc, -d))
                elif sc > heap[0][0]:
                    heapq.heapreplace(heap, (sc, -d))
            m.next()
    if created:
        newest = heapq.nlargest(limit, matched, key=lambda d: (created[d], -d))
        return matched, [(scores[d], d) for d in newest]
    top = sorted(heap, reverse=True)
    return matched, [(sc, -nd) for sc, nd in top]
