"""Turning Documents into index fields, and a bulk-build helper (the bulk
build's posting pool is in codec.py, with Whoosh's other internals)."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import datetime, timezone

from .models import Document
from .querybuild import normalize_value
from .schema import FACET_SEP, MAX_INDEXED_BODY, MAX_STORED_BODY, SECTION_SEP, LanguageText


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
        "content": LanguageText(content, doc.language) if doc.language else content,
        "subject": normalize_value(doc.subject) if doc.subject else None,
        "file_type": normalize_value(doc.file_type) if doc.file_type else None,
        "language": normalize_value(doc.language) if doc.language else None,
        "author": doc.author,
        "thumbnail_url": doc.thumbnail_url,
        "country": normalize_value(doc.country) if doc.country else None,
        "tag": ntags or None,
        "access": sorted({p for p in (doc.access or []) if p}) or None,
        "f_type": (doc.type or "").encode("utf-8"),
        "f_file_type": (doc.file_type or "").encode("utf-8"),
        "f_subject": (doc.subject or "").encode("utf-8"),
        "f_language": (doc.language or "").encode("utf-8"),
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
