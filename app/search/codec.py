"""A Whoosh codec tuned for reading whole posting lists quickly.

Whoosh's default codec (W3Codec) pickles each posting block as Python
tuples: one int object per document number, one float per weight and one
bytes object per posting value. Unpickling that costs about half a
microsecond per posting, paid on every query. This codec keeps Whoosh's file
layout and block headers but stores a block's ids and weights as packed
arrays and its values as one byte string plus an offsets array, so a block
loads in a few C-level copies. It also skips per-block field-length
statistics, which only serve Whoosh's block-quality skipping (unused here)
and cost a third of every commit.

Everything else (term dictionary, stored fields, columns, vectors) is
Whoosh's own code. The codec object is pickled into each segment, so an
index written with it needs this module to be read.

This is also the one module that reaches into Whoosh's private internals:
the W3 codec's writer, field writer and leaf matcher (subclassed here),
reading a leaf matcher's blocks whole (`read_block_postings`), and a full
rebuild's posting pool (`BulkPool`, given to a writer by `use_bulk_pool`).
Whoosh has no public API for any of them, so Whoosh-Reloaded is pinned
exactly (requirements.txt) and tests/test_library_pins.py fails, naming the
pin, if a name used here disappears or changes its signature.
"""
from __future__ import annotations

import marshal
import sys
from array import array
from itertools import groupby, islice
from operator import itemgetter

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter
from whoosh.externalsort import imerge
from whoosh.matching import ListMatcher
from whoosh.writing import PostingPool

_BIG = sys.byteorder == "big"


def to_u32(values) -> bytes:
    a = array("I", values)
    if _BIG:
        a.byteswap()
    return a.tobytes()


def from_u32(b: bytes) -> array:
    a = array("I")
    a.frombytes(b)
    if _BIG:
        a.byteswap()
    return a


def _to_f32(values) -> bytes:
    a = array("f", values)
    if _BIG:
        a.byteswap()
    return a.tobytes()


def _from_f32(b: bytes) -> array:
    a = array("f")
    a.frombytes(b)
    if _BIG:
        a.byteswap()
    return a


class PackedValues:
    """The values of one block: ``joined`` cut at ``offsets`` (n + 1)."""

    __slots__ = ("offsets", "joined")

    def __init__(self, offsets, joined: bytes):
        self.offsets = offsets
        self.joined = joined

    def __len__(self):
        return len(self.offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        o = self.offsets
        return self.joined[o[i] : o[i + 1]]

    def __iter__(self):
        o, j = self.offsets, self.joined
        return (j[o[i] : o[i + 1]] for i in range(len(o) - 1))


class PackedPostingsWriter(W3PostingsWriter):
    def _packable(self):
        return not self._byteids

    def add_posting(self, id_, weight, vbytes, length=None):
        # W3PostingsWriter.add_posting without its per-posting type asserts
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _mini_ids(self):
        if not self._packable():
            return super()._mini_ids()
        return to_u32(self._ids)

    def _mini_weights(self):
        if not self._packable():
            return super()._mini_weights()
        weights = self._weights
        first = weights[0]
        if all(w == first for w in weights):
            return None if first == 1.0 else first
        return _to_f32(weights)

    def _mini_values(self):
        fixedsize = self._format.fixed_value_size()
        values = self._values
        if (
            not self._packable()
            or not (fixedsize is None or fixedsize < 0)
            or len(values) != len(self._ids)
        ):
            return super()._mini_values()
        offsets = [0]
        total = 0
        for v in values:
            total += len(v)
            offsets.append(total)
        # A list (not Whoosh's tuple) marks the packed form
        return [to_u32(offsets), b"".join(values)]


class PackedLeafMatcher(W3LeafMatcher):
    def _read_ids(self):
        if self._data is None:
            self._read_data()
        ids = self._data[0]
        if isinstance(ids, bytes) and not self._byteids:
            self._ids = from_u32(ids)
        else:
            super()._read_ids()

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        w = self._data[1]
        if isinstance(w, bytes):
            self._weights = _from_f32(w)
        elif w is None:
            self._weights = array("f", [1.0]) * self._blocklength
        elif isinstance(w, float):
            self._weights = array("f", [w]) * self._blocklength
        else:
            super()._read_weights()

    def _read_values(self):
        if self._data is None:
            self._read_data()
        vs = self._data[2]
        if isinstance(vs, list):
            self._values = PackedValues(from_u32(vs[0]), vs[1])
        else:
            super()._read_values()


class GroupedFieldWriter(W3FieldWriter):
    """W3FieldWriter taking a term's postings as one group: the generic
    FieldWriter.add_postings does several checks and calls per posting."""

    def add_postings(self, schema, lengths, items):
        if lengths is not None:  # length statistics wanted: generic path
            return super().add_postings(schema, lengths, items)
        lastfn = None
        for (fieldname, btext), group in groupby(items, _TERM_KEY):
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn = fieldname
            self.start_term(btext)
            add = self._postwriter.add_posting
            for _f, _t, docnum, weight, value in group:
                add(docnum, weight, value or b"", None)
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


_TERM_KEY = itemgetter(0, 1)


class FastCodec(W3Codec):
    """W3Codec with packed posting blocks (see module doc)."""

    length_stats = False

    def __init__(self, blocklimit=256, compression=0, inlinelimit=1):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return GroupedFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return PackedPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(
                ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo
            )
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def read_block_postings(m):
    """Yield (ids array, weights array|float|None, values) for each block of
    a PackedLeafMatcher, where values is PackedValues or a sequence; None is
    never returned for ids. Leaves the matcher exhausted."""
    while m.is_active():
        if m._data is None:
            m._read_data()
        m._read_ids()
        m._read_weights()
        m._read_values()
        yield m._ids, m._weights, m._values
        m._next_block()


# A full rebuild's posting pool -----------------------------------------------

class BulkPool(PostingPool):
    """Posting pool for a full rebuild, where documents arrive in docnum
    order: postings are grouped per term as they come, so only the distinct
    terms need sorting (not every posting, as Whoosh's pool does), and runs
    spilled past ``limitmb`` are written as marshal blocks (not one pickle
    call per posting). Not for writers that merge segments."""

    BLOCK = 20_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._terms: dict = {}

    def add(self, item):
        # item = (fieldname, tbytes, docnum, weight, vbytes); same size
        # estimate as PostingPool
        key = (item[0], item[1])
        lst = self._terms.get(key)
        if lst is None:
            lst = self._terms[key] = []
        lst.append((item[2], item[3], item[4]))
        self.currentsize += 180 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()

    def _sorted(self):
        terms = self._terms
        for key in sorted(terms):
            fieldname, tbytes = key
            for docnum, weight, vbytes in terms[key]:
                yield (fieldname, tbytes, docnum, weight, vbytes)

    def save(self):
        if self._terms:
            path, f = self._new_run()
            self._write_run(f, self._sorted())
            self.runs.append(path)
            self._terms = {}
        self.currentsize = 0

    def items(self, maxfiles=128):
        if not self.runs:
            items = self._sorted()
            return items
        self.save()
        runs, self.runs = self.runs, []
        return imerge([self._read_run(path) for path in runs])

    def _write_run(self, f, items):
        it = iter(items)
        try:
            while True:
                block = list(islice(it, self.BLOCK))
                if not block:
                    break
                marshal.dump(block, f)
        finally:
            f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    block = marshal.load(f)
                except EOFError:
                    return
                yield from block
        finally:
            f.close()
            self._remove_run(path)


def use_bulk_pool(writer, limitmb: int) -> None:
    """Give a full rebuild's writer a BulkPool (Whoosh lets no one choose a
    writer's pool: it is made in the writer's constructor, in a temporary
    storage only the writer knows)."""
    writer.pool = BulkPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
