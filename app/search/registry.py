"""What is searchable, registered by each feature.

A feature registers a type with two functions: `load(ids)` returns the
Documents for those ids that belong in the index (an id left out is removed
from it: deleted, hidden or draft), and `all_ids()` lists every id for a full
rebuild. Principal providers say which access labels a viewer holds, beyond
"public" and their own "user:<id>".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.search.models import Document


@dataclass(frozen=True)
class SearchableType:
    name: str
    label: str
    load: Callable[[list[int]], dict[int, Document]]
    all_ids: Callable[[], Iterable[int]]
    count: Callable[[], int]


TYPES: dict[str, SearchableType] = {}
PRINCIPAL_PROVIDERS: list[Callable[[object], Iterable[str]]] = []


def register(searchable: SearchableType) -> None:
    TYPES[searchable.name] = searchable


def register_principals(provider: Callable[[object], Iterable[str]]) -> None:
    if provider not in PRINCIPAL_PROVIDERS:
        PRINCIPAL_PROVIDERS.append(provider)
