"""Turning Documents into index fields, and bulk-build helpers."""
from __future__ import annotations

import gc
import marshal
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import islice

from whoosh.externalsort import imerge
from whoosh.writing import PostingPool

from .models import Document
from .querybuild import normalize_value
from .schema import FACET_SEP, MAX_INDEXED_BODY, MAX_STORED_BODY, SECTION_SEP


def _clean(text: str | None) -> str:
    return (text or "").replace(SECTION_SEP, " ")


def _utc(dt: datetime | None) -> datetime:
    if dt is None:
        return datetime.fromtimestamp(0, timezone.utc)
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def document_fields(doc: Document) -> dict:
    """The Whoosh field values for one Document."""
    body = _clean(doc.body)[:MAX_INDEXED_BODY]
    title = _clean(doc.title).strip()
    tags = [t.strip() for t in (doc.tags or []) if t and t.strip()]
    extra = _clean(doc.extra)
    created = _utc(doc.created_at)
    content = SECTION_SEP.join((body, title, " ; ".join(_clean(t) for t in tags), extra))
    ntags = sorted({normalize_value(t) for t in tags} - {""})
    return {
        "key": doc.key,
        "type": normalize_value(doc.type),
        "id": doc.id,
        "title": title,
        "url": doc.url,
        "created": created.isoformat(),
        "created_ts": int(created.timestamp() * 1_000_000),
        "body": body[:MAX_STORED_BODY],
        "content": content,
        "subject": normalize_value(doc.subject) if doc.subject else None,
        "country": normalize_value(doc.country) if doc.country else None,
        "tag": ntags or None,
        "access": sorted({p for p in (doc.access or []) if p}) or None,
        "f_type": (doc.type or "").encode("utf-8"),
        "f_subject": (doc.subject or "").encode("utf-8"),
        "f_tags": FACET_SEP.join(tags).encode("utf-8"),
    }


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector's automatic runs during a bulk
    build: full collections over the posting pool's millions of objects (and
    everything else a big app has loaded) cost 10-25% of the build time.
    The caller runs cheap young-generation collections now and then."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
