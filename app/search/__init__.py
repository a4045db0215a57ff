"""Full-text search: the only package that imports Whoosh.

    from app.search import SearchIndex, SearchQuery, SearchResults, Hit, Document

A pure library over a folder: no Flask, no database.
"""
from .engine import SearchIndex
from .models import Document, Hit, SearchQuery, SearchResults

__all__ = ["SearchIndex", "SearchQuery", "SearchResults", "Hit", "Document"]
