"""Collections: named, ordered lists of resources, public or private, with a
share link that opens a private collection to whoever holds it.

Roles: the owner (and moderators) manage a collection: rename, share, delete,
invite and remove editors. Editors, members the owner invited by username,
add, remove and reorder its items and see it while it is private; they may
leave. Everyone else sees a private collection only through its share link.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from flask_babel import lazy_ngettext
from sqlalchemy import desc, func, or_, select

from app.accounts import services as accounts
from app.exceptions import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.messages import services as messages
from app.notifications import services as notifications
from app.resources import services as resource_services
from app.resources.models import Collection, CollectionEditor, CollectionItem, Resource

MAX_EDITORS = 20
INVITE_KIND = "collection_editor"


def _check(name: str | None, description: str | None) -> dict[str, str]:
    errors = {}
    if name is not None and not (1 <= len(name.strip()) <= 120):
        errors["name"] = N_("Give the collection a name (at most 120 characters).")
    if description is not None and len(description) > 1000:
        errors["description"] = N_("Use at most 1,000 characters.")
    return errors


# Who may do what ---------------------------------------------------------------------

def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_editor(collection: Collection, user) -> bool:
    return _signed_in(user) and any(editor.user_id == user.id for editor in collection.editors)


def can_manage(collection: Collection, user) -> bool:
    """Whether `user` may rename, share, delete the collection and choose its
    editors (the owner or a moderator)."""
    return _signed_in(user) and (user.id == collection.owner_id or user.is_moderator)


def can_edit_items(collection: Collection, user) -> bool:
    """Whether `user` may add, remove and reorder items (managers and editors)."""
    return can_manage(collection, user) or is_editor(collection, user)


def _require_manage(collection: Collection, user) -> None:
    if not can_manage(collection, user):
        raise Forbidden(N_("Only the owner can change this collection."))


def _require_items(collection: Collection, user) -> None:
    if not can_edit_items(collection, user):
        raise Forbidden(N_("Only the owner and the collection's editors can change its resources."))


def can_view(collection: Collection, viewer, share_token: str | None = None) -> bool:
    if collection.is_public or (share_token and secrets.compare_digest(share_token, collection.share_token)):
        return True
    return can_edit_items(collection, viewer)


def get_for_viewer(collection_id: int, viewer, share_token: str | None = None) -> Collection:
    collection = db.session.get(Collection, collection_id)
    if collection is None or not can_view(collection, viewer, share_token):
        raise NotFound(N_("No such collection."))
    return collection


def by_share_token(token: str) -> Collection:
    collection = db.session.scalar(select(Collection).where(Collection.share_token == (token or "")))
    if collection is None:
        raise NotFound(N_("That share link does not work any more."))
    return collection


# The collection itself -------------------------------------------------------------------

def create_collection(owner, name: str, description: str = "", is_public: bool = False,
                      resource: Resource | None = None) -> Collection:
    """Start a collection; with `resource`, it holds that resource from the
    start (one commit: both or neither)."""
    errors = _check(name, description)
    if errors:
        raise ValidationFailed(errors)
    collection = Collection(owner_id=owner.id, name=name.strip(), description=(description or "").strip(),
                            is_public=bool(is_public), share_token=secrets.token_urlsafe(18))
    if resource is not None:
        collection.items.append(CollectionItem(resource_id=resource.id, position=0))
    db.session.add(collection)
    db.session.commit()
    return collection


def update_collection(collection: Collection, by, *, name=None, description=None, is_public=None) -> Collection:
    _require_manage(collection, by)
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
    _require_manage(collection, by)
    collection.share_token = secrets.token_urlsafe(18)
    db.session.commit()
    return collection


def delete_collection(collection: Collection, by) -> None:
    _require_manage(collection, by)
    db.session.delete(collection)
    db.session.commit()


# Items ------------------------------------------------------------------------------------

def visible_items(collection: Collection, viewer) -> list[Resource]:
    """The collection's resources in order, without any the viewer may not open."""
    return [item.resource for item in collection.items if resource_services.can_view(item.resource, viewer)]


def _holds(collection: Collection, resource_id: int) -> CollectionItem | None:
    return next((item for item in collection.items if item.resource_id == resource_id), None)


def _append(collection: Collection, resource: Resource) -> CollectionItem:
    position = max((item.position for item in collection.items), default=-1) + 1
    item = CollectionItem(collection_id=collection.id, resource_id=resource.id, position=position)
    collection.items.append(item)
    return item


def add_item(collection: Collection, resource: Resource, by) -> CollectionItem:
    _require_items(collection, by)
    if _holds(collection, resource.id):
        raise Conflict(N_("That resource is already in this collection."), {"resource_id": N_("Already there.")})
    item = _append(collection, resource)
    db.session.commit()
    return item


def remove_item(collection: Collection, resource_id: int, by) -> None:
    _require_items(collection, by)
    item = _holds(collection, resource_id)
    if item is None:
        raise NotFound(N_("That resource is not in this collection."))
    collection.items.remove(item)
    db.session.commit()


def set_order(collection: Collection, by, resource_ids: list[int]) -> list[Resource]:
    """Put the items `by` can see in this order. The ids must be exactly
    those items, each once (else a 400 and nothing changes); items they
    cannot see (someone's draft) keep their places."""
    _require_items(collection, by)
    items = sorted(collection.items, key=lambda item: item.position)
    visible = [item for item in items if resource_services.can_view(item.resource, by)]
    if len(resource_ids) != len(set(resource_ids)) or set(resource_ids) != {i.resource_id for i in visible}:
        raise ServiceError(N_("Send the ids of exactly this collection's resources, each once."),
                           {"resource_ids": N_("Must list each resource of the collection once.")})
    by_id = {item.resource_id: item for item in visible}
    reordered = iter(by_id[resource_id] for resource_id in resource_ids)
    for position, item in enumerate([next(reordered) if item in visible else item for item in items]):
        item.position = position
    db.session.commit()
    db.session.expire(collection, ["items"])
    return visible_items(collection, by)


def move_item(collection: Collection, resource_id: int, by, offset: int) -> None:
    """Move an item up (offset -1) or down (+1) among those `by` can see."""
    _require_items(collection, by)
    ids = [resource.id for resource in visible_items(collection, by)]
    if resource_id not in ids:
        raise NotFound(N_("That resource is not in this collection."))
    index = ids.index(resource_id)
    ids.insert(max(0, min(len(ids) - 1, index + offset)), ids.pop(index))
    set_order(collection, by, ids)


def set_memberships(resource: Resource, by, offered: Iterable[int], chosen: Iterable[int],
                    new_name: str = "") -> Collection | None:
    """The resource page's "Add to collection" form: of the collections
    offered (ids of `by`'s collections), put the resource in those chosen and
    take it out of the others; with `new_name`, also start a collection
    holding it. One commit. Returns the new collection, if any."""
    errors = _check(new_name, None) if new_name.strip() else {}
    if errors:
        raise ValidationFailed({"new_name": errors["name"]})
    chosen = set(chosen)
    for collection in editable_by(by):
        if collection.id not in offered:
            continue
        item = _holds(collection, resource.id)
        if collection.id in chosen and item is None:
            _append(collection, resource)
        elif collection.id not in chosen and item is not None:
            collection.items.remove(item)
    if new_name.strip():
        return create_collection(by, new_name, resource=resource)
    db.session.commit()
    return None


# Editors ---------------------------------------------------------------------------------

def invite_editor(collection: Collection, by, username: str) -> CollectionEditor:
    """Make the member called `username` an editor and tell them."""
    _require_manage(collection, by)
    user = accounts.get_by_username((username or "").strip().lstrip("@"))
    if user is None or not user.is_active:
        raise ValidationFailed({"username": N_("There is no member with that username.")})
    if user.id == collection.owner_id:
        raise ValidationFailed({"username": N_("The owner can already edit this collection.")})
    if is_editor(collection, user):
        raise Conflict(N_("That member is already an editor."), {"username": N_("Already an editor.")})
    if len(collection.editors) >= MAX_EDITORS:
        raise ValidationFailed({"username": lazy_ngettext("A collection can have at most %(num)s editor.",
                                                           "A collection can have at most %(num)s editors.",
                                                           MAX_EDITORS)})
    if messages.has_blocked(user.id, collection.owner_id):
        raise ValidationFailed({"username": N_("This member cannot be invited.")})
    editor = CollectionEditor(collection_id=collection.id, user_id=user.id, user=user)
    collection.editors.append(editor)
    text = notifications.Message(N_("%(name)s invited you to edit the collection “%(title)s”."),
                                 {"name": by.display_name, "title": collection.name})
    notifications.notify(user, INVITE_KIND, text, f"/collections/{collection.id}", actor=by)
    db.session.commit()
    return editor


def _editor_row(collection: Collection, user_id: int) -> CollectionEditor:
    row = next((editor for editor in collection.editors if editor.user_id == user_id), None)
    if row is None:
        raise NotFound(N_("That member is not an editor of this collection."))
    return row


def remove_editor(collection: Collection, by, user_id: int) -> None:
    _require_manage(collection, by)
    collection.editors.remove(_editor_row(collection, user_id))
    db.session.commit()


def leave(collection: Collection, user) -> None:
    """An editor gives up editing (a private collection disappears for them)."""
    if not _signed_in(user):
        raise Forbidden(N_("Sign in first."))
    collection.editors.remove(_editor_row(collection, user.id))
    db.session.commit()


# Lists ------------------------------------------------------------------------------------

def editable_query(user):
    """The collections `user` owns or edits, the newest first."""
    edited = select(CollectionEditor.collection_id).where(CollectionEditor.user_id == user.id)
    return (select(Collection).where(or_(Collection.owner_id == user.id, Collection.id.in_(edited)))
            .order_by(desc(Collection.created_at), desc(Collection.id)))


def editable_by(user) -> list[Collection]:
    return list(db.session.scalars(editable_query(user)))


def public_query():
    return select(Collection).where(Collection.is_public.is_(True)).order_by(desc(Collection.created_at))


def count_items(collection_ids) -> dict[int, int]:
    rows = db.session.execute(select(CollectionItem.collection_id, func.count())
                              .where(CollectionItem.collection_id.in_(list(collection_ids) or [-1]))
                              .group_by(CollectionItem.collection_id))
    return dict(rows.all())
