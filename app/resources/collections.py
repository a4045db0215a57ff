"""Collections: named, ordered lists of resources, public or private, with a
share link that opens a private collection to whoever holds it."""

from __future__ import annotations

import secrets

from sqlalchemy import desc, func, select

from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.resources import services as resource_services
from app.resources.models import Collection, CollectionItem, Resource


def _check(name: str | None, description: str | None) -> dict[str, str]:
    errors = {}
    if name is not None and not (1 <= len(name.strip()) <= 120):
        errors["name"] = "Give the collection a name (at most 120 characters)."
    if description is not None and len(description) > 1000:
        errors["description"] = "Use at most 1,000 characters."
    return errors


def create_collection(owner, name: str, description: str = "", is_public: bool = False) -> Collection:
    errors = _check(name, description)
    if errors:
        raise ValidationFailed(errors)
    collection = Collection(owner_id=owner.id, name=name.strip(), description=(description or "").strip(),
                            is_public=bool(is_public), share_token=secrets.token_urlsafe(18))
    db.session.add(collection)
    db.session.commit()
    return collection


def _own(collection: Collection, user) -> None:
    if not (user and user.is_authenticated and (user.id == collection.owner_id or user.is_moderator)):
        raise Forbidden("Only the owner can change this collection.")


def update_collection(collection: Collection, by, *, name=None, description=None, is_public=None) -> Collection:
    _own(collection, by)
    errors = _check(name, description)
    if errors:
        raise ValidationFailed(errors)
    if name is not None:
        collection.name = name.strip()
    if description is not None:
        collection.description = description.strip()
    if is_public is not None:
        collection.is_public = bool(is_public)
    db.session.commit()
    return collection


def reset_share_link(collection: Collection, by) -> Collection:
    _own(collection, by)
    collection.share_token = secrets.token_urlsafe(18)
    db.session.commit()
    return collection


def delete_collection(collection: Collection, by) -> None:
    _own(collection, by)
    db.session.delete(collection)
    db.session.commit()


def can_view(collection: Collection, viewer, share_token: str | None = None) -> bool:
    if collection.is_public or (share_token and secrets.compare_digest(share_token, collection.share_token)):
        return True
    return bool(viewer and viewer.is_authenticated and (viewer.id == collection.owner_id or viewer.is_moderator))


def get_for_viewer(collection_id: int, viewer, share_token: str | None = None) -> Collection:
    collection = db.session.get(Collection, collection_id)
    if collection is None or not can_view(collection, viewer, share_token):
        raise NotFound("No such collection.")
    return collection


def by_share_token(token: str) -> Collection:
    collection = db.session.scalar(select(Collection).where(Collection.share_token == (token or "")))
    if collection is None:
        raise NotFound("That share link does not work any more.")
    return collection


def visible_items(collection: Collection, viewer) -> list[Resource]:
    """The collection's resources in order, without any the viewer may not open."""
    return [item.resource for item in collection.items if resource_services.can_view(item.resource, viewer)]


def add_item(collection: Collection, resource: Resource, by) -> CollectionItem:
    _own(collection, by)
    if any(item.resource_id == resource.id for item in collection.items):
        raise Conflict("That resource is already in this collection.", {"resource_id": "Already there."})
    position = max((item.position for item in collection.items), default=-1) + 1
    item = CollectionItem(collection_id=collection.id, resource_id=resource.id, position=position)
    collection.items.append(item)
    db.session.commit()
    return item


def remove_item(collection: Collection, resource_id: int, by) -> None:
    _own(collection, by)
    item = next((item for item in collection.items if item.resource_id == resource_id), None)
    if item is None:
        raise NotFound("That resource is not in this collection.")
    collection.items.remove(item)
    db.session.commit()


def move_item(collection: Collection, resource_id: int, by, offset: int) -> None:
    """Move an item up (offset -1) or down (+1); positions stay 0..n-1."""
    _own(collection, by)
    items = sorted(collection.items, key=lambda item: item.position)
    index = next((i for i, item in enumerate(items) if item.resource_id == resource_id), None)
    if index is None:
        raise NotFound("That resource is not in this collection.")
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    for position, item in enumerate(items):
        item.position = position
    db.session.commit()


def owned_by(user) -> list[Collection]:
    return list(db.session.scalars(select(Collection).where(Collection.owner_id == user.id)
                                   .order_by(desc(Collection.created_at))))


def public_query():
    return select(Collection).where(Collection.is_public.is_(True)).order_by(desc(Collection.created_at))


def count_items(collection_ids) -> dict[int, int]:
    rows = db.session.execute(select(CollectionItem.collection_id, func.count())
                              .where(CollectionItem.collection_id.in_(list(collection_ids) or [-1]))
                              .group_by(CollectionItem.collection_id))
    return dict(rows.all())


def can_manage(collection: Collection, user) -> bool:
    """Whether `user` may change the collection (the owner or a moderator)."""
    return bool(user and user.is_authenticated and (user.id == collection.owner_id or user.is_moderator))
