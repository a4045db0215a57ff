"""How resources appear in the search index."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import LOCALES, N_
from app.resources.models import Resource
from app.search.models import Document
from app.search.registry import SearchableType, register
from app.vocabulary import subject_names_everywhere


def _document(resource: Resource) -> Document:
    text = resource.text.body if resource.text else ""
    return Document(
        key=f"resource:{resource.id}",
        type="resource",
        id=resource.id,
        title=resource.title,
        body=f"{resource.description_md}\n{text}".strip(),
        tags=resource.tag_names,
        subject=resource.subject,
        country=resource.owner.country,
        # A plain path: the worker thread has no request to build URLs from.
        url=f"/resources/{resource.id}",
        # Only published resources are indexed; drafts and hidden ones are
        # removed from the index, so everyone may see what is in it.
        access=["public"],
        created_at=resource.created_at,
        extra=" ".join(filter(None, [resource.owner.display_name, resource.file_name,
                                     *subject_names_everywhere(resource.subject, LOCALES)])),
        file_type=resource.kind,
        author=resource.owner.display_name,
        thumbnail_url=_thumbnail_path(resource),
        language=resource.language,
    )


def _thumbnail_path(resource: Resource) -> str | None:
    """The page's preview address (as `views.thumb_url` builds it), or None."""
    if resource.file is None or not resource.file.thumb_name:
        return None
    return f"/resources/{resource.id}/thumb?v={resource.file.thumb_name[:12]}"


def load(ids: list[int]) -> dict[int, Document]:
    statement = (select(Resource).where(Resource.id.in_(ids), Resource.status == "published")
                 .options(selectinload(Resource.text)))
    return {resource.id: _document(resource) for resource in db.session.scalars(statement)}


def all_ids():
    return db.session.scalars(select(Resource.id).where(Resource.status == "published").order_by(Resource.id)).all()


def count() -> int:
    return db.session.scalar(select(func.count(Resource.id)).where(Resource.status == "published")) or 0


def register_searchable() -> None:
    register(SearchableType(name="resource", label=N_("Resources"), load=load, all_ids=all_ids, count=count))
