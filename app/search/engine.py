"""SearchIndex: the product's full-text index over one folder (Whoosh).

A cache of the database: when the folder is missing, empty, from an older
schema or unreadable, an empty index is created and ``needs_rebuild`` is set
so the caller can rebuild it from the database.
"""
from __future__ import annotations

import heapq
import logging
import re
import threading
from collections import Counter, OrderedDict
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as windex
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.writing import CLEAR

from .models import Document, Hit, SearchQuery, SearchResults
from .querybuild import QueryBuilder, normalize_value
from .ranking import RANKING, score_query
from .schema import (
    FACET_SEP,
    MAX_INDEXED_BODY,
    MAX_STORED_BODY,
    SECTION_SEP,
    VERSION_FIELD,
    build_schema,
    content_analyzer,
)
from .snippets import lead, load_char_spans, mark_title, snippet
from .spelling import suggest

log = logging.getLogger(__name__)

INDEX_NAME = "MAIN"
_INDEX_FILE = re.compile(r"^_?%s(_.*|\.lock)?$" % INDEX_NAME)
MAX_PER_PAGE = 100
MAX_RESULTS = 1000  # deepest result reachable by paging
ALLOWED_CACHE = 128
SNIPPET_TERMS = 40


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


class SearchIndex:
    """Full-text index of Documents in ``path``. Thread-safe."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.needs_rebuild = False
        self._write_lock = threading.RLock()
        self._pool_lock = threading.Lock()
        self._pool: list = []
        self._cache_lock = threading.Lock()
        self._seg_cols: dict = {}
        self._allowed: OrderedDict = OrderedDict()
        self._builder = QueryBuilder(coord=None)
        self._analyzer = content_analyzer()
        self._weighting = BM25F(B=RANKING.B, K1=RANKING.K1)
        self._closed = False
        self._ix = self._open()

    # -- opening ---------------------------------------------------------
    def _open(self):
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError:
            log.warning("search index folder %s cannot be created", self.path)
            raise
        reason = None
        try:
            if windex.exists_in(str(self.path), indexname=INDEX_NAME):
                ix = windex.open_dir(str(self.path), indexname=INDEX_NAME)
                if VERSION_FIELD not in ix.schema.names():
                    reason = "built with another schema"
                    ix.close()
                else:
                    self._check(ix)
                    return ix
            else:
                reason = "missing or empty"
        except Exception as exc:  # corrupt, truncated, unreadable
            reason = "unreadable (%s: %s)" % (type(exc).__name__, exc)
        log.warning("search index at %s is %s: creating an empty one", self.path, reason)
        self.needs_rebuild = True
        self._remove_index_files()
        return windex.create_in(str(self.path), build_schema(), indexname=INDEX_NAME)

    @staticmethod
    def _check(ix):
        """Read a little of every segment so corrupt files fail here."""
        with ix.searcher() as s:
            r = s.reader()
            leaves = r.leaf_readers() if not r.is_atomic() else [(r, 0)]
            for leaf, _ in leaves:
                n = leaf.doc_count_all()
                if n:
                    leaf.stored_fields(0)
                    leaf.stored_fields(n - 1)
                    for name in ("f_type", "f_subject", "f_tags", "created_ts"):
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
        """Delete ``deletes`` keys, then add or replace ``upserts`` (one
        commit). Raises whoosh LockError if another writer holds the index
        longer than ``timeout`` seconds."""
        upserts = list(upserts)
        deletes = list(deletes)
        if not upserts and not deletes:
            return
        with self._write_lock:
            w = self._ix.writer(timeout=timeout)
            try:
                for key in deletes:
                    w.delete_by_term("key", key)
                for doc in upserts:
                    w.update_document(**document_fields(doc))
            except BaseException:
                w.cancel()
                raise
            w.commit()

    def rebuild(
        self,
        documents: Iterable[Document],
        progress: Callable[[int], None] | None = None,
        timeout: float = 60.0,
    ) -> int:
        """Replace the whole index by ``documents``; returns their count.
        Searches keep seeing the old index until the final commit."""
        with self._write_lock:
            w = self._ix.writer(timeout=timeout, limitmb=256, procs=1)
            n = 0
            seen = set()
            try:
                for doc in documents:
                    if doc.key in seen:
                        continue
                    seen.add(doc.key)
                    w.add_document(**document_fields(doc))
                    n += 1
                    if progress and n % 500 == 0:
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
                s = self._ix.searcher(weighting=self._weighting)
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
        self._ix.close()

    # -- caches per index version -----------------------------------------
    @staticmethod
    def _leaves(s):
        r = s.reader()
        return r.leaf_readers() if not r.is_atomic() else [(r, 0)]

    def _column(self, s, name: str) -> list:
        """Column values for every docnum of ``s`` (decoded), cached per
        segment so a small commit does not reload the big segments."""
        parts = []
        for leaf, _offset in self._leaves(s):
            key = (leaf.segment().segment_id(), name)
            with self._cache_lock:
                vals = self._seg_cols.get(key)
            if vals is None:
                n = leaf.doc_count_all()
                if leaf.has_column(name):
                    cr = leaf.column_reader(name)
                    if name == "created_ts":
                        vals = [cr[i] for i in range(n)]
                    else:
                        vals = [cr[i].decode("utf-8", "replace") for i in range(n)]
                else:
                    vals = [0 if name == "created_ts" else ""] * n
                with self._cache_lock:
                    if len(self._seg_cols) > 64:
                        self._seg_cols.clear()
                    self._seg_cols[key] = vals
            parts.append(vals)
        return parts[0] if len(parts) == 1 else [v for p in parts for v in p]

    def _live_docs(self, s):
        return s.docs_for_query(wq.Every())

    def _allowed_docs(self, s, sq: SearchQuery, text_filters) -> set:
        """Docnums the principals may see that pass every filter."""
        principals = tuple(sorted(p for p in (sq.principals or ()) if p))
        if not principals:
            return set()
        conds = [wq.Or([wq.Term("access", p) for p in principals])]
        types = [normalize_value(t) for t in (sq.types or []) if t]
        if types:
            conds.append(wq.Or([wq.Term("type", t) for t in types]))
        for fname, val in (("subject", sq.subject), ("tag", sq.tag), ("country", sq.country)):
            if val:
                conds.append(wq.Term(fname, normalize_value(val)))
        for fname, vals in sorted(text_filters.items()):
            conds.append(wq.Or([wq.Term(fname, v) for v in vals]))
        fq = wq.And(conds) if len(conds) > 1 else conds[0]
        key = (s.reader().generation(), repr(fq))
        with self._cache_lock:
            docs = self._allowed.get(key)
            if docs is not None:
                self._allowed.move_to_end(key)
                return docs
        docs = set(s.docs_for_query(fq))
        with self._cache_lock:
            self._allowed[key] = docs
            while len(self._allowed) > ALLOWED_CACHE:
                self._allowed.popitem(last=False)
        return docs

    # -- searching ---------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        page = max(1, int(query.page or 1))
        per_page = min(MAX_PER_PAGE, max(1, int(query.per_page or 20)))
        res = SearchResults(total=0, page=page, per_page=per_page)
        res.facets = {"type": {}, "subject": {}, "tag": {}}
        parsed = self._builder.build(query.text)
        res.message = parsed.message
        if parsed.query is None:
            return res
        with self._searcher() as s:
            allowed = self._allowed_docs(s, query, parsed.filters)
            if allowed:
                limit = min(page * per_page, MAX_RESULTS)
                matched, top = score_query(s, parsed.query, allowed, limit, query.sort == "newest"
                                           and self._column(s, "created_ts"))
                res.total = len(matched)
                if matched:
                    res.facets = self._facets(s, matched)
                    start = (page - 1) * per_page
                    res.hits = self._hits(s, parsed.query, top[start : start + per_page])
            if parsed.words:
                res.suggestion = suggest(
                    s.reader(),
                    self._builder.analyze,
                    (query.text or "")[: len(parsed.text)],
                    parsed.words,
                    allowed,
                )
        if res.total == 0 and not res.message:
            res.message = (
                "No results. Check the spelling or try fewer or other words."
            )
        return res

    def _facets(self, s, matched) -> dict[str, dict[str, int]]:
        types = self._column(s, "f_type")
        subjects = self._column(s, "f_subject")
        tags = self._column(s, "f_tags")
        tc = Counter(types[d] for d in matched)
        sc = Counter(subjects[d] for d in matched)
        gc: Counter = Counter()
        for d in matched:
            v = tags[d]
            if v:
                gc.update(set(v.split(FACET_SEP)))
        sc.pop("", None)
        tc.pop("", None)
        return {
            "type": dict(tc.most_common()),
            "subject": dict(sc.most_common()),
            "tag": dict(gc.most_common()),
        }

    def _hits(self, s, q, top) -> list[Hit]:
        if not top:
            return []
        reader = s.reader()
        btexts = positive_terms(q, reader, SNIPPET_TERMS)
        spans = load_char_spans(reader, [d for _, d in top], btexts)
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
                    title_html=mark_title(title, self._analyzer, words),
                    created_at=created,
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
            except Exception:
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
