""""Similar questions" while a member types a new thread's title: threads
the search index ranks highest for the title's words, as the search page
finds them (same index, same access labels), each checked again against
what the member may see. When the index is missing or being built there
are simply none: the composer works without them."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.exceptions import Unavailable
from app.extensions import db
from app.forum import rules
from app.forum.models import Thread
from app.search import service as search

RESULTS = 5
# Only the title's words reach the query: no phrases, prefixes, operators or
# field filters typed by accident ("type: question", "NOT working").
_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = {"and", "or", "not", "andnot", "andmaybe"}


def query_words(title: str) -> str:
    return " ".join(word for word in _WORD.findall(title or "") if word.lower() not in _OPERATORS)


def similar_threads(title: str, viewer) -> tuple[list[Thread], bool]:
    """Up to RESULTS threads like `title` that the viewer may open, best
    first; and whether the index answered."""
    words = query_words(title)
    if not words:
        return [], True
    try:
        hits = search.search(words, viewer, types=["thread"], per_page=RESULTS).hits
    except Unavailable:
        return [], False
    ids = [hit.id for hit in hits]
    found = {t.id: t for t in db.session.scalars(
        select(Thread).where(Thread.id.in_(ids or [-1])).options(joinedload(Thread.category))).unique()}
    return [found[i] for i in ids if i in found and rules.can_see_thread(found[i], viewer)], True
