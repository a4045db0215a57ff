"""How groups appear in search.

A public group's document carries the label "public"; a private group's
only "group:<id>", a label that the principal provider below gives to that
group's members and nobody else. So a private group is found by its members
alone. Activities are not indexed.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.groups.access import search_principals
from app.groups.models import FOCUSES, Group
from app.i18n import N_
from app.search.models import Document
from app.search.registry import SearchableType, register, register_principals


def _document(group: Group) -> Document:
    return Document(
        key=f"group:{group.id}",
        type="group",
        id=group.id,
        title=group.name,
        body=group.description_md or "",
        tags=[],
        subject=None,
        country=None,
        url=f"/groups/{group.id}",
        access=["public"] if group.visibility == "public" else [f"group:{group.id}"],
        created_at=group.created_at,
        extra=FOCUSES.get(group.focus, ""),
    )


def load(ids: list[int]) -> dict[int, Document]:
    return {group.id: _document(group) for group in db.session.scalars(select(Group).where(Group.id.in_(ids)))}


def all_ids():
    return db.session.scalars(select(Group.id).order_by(Group.id)).all()


def count() -> int:
    return db.session.scalar(select(func.count(Group.id))) or 0


def register_searchable() -> None:
    register(SearchableType(name="group", label=N_("Groups"), load=load, all_ids=all_ids, count=count))
    register_principals(search_principals)
