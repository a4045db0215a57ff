"""Reading whole posting lists of the ``content`` field quickly, and the
per-segment data the ranking needs (document lengths)."""
from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from struct import Struct

from whoosh.matching.wrappers import FilterMatcher

from .codec import PackedLeafMatcher, PackedValues, from_u32, read_block_postings
from .schema import ContentFormat

FIELD = "content"


# -- posting lists ------------------------------------------------------------


def leaf_postings(leaf, btext: bytes):
    """Posting blocks of one term in one segment: a list of (ids, weights,
    values) with segment-local docnums, deleted documents included (the
    caller filters them out)."""
    try:
        m = leaf.postings(FIELD, btext)
    except Exception:  # noqa: BLE001 (TermNotFound)
        return []
    if isinstance(m, FilterMatcher):
        m = m.child
    if isinstance(m, PackedLeafMatcher):
        return list(read_block_postings(m))
    # Any other matcher, one posting at a time: an inlined list (a term in a
    # single document: FastCodec inlines one posting) or another codec's.
    ids, ws, vs = [], [], []
    while m.is_active():
        ids.append(m.id())
        ws.append(m.weight())
        vs.append(m.value() or b"")
        m.next()
    return [(ids, ws, vs)]


class Postings:
    """One term's postings over all segments: ``ids`` (global docnums,
    ascending), ``ws`` (weights) and values fetched on demand."""

    __slots__ = ("ids", "ws", "_starts", "_vals", "_index", "_flat")

    def __init__(self, blocks_by_leaf):
        ids: list = []
        ws: list = []
        starts: list = []
        vals: list = []
        for offset, blocks in blocks_by_leaf:
            for bids, bws, bvs in blocks:
                starts.append(len(ids))
                vals.append(bvs)
                ids.extend(map(offset.__add__, bids) if offset else bids)
                ws.extend(bws)
        self.ids, self.ws, self._starts, self._vals = ids, ws, starts, vals
        self._index = None
        self._flat = None

    def value(self, j: int) -> bytes:
        b = bisect_right(self._starts, j) - 1
        return self._vals[b][j - self._starts[b]]

    def find(self, d: int) -> int:
        """Index of docnum ``d`` or -1."""
        ids = self.ids
        j = bisect_left(ids, d)
        return j if j < len(ids) and ids[j] == d else -1

    def positions(self, d: int) -> array:
        """Token positions of the term in document ``d`` (which must be in
        the postings)."""
        index, buf, offs = self.position_reader()
        a = offs[index[d]]
        n = _U32LE.unpack_from(buf, a)[0]
        return from_u32(buf[a + 4 : a + 4 + 12 * n])[0::3]

    def position_reader(self):
        """(docnum -> posting index, value buffer, value offsets), built once
        per term, for reading positions of many documents."""
        if self._index is None:
            self._index = dict(zip(self.ids, range(len(self.ids)), strict=False))
            parts: list = []
            offs: list = [0]
            base = 0
            for bv in self._vals:
                if isinstance(bv, PackedValues):
                    o = bv.offsets
                    offs.extend(map(base.__add__, o[1:]))
                    parts.append(bv.joined)
                    base += o[-1]
                else:
                    for v in bv:
                        base += len(v)
                        offs.append(base)
                        parts.append(v)
            self._flat = (memoryview(b"".join(parts)), offs)
        return self._index, self._flat[0], self._flat[1]


_U32LE = Struct("<I")
U32LE2 = Struct("<II")
_U32S: dict = {}


def u32s(n: int) -> Struct:
    st = _U32S.get(n)
    if st is None:
        st = Struct("<%dI" % n)
        if n < 512:
            _U32S[n] = st
    return st
_FORMAT = ContentFormat()
characters = _FORMAT.decode_characters


def leaves(reader) -> list:
    """(segment reader, docnum offset) pairs; none for an empty index."""
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    return [(r, off) for r, off in leaves if r.segment() is not None]


# -- per-segment document lengths ---------------------------------------------

len_lock = threading.Lock()
_len_cache: dict = {}
K_cache: dict = {}


def segment_lengths(leaf) -> list[int]:
    key = (leaf.segment().segment_id(), leaf.doc_count_all())
    with len_lock:
        got = _len_cache.get(key)
    if got is None:
        n = leaf.doc_count_all()
        dfl = leaf.doc_field_length
        got = [dfl(i, FIELD, 0) or 0 for i in range(n)]
        with len_lock:
            if len(_len_cache) > 256:
                _len_cache.clear()
            _len_cache[key] = got
    return got
