"""Plain data classes of the search API (no Whoosh types leak out)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

FACETS = ("type", "file_type", "subject", "language", "tag")


@dataclass
class Document:
    """One searchable thing. ``key`` ("resource:12") is unique."""

    key: str
    type: str
    id: int
    title: str
    body: str
    tags: list[str]
    subject: str | None
    country: str | None
    url: str
    access: list[str]
    created_at: datetime
    extra: str = ""
    file_type: str | None = None  # a resource's kind (pdf, document, ... link): the file-type facet
    author: str | None = None  # shown with the hit: "PDF · shared by Ana Lima"
    thumbnail_url: str | None = None
    # ISO 639-1 code of the text (resources): the language facet, and its own
    # language's analysis besides the English one (schema.LanguageAnalyzer)
    language: str | None = None


@dataclass
class SearchQuery:
    text: str
    types: list[str] | None = None
    subject: str | None = None
    tag: str | None = None
    country: str | None = None
    file_types: list[str] | None = None
    language: str | None = None  # only documents in this language (ISO 639-1)
    # The searcher's language: the query is analysed for it as well as for English
    query_language: str | None = None
    principals: set[str] = field(default_factory=lambda: {"public"})
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"  # or "newest"


@dataclass
class Hit:
    type: str
    id: int
    title: str
    url: str
    snippet: str  # HTML-safe, matches in <mark>
    score: float
    title_html: str  # HTML-safe, matches in <mark>
    created_at: datetime | None
    file_type: str | None = None
    author: str | None = None
    thumbnail_url: str | None = None
    language: str | None = None


@dataclass
class SearchResults:
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(
        default_factory=lambda: dict.fromkeys(FACETS, {})
    )
    suggestion: str | None = None
    message: str | None = None
