"""SearchIndex: the product's full-text index over one folder (Whoosh).

A cache of the database: when the folder is missing, empty, from an older
schema or unreadable, an empty index is created and ``needs_rebuild`` is set
so the caller can rebuild it from the database.

Opened ``read_only`` (a web process when one search worker writes the index
for several processes), it never creates, replaces or writes the index: one
it cannot open raises IndexUnavailable on use and is tried again a few
seconds later, until the worker has built it.
"""
from __future__ import annotations

import gc
import heapq
import logging
import re
import threading
import time
from collections import Counter, OrderedDict
from contextlib import contextmanager
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as windex
from whoosh import query as wq
from whoosh.index import LockError
from whoosh.writing import CLEAR

from app.i18n import N_

from .codec import use_bulk_pool
from .models import FACETS, Document, Hit, SearchQuery, SearchResults
from .postings import leaves
from .querybuild import QueryBuilder, normalize_value
from .ranking import RANKING, Evaluator
from .schema import FACET_SEP, VERSION_FIELD, FastCodec, build_schema, content_analyzer, language_analyzer
from .snippets import lead, mark_title, snippet
from .spelling import suggest
from .writing import document_fields, gc_paused

log = logging.getLogger(__name__)

INDEX_NAME = "MAIN"
_INDEX_FILE = re.compile(r"^_?%s(_.*|\.lock)?$" % INDEX_NAME)
MAX_PER_PAGE = 100
MAX_RESULTS = 1000  # deepest result reachable by paging
ALLOWED_CACHE = 32  # visible-document sets kept (per principals and filters)
SNIPPET_TERMS = 40
OPEN_ATTEMPTS = 3
OPEN_RETRY_SECONDS = 0.3
REOPEN_SECONDS = 5.0  # a read-only index that could not be opened is tried again this often


class IndexUnavailable(RuntimeError):
    """A read-only index that cannot be opened yet (its writer is building it)."""


class SearchIndex:
    """Full-text index of Documents in ``path``. Thread-safe."""

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self.needs_rebuild = False
        self._reopen_lock = threading.Lock()
        self._reopen_after = 0.0
        self.unavailable_reason: str | None = None
        self._write_lock = threading.RLock()
        self._pool_lock = threading.Lock()
        self._pool: list = []
        self._cache_lock = threading.Lock()
        self._seg_cols: dict = {}
        self._allowed: OrderedDict = OrderedDict()
        self._builder = QueryBuilder()
        self._analyzer = content_analyzer()
        self.ranking = RANKING
        self._closed = False
        self._ix = self._open()

    # -- opening ---------------------------------------------------------
    def _open(self):
        if not self.read_only:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError:
                log.warning("search index folder %s cannot be created", self.path)
                raise
        reason = None
        # Another process (the search worker) may be committing or merging
        # right now, replacing segment files as we read them: an unreadable
        # index is tried again before it is taken for corrupt and replaced.
        for attempt in range(OPEN_ATTEMPTS):
            try:
                if windex.exists_in(str(self.path), indexname=INDEX_NAME):
                    ix = windex.open_dir(str(self.path), indexname=INDEX_NAME)
                    if VERSION_FIELD not in ix.schema.names():
                        reason = "built with another schema"
                        ix.close()
                    else:
                        self._check(ix)
                        self.unavailable_reason = None
                        return ix
                else:
                    reason = "missing or empty"
                break
            except Exception as exc:  # noqa: BLE001 (corrupt, truncated, unreadable)
                reason = "unreadable (%s: %s)" % (type(exc).__name__, exc)
                if attempt + 1 < OPEN_ATTEMPTS:
                    time.sleep(OPEN_RETRY_SECONDS)
        if self.read_only:
            log.warning("search index at %s is %s: this process only reads it, so it waits "
                        "for the search worker to build it", self.path, reason)
            self.unavailable_reason = reason
            self._reopen_after = time.monotonic() + REOPEN_SECONDS
            return None
        log.warning("search index at %s is %s: creating an empty one", self.path, reason)
        self.needs_rebuild = True
        self._remove_index_files()
        return windex.create_in(str(self.path), build_schema(), indexname=INDEX_NAME)

    def _opened(self):
        """The open index. A read-only one that could not be opened is tried
        again once REOPEN_SECONDS have passed; until then IndexUnavailable."""
        if self._ix is None:
            with self._reopen_lock:
                if self._ix is None and time.monotonic() >= self._reopen_after:
                    self._ix = self._open()
            if self._ix is None:
                raise IndexUnavailable(f"the search index is {self.unavailable_reason}")
        return self._ix

    def _writable(self):
        if self.read_only:
            raise IndexUnavailable("this process opened the search index read-only")
        return self._opened()

    @staticmethod
    def _check(ix):
        """Read a little of every segment so corrupt files fail here."""
        with ix.searcher() as s:
            for leaf, _ in leaves(s.reader()):
                n = leaf.doc_count_all()
                if n:
                    leaf.stored_fields(0)
                    leaf.stored_fields(n - 1)
                    for name in ("f_type", "f_file_type", "f_subject", "f_language", "f_tags", "created_ts"):
                        if leaf.has_column(name):
                            cr = leaf.column_reader(name)
                            cr[0], cr[n - 1]
                    leaf.doc_field_length(n - 1, "content")
                for fname in ("content", "key", "access"):
                    for i, (text, _ti) in enumerate(leaf.iter_field(fname)):
                        list(leaf.postings(fname, text).all_ids())
                        if i >= 2:
                            break

    def _remove_index_files(self):
        for p in self.path.iterdir():
            if p.is_file() and _INDEX_FILE.match(p.name):
                try:
                    p.unlink()
                except OSError:
                    log.warning("could not remove %s", p)

    # -- writing ---------------------------------------------------------
    def apply(
        self,
        upserts: Iterable[Document],
        deletes: Iterable[str] = (),
        timeout: float = 10.0,
    ) -> None:
        """Delete the ``deletes`` keys, then add or replace the ``upserts``
        (by key), in one commit. Raises whoosh.index.LockError when another
        writer (a thread here, or another process) holds the index longer
        than ``timeout`` seconds."""
        upserts = list(upserts)
        deletes = list(deletes)
        if not upserts and not deletes:
            return
        if not self._write_lock.acquire(timeout=max(0.0, timeout)):
            raise LockError("search index busy (another writer in this process)")
        try:
            w = self._writable().writer(timeout=timeout, codec=FastCodec())
            try:
                for key in deletes:
                    w.delete_by_term("key", key)
                for doc in upserts:
                    w.update_document(**document_fields(doc))
            except BaseException:
                w.cancel()
                raise
            w.commit()
        finally:
            self._write_lock.release()

    def rebuild(
        self,
        documents: Iterable[Document],
        progress: Callable[[int], None] | None = None,
        timeout: float = 60.0,
    ) -> int:
        """Replace the whole index by ``documents``; returns their count
        (a repeated key is indexed once). Searches keep seeing the old index
        until the single final commit."""
        with self._write_lock, gc_paused():
            w = self._writable().writer(
                timeout=timeout, limitmb=256, procs=1, codec=FastCodec()
            )
            use_bulk_pool(w, limitmb=256)
            n = 0
            seen = set()
            try:
                for doc in documents:
                    if doc.key in seen:
                        continue
                    seen.add(doc.key)
                    w.add_document(**document_fields(doc))
                    n += 1
                    if n % 500 == 0:
                        gc.collect(1)  # young cycles (e.g. ORM rows) only
                        if progress:
                            progress(n)
            except BaseException:
                w.cancel()
                raise
            w.commit(mergetype=CLEAR)
            self.needs_rebuild = False
        if progress:
            progress(n)
        return n

    # -- reading ---------------------------------------------------------
    @contextmanager
    def _searcher(self):
        """A pooled searcher, refreshed when the index has changed."""
        with self._pool_lock:
            s = self._pool.pop() if self._pool else None
        try:
            if s is not None and not s.up_to_date():
                # Not Searcher.refresh(): its reader reuse keeps the old
                # segments' deletions (stale hits after a delete).
                s.close()
                s = None
            if s is None:
                s = self._opened().searcher()
        except Exception:
            if s is not None:
                s.close()
            raise
        try:
            yield s
        finally:
            with self._pool_lock:
                if self._closed:
                    s.close()
                else:
                    self._pool.append(s)

    def doc_count(self) -> int:
        with self._searcher() as s:
            return s.doc_count()

    def has(self, key: str) -> bool:
        with self._searcher() as s:
            return s.document_number(key=key) is not None

    def keys_by_type(self) -> dict[str, int]:
        with self._searcher() as s:
            types = self._column(s, "f_type")
            return dict(Counter(types[d] for d in self._live_docs(s)))

    def close(self) -> None:
        with self._pool_lock:
            self._closed = True
            pool, self._pool = self._pool, []
        for s in pool:
            s.close()
        if self._ix is not None:
            self._ix.close()

    # -- caches per index version -----------------------------------------
    @staticmethod
    def _leaves(s):
        return leaves(s.reader())

    def _column(self, s, name: str) -> list:
        """Column values for every docnum of ``s`` (decoded), cached per
        segment so a small commit does not reload the big segments."""
        segs = self._leaves(s)
        whole = (tuple(leaf.segment().segment_id() for leaf, _ in segs), name)
        with self._cache_lock:
            got = self._seg_cols.get(whole)
        if got is not None:
            return got
        parts = []
        for leaf, _offset in segs:
            key = (leaf.segment().segment_id(), name)
            with self._cache_lock:
                vals = self._seg_cols.get(key)
            if vals is None:
                n = leaf.doc_count_all()
                if leaf.has_column(name):
                    cr = leaf.column_reader(name)
                    vals = [cr[i] for i in range(n)]
                    if name == "f_tags":
                        vals = [tuple(v.decode("utf-8", "replace").split(FACET_SEP)) if v else ()
                                for v in vals]
                    elif name != "created_ts":
                        vals = [v.decode("utf-8", "replace") for v in vals]
                else:
                    vals = [{"created_ts": 0, "f_tags": ()}.get(name, "")] * n
                with self._cache_lock:
                    if len(self._seg_cols) > 64:
                        self._seg_cols.clear()
                    self._seg_cols[key] = vals
            parts.append(vals)
        got = parts[0] if len(parts) == 1 else list(chain.from_iterable(parts))
        with self._cache_lock:
            self._seg_cols[whole] = got
        return got

    def _live_docs(self, s):
        return s.docs_for_query(wq.Every())

    def _allowed_docs(self, s, sq: SearchQuery, text_filters) -> set:
        """Docnums the principals may see that pass every filter."""
        principals = tuple(sorted(p for p in (sq.principals or ()) if p))
        if not principals:
            return set()
        conds = [wq.Or([wq.Term("access", p) for p in principals])]
        for fname, values in (("type", sq.types), ("file_type", sq.file_types)):
            values = [normalize_value(v) for v in (values or []) if v]
            if values:
                conds.append(wq.Or([wq.Term(fname, v) for v in values]))
        for fname, val in (("subject", sq.subject), ("tag", sq.tag), ("country", sq.country),
                           ("language", sq.language)):
            if val:
                conds.append(wq.Term(fname, normalize_value(val)))
        for fname, vals in sorted(text_filters.items()):
            # "type:pdf" in the text names a file type as well as a kind of document.
            names = (fname, "file_type") if fname == "type" else (fname,)
            conds.append(wq.Or([wq.Term(name, v) for v in vals for name in names]))
        fq = wq.And(conds) if len(conds) > 1 else conds[0]
        key = (s.reader().generation(), repr(fq))
        with self._cache_lock:
            docs = self._allowed.get(key)
            if docs is not None:
                self._allowed.move_to_end(key)
                return docs
        docs = set(s.docs_for_query(fq))
        with self._cache_lock:
            for old in [k for k in self._allowed if k[0] != key[0]]:
                del self._allowed[old]  # an older index version
            self._allowed[key] = docs
            while len(self._allowed) > ALLOWED_CACHE:
                self._allowed.popitem(last=False)
        return docs

    # -- searching ---------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        page = max(1, int(query.page or 1))
        per_page = min(MAX_PER_PAGE, max(1, int(query.per_page or 20)))
        res = SearchResults(total=0, page=page, per_page=per_page)
        res.facets = dict.fromkeys(FACETS, {})
        parsed = self._builder.build(query.text, query.query_language)
        res.message = parsed.message
        if parsed.query is None:
            return res
        with self._searcher() as s:
            allowed = self._allowed_docs(s, query, parsed.filters)
            ev = Evaluator(s, self.ranking)
            parsed.query = ev.limit_terms(parsed.query, self.ranking.max_terms)
            if allowed:
                limit = min(page * per_page, MAX_RESULTS)
                matched = ev.docs(parsed.query) & allowed
                res.total = len(matched)
                if matched:
                    res.facets = self._facets(s, matched)
                    if query.sort == "newest":
                        ts = self._column(s, "created_ts")
                        newest = heapq.nlargest(limit, matched, key=lambda d: (ts[d], -d))
                        sc = ev.scores(parsed.query, newest)
                        top = [(sc[d], d) for d in newest]
                    else:
                        top = ev.top(parsed.query, matched, limit)
                    start = (page - 1) * per_page
                    res.hits = self._hits(s, ev, parsed.query, top[start : start + per_page],
                                          self._title_analyzers(query.query_language))
            if parsed.words:
                res.suggestion = suggest(
                    ev,
                    self._builder.analyze,
                    (query.text or "")[: len(parsed.text)],
                    parsed.words,
                    allowed,
                )
        if res.total == 0 and not res.message:
            res.message = N_("No results. Check the spelling or try fewer or other words.")
        return res

    def _facets(self, s, matched) -> dict[str, dict[str, int]]:
        counts = {facet: Counter(map(self._column(s, column).__getitem__, matched))
                  for facet, column in (("type", "f_type"), ("file_type", "f_file_type"), ("subject", "f_subject"),
                                        ("language", "f_language"))}
        tags = self._column(s, "f_tags")
        counts["tag"] = Counter(chain.from_iterable(map(tags.__getitem__, matched)))
        for c in counts.values():
            c.pop("", None)
        return {facet: dict(counts[facet].most_common()) for facet in FACETS}

    def _title_analyzers(self, language: str | None) -> tuple:
        """What marks the query's words in titles: English, and the searcher's language."""
        other = language_analyzer(language)
        return (self._analyzer,) if other is None else (self._analyzer, other)

    def _hits(self, s, ev, q, top, analyzers) -> list[Hit]:
        if not top:
            return []
        btexts = positive_terms(q, s.reader(), SNIPPET_TERMS)
        spans = ev.char_spans(btexts, [d for _, d in top])
        words = {b.decode("utf-8", "replace") for b in btexts}
        hits = []
        for score, d in top:
            f = s.stored_fields(d)
            body = f.get("body") or ""
            title = f.get("title") or ""
            try:
                created = datetime.fromisoformat(f.get("created"))
            except (TypeError, ValueError):
                created = None
            hits.append(
                Hit(
                    type=f.get("type", ""),
                    id=f.get("id"),
                    title=title,
                    url=f.get("url", ""),
                    snippet=snippet(body, spans.get(d)) if body else lead(""),
                    score=float(score),
                    title_html=mark_title(title, analyzers, words),
                    created_at=created,
                    file_type=f.get("file_type"),
                    author=f.get("author"),
                    thumbnail_url=f.get("thumbnail_url"),
                    language=f.get("language"),
                )
            )
        return hits


def positive_terms(q, reader, limit: int) -> list[bytes]:
    """Indexed content terms the query looks for (not the NOT parts)."""
    out: list[bytes] = []
    seen = set()

    def walk(node):
        if len(out) >= limit:
            return
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, (wq.Term, wq.Phrase)) or isinstance(node, wq.Prefix):
            try:
                terms = node.existing_terms(reader, phrases=True, expand=True)
            except Exception:  # noqa: BLE001 (Whoosh raises plain exceptions here)
                terms = ()
            for fname, bt in sorted(terms):
                if fname == "content" and bt not in seen and len(out) < limit:
                    seen.add(bt)
                    out.append(bt)
            return
        for sub in node.children():
            walk(sub)

    walk(q)
    return out
