"""Search for the rest of the app: one index per app, the outbox drain,
rebuilds, status, and queries filtered by what the viewer may open."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import delete, func, select

from app.exceptions import Unavailable
from app.extensions import db
from app.i18n import N_
from app.search.engine import IndexUnavailable, SearchIndex
from app.search.jobs import SearchJob
from app.search.models import Document, SearchQuery, SearchResults
from app.search.registry import PRINCIPAL_PROVIDERS, TYPES
from app.vocabulary import FILE_KINDS

log = logging.getLogger(__name__)
_open_lock = threading.Lock()
BATCH = 500


def index(app: Flask | None = None) -> SearchIndex:
    """The app's index, opened once and shared by every thread; read-only
    when SEARCH_INDEX_READ_ONLY is set (web processes that leave writing to
    `flask search worker`)."""
    app = app or current_app._get_current_object()
    existing = app.extensions.get("search_index")
    if existing is not None:
        return existing
    with _open_lock:
        if "search_index" not in app.extensions:
            app.extensions["search_index"] = SearchIndex(
                app.config["SEARCH_INDEX_DIR"], read_only=app.config.get("SEARCH_INDEX_READ_ONLY", False))
        return app.extensions["search_index"]


def writable_index(app: Flask | None = None) -> SearchIndex:
    """The index for a process that writes it (the worker, `flask search
    reindex`, a restore), whatever SEARCH_INDEX_READ_ONLY says."""
    app = app or current_app._get_current_object()
    existing = app.extensions.get("search_index")
    if existing is not None and not existing.read_only:
        return existing
    with _open_lock:
        existing = app.extensions.get("search_index")
        if existing is None or existing.read_only:
            if existing is not None:
                existing.close()
            app.extensions["search_index"] = SearchIndex(app.config["SEARCH_INDEX_DIR"])
        return app.extensions["search_index"]


def principals_for(user) -> set[str]:
    """Access labels a viewer holds: a document is shown if it carries one."""
    principals = {"public"}
    if user is not None and getattr(user, "is_authenticated", False):
        principals |= {f"user:{user.id}", "members"}
        if user.is_moderator:
            principals.add("moderators")
        for provider in PRINCIPAL_PROVIDERS:
            principals.update(provider(user))
    return principals


def type_filter(value: str | None) -> dict[str, list[str] | None]:
    """`type` names a kind of document (resource, thread...) or a file type
    (pdf, document... link: resources only): search()'s keyword for it."""
    if not value:
        return {"types": None}
    return {"file_types": [value]} if value in FILE_KINDS else {"types": [value]}


def search(text: str, user=None, *, types=None, file_types=None, subject=None, tag=None, country=None,
           language=None, query_language=None, page: int = 1, per_page: int = 20,
           sort: str = "relevance") -> SearchResults:
    """``language`` keeps documents in that language; ``query_language`` (the
    searcher's, `locale.searcher_language`) analyses the query for it too."""
    query = SearchQuery(
        text=text or "", types=types or None, file_types=file_types or None, subject=subject or None,
        tag=tag or None, country=country or None, language=language or None, query_language=query_language,
        principals=principals_for(user), page=page, per_page=per_page, sort=sort,
    )
    try:
        return index().search(query)
    except IndexUnavailable as error:  # the engine logs why, every REOPEN_SECONDS at most
        raise Unavailable(N_("Search is unavailable for a moment while its index is built. "
                             "Try again in a minute.")) from error


# The outbox drain -------------------------------------------------------------

def _documents_for(keys: set[str]) -> tuple[list[Document], list[str]]:
    ids_by_type: dict[str, list[int]] = defaultdict(list)
    deletes: list[str] = []
    for key in keys:
        type_name, _, raw_id = key.partition(":")
        if type_name in TYPES and raw_id.isdigit():
            ids_by_type[type_name].append(int(raw_id))
        else:
            deletes.append(key)
    upserts: list[Document] = []
    for type_name, ids in ids_by_type.items():
        documents = TYPES[type_name].load(ids)
        for item_id in ids:
            document = documents.get(item_id)
            if document is None:
                deletes.append(f"{type_name}:{item_id}")
            else:
                upserts.append(document)
    return upserts, deletes


def drain(batch: int = BATCH) -> int:
    """Apply every pending index job; returns how many jobs were handled.

    Jobs are deleted only after the index has committed them, so a crash in
    between leaves them to be applied again by the next drain.
    """
    handled = 0
    while True:
        rows = db.session.execute(select(SearchJob.id, SearchJob.key).order_by(SearchJob.id).limit(batch)).all()
        db.session.commit()  # end the read transaction before the slow part
        if not rows:
            return handled
        upserts, deletes = _documents_for({key for _, key in rows})
        db.session.commit()
        writable_index().apply(upserts, deletes)
        db.session.execute(delete(SearchJob).where(SearchJob.id.in_([job_id for job_id, _ in rows])))
        db.session.commit()
        handled += len(rows)


def pending_jobs() -> int:
    return db.session.scalar(select(func.count(SearchJob.id))) or 0


def reindex(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database."""
    # Jobs written before this point are covered by the rebuild; later ones
    # are left for the drain.
    last_job = db.session.scalar(select(func.max(SearchJob.id))) or 0

    def documents():
        for searchable in TYPES.values():
            ids = list(searchable.all_ids())
            for start in range(0, len(ids), BATCH):
                chunk = ids[start:start + BATCH]
                loaded = searchable.load(chunk)
                db.session.commit()
                yield from (loaded[item_id] for item_id in chunk if item_id in loaded)

    count = writable_index().rebuild(documents(), progress=progress)
    db.session.execute(delete(SearchJob).where(SearchJob.id <= last_job))
    db.session.commit()
    return count


def status() -> dict:
    """Database and index counts per type, and pending jobs."""
    try:
        in_index, needs_rebuild = index().keys_by_type(), index().needs_rebuild
    except IndexUnavailable:  # read-only here, and not built yet
        in_index, needs_rebuild = {}, True
    types = {
        name: {"database": searchable.count(), "index": in_index.get(name, 0)}
        for name, searchable in TYPES.items()
    }
    return {"types": types, "pending_jobs": pending_jobs(), "needs_rebuild": needs_rebuild}
