"""Group rules: creating and editing groups, covers, joining and leaving,
join requests, roles, removing members and handing over ownership.

Who may see what: a public group is open to everyone; a private group's
page, feed, members and leaderboard exist only for its members (a
non-member who has the link sees its name and can ask to join). Activities
live in `activities.py`, leaderboards and totals in `stats.py`, challenges
in `challenges.py`.
"""

from __future__ import annotations

import io

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps
from sqlalchemy import delete, func, select
from sqlalchemy.orm import defaultload

from app import images, member_cache, storage
from app.accounts.gate import require_verified
from app.accounts.models import User
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.groups import challenges
from app.groups.access import has_requested, membership, require_admin, role_of
from app.groups.models import FOCUSES, GROUP_VISIBILITIES, Group, JoinRequest, Membership
from app.i18n import N_
from app.notifications.services import Message, notify
from app.text import render_markdown
from app.vocabulary import is_timezone

MAX_GOAL_M = 10_000_000  # 10,000 km: beyond any week
COVER_SIZE = (1200, 400)
GROUP_FIELDS = ("name", "description", "focus", "visibility", "weekly_goal_m", "group_goal_m", "timezone")


# Validation -----------------------------------------------------------------------

def _clean(fields: dict, errors: dict[str, str]) -> dict:
    clean: dict = {}
    if "name" in fields:
        name = " ".join((fields["name"] or "").split())
        if len(name) < 3:
            errors["name"] = N_("Give the group a name of at least 3 characters.")
        elif len(name) > 80:
            errors["name"] = N_("Use at most 80 characters.")
        clean["name"] = name
    if "description" in fields:
        description = fields["description"] or ""
        if len(description) > 5000:
            errors["description"] = N_("Use at most 5,000 characters.")
        clean["description"] = description
    if "focus" in fields:
        if fields["focus"] not in FOCUSES:
            errors["focus"] = N_("Pick running, cycling, walking, swimming, mixed or interest.")
        clean["focus"] = fields["focus"]
    if "visibility" in fields:
        if fields["visibility"] not in GROUP_VISIBILITIES:
            errors["visibility"] = N_("A group is public or private.")
        clean["visibility"] = fields["visibility"]
    for name, label in (("weekly_goal_m", "weekly_goal"), ("group_goal_m", "group_goal")):
        if name in fields:
            goal = fields[name]
            if goal is not None and not (0 < goal <= MAX_GOAL_M):
                errors[label] = N_("A goal is more than 0 and at most 10,000 km a week.")
            clean[name] = goal
    if "timezone" in fields:
        zone = (fields["timezone"] or "").strip()
        if not is_timezone(zone):
            errors["timezone"] = N_("Pick a time zone such as Europe/London.")
        clean["timezone"] = zone
    return clean


def _apply(group: Group, clean: dict) -> None:
    for key in ("name", "focus", "visibility", "weekly_goal_m", "group_goal_m", "timezone"):
        if key in clean:
            setattr(group, key, clean[key])
    if "description" in clean:
        group.description_md = clean["description"]
        group.description_html = render_markdown(clean["description"])
    if group.focus == "interest":  # nothing to count, so no goals
        group.weekly_goal_m = group.group_goal_m = None


# Groups -------------------------------------------------------------------------------

def create_group(owner: User, *, name: str, focus: str, description: str = "", visibility: str = "public",
                 weekly_goal_m: int | None = None, group_goal_m: int | None = None,
                 timezone: str | None = None) -> Group:
    require_verified(owner)
    errors: dict[str, str] = {}
    clean = _clean({"name": name, "description": description, "focus": focus, "visibility": visibility,
                    "weekly_goal_m": weekly_goal_m, "group_goal_m": group_goal_m,
                    "timezone": timezone or owner.timezone or "UTC"}, errors)
    if errors:
        raise ValidationFailed(errors)
    group = Group()
    _apply(group, clean)
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=owner.id, role="owner"))
    db.session.commit()
    return group


def update_group(group: Group, by: User, **fields) -> Group:
    require_admin(group, by)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationFailed({name: N_("Unknown field.") for name in unknown})
    errors: dict[str, str] = {}
    clean = _clean(fields, errors)
    if errors:
        raise ValidationFailed(errors)
    zone_changed = "timezone" in clean and clean["timezone"] != group.timezone
    _apply(group, clean)
    if zone_changed:
        challenges.rezone(group)  # challenges keep their local dates
    db.session.commit()
    return group


def delete_group(group: Group, by: User) -> None:
    if role_of(group, by) != "owner":
        raise Forbidden(N_("Only the group's owner can delete it."))
    cover = group.cover_file
    db.session.delete(group)
    db.session.commit()
    storage.delete("covers", cover)


def set_cover(group: Group, by: User, data: bytes) -> Group:
    """Store a cropped, re-encoded copy of an uploaded image as the cover."""
    require_admin(group, by)
    image = images.open_upload(data, "cover", current_app.config["MAX_AVATAR_MB"], COVER_SIZE)
    image = ImageOps.fit(image.convert("RGB"), COVER_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    old = group.cover_file
    group.cover_file = storage.save("covers", out.getvalue(), "jpg")
    storage.commit_or_delete(("covers", group.cover_file))
    storage.delete("covers", old)
    return group


def remove_cover(group: Group, by: User) -> None:
    require_admin(group, by)
    old = group.cover_file
    group.cover_file = None
    db.session.commit()
    storage.delete("covers", old)


# Listing ------------------------------------------------------------------------------------

def _member_counts(group_ids=None):
    """Members per group; only of `group_ids` (a select) when given, so a
    member's own groups do not count every group's members."""
    statement = select(Membership.group_id, func.count().label("members"))
    if group_ids is not None:
        statement = statement.where(Membership.group_id.in_(group_ids))
    return statement.group_by(Membership.group_id).subquery()


def directory(viewer, *, focus: str | None = None, mine: bool = False):
    """A select of groups: public ones and the viewer's own, most members
    first. `mine` keeps only the viewer's groups."""
    viewer_id = viewer.id if viewer is not None and getattr(viewer, "is_authenticated", False) else -1
    my_groups = select(Membership.group_id).where(Membership.user_id == viewer_id)
    counts = _member_counts(my_groups if mine else None)
    statement = select(Group).outerjoin(counts, counts.c.group_id == Group.id)
    if mine:
        statement = statement.where(Group.id.in_(my_groups))
    else:
        statement = statement.where((Group.visibility == "public") | Group.id.in_(my_groups))
    if focus:
        statement = statement.where(Group.focus == focus)
    return statement.order_by(func.coalesce(counts.c.members, 0).desc(), Group.name, Group.id)


def member_counts(group_ids: list[int]) -> dict[int, int]:
    if not group_ids:
        return {}
    return dict(db.session.execute(select(Membership.group_id, func.count()).where(
        Membership.group_id.in_(group_ids)).group_by(Membership.group_id)).all())


def roles_of(user, group_ids: list[int]) -> dict[int, str]:
    if not group_ids or user is None or not getattr(user, "is_authenticated", False):
        return {}
    return dict(db.session.execute(select(Membership.group_id, Membership.role).where(
        Membership.user_id == user.id, Membership.group_id.in_(group_ids))).all())


def member_count(group: Group) -> int:
    return db.session.scalar(select(func.count()).where(Membership.group_id == group.id)) or 0


def members(group: Group) -> list[Membership]:
    order = {"owner": 0, "admin": 1, "member": 2}
    rows = list(db.session.scalars(select(Membership).where(Membership.group_id == group.id)
                                   .options(defaultload(Membership.user).lazyload("*"))))
    return sorted(rows, key=lambda row: (order.get(row.role, 3), row.user.display_name.lower(), row.user_id))


def pending_requests(group: Group) -> list[JoinRequest]:
    return list(db.session.scalars(select(JoinRequest).where(JoinRequest.group_id == group.id)
                                   .order_by(JoinRequest.created_at, JoinRequest.user_id)))


def pending_count(group: Group) -> int:
    return db.session.scalar(select(func.count()).where(JoinRequest.group_id == group.id)) or 0


# Joining and leaving ---------------------------------------------------------------------------

def _group_url(group: Group) -> str:
    return f"/groups/{group.id}"


def join(group: Group, user: User) -> str:
    """Join a public group, or ask to join a private one: "member" or "pending"."""
    if membership(group, user) is not None:
        return "member"
    if group.is_private:
        if not has_requested(group, user):
            db.session.add(JoinRequest(group_id=group.id, user_id=user.id))
            for admin in [row for row in members(group) if row.is_admin]:
                notify(admin.user, "group_request", Message(N_("%(name)s asked to join %(group)s."),
                                                            {"name": user.display_name, "group": group.name}),
                       f"/groups/{group.id}/members", actor=user, dedupe_key=f"group-request:{group.id}:{user.id}")
            db.session.commit()
        return "pending"
    _add_member(group, user)
    db.session.commit()
    return "member"


def _add_member(group: Group, user: User, role: str = "member") -> None:
    db.session.add(Membership(group_id=group.id, user_id=user.id, role=role))
    member_cache.forget(user.id, member_cache.HOME)
    db.session.flush()
    challenges.refresh_for_user(user, group_ids=[group.id])


def leave(group: Group, user: User) -> None:
    """Leave a group, or withdraw a request to join it."""
    member = membership(group, user)
    if member is None:
        if db.session.execute(delete(JoinRequest).where(JoinRequest.group_id == group.id,
                                                        JoinRequest.user_id == user.id)).rowcount:
            db.session.commit()
            return
        raise NotFound(N_("You are not a member of this group."))
    if member.role == "owner":
        raise Conflict(N_("Hand the group over to another member before you leave, or delete it."),
                       {"role": N_("The owner cannot leave.")})
    db.session.delete(member)
    member_cache.forget(user.id, member_cache.HOME)
    db.session.commit()


def _request_of(group: Group, user: User) -> JoinRequest:
    row = db.session.get(JoinRequest, (group.id, user.id))
    if row is None:
        raise NotFound(_l("%(name)s has not asked to join.", name=user.display_name))
    return row


def approve(group: Group, by: User, user: User) -> Membership:
    require_admin(group, by)
    db.session.delete(_request_of(group, user))
    _add_member(group, user)
    notify(user, "group_approved", Message(N_("You are now a member of %(group)s."),
                                           {"group": group.name}), _group_url(group), actor=by)
    db.session.commit()
    return membership(group, user)


def reject(group: Group, by: User, user: User) -> None:
    require_admin(group, by)
    db.session.delete(_request_of(group, user))
    db.session.commit()


def remove_member(group: Group, by: User, user: User) -> None:
    acting = require_admin(group, by)
    target = membership(group, user)
    if target is None:
        raise NotFound(_l("%(name)s is not a member.", name=user.display_name))
    if target.user_id == by.id:
        raise Conflict(N_("To leave the group, use Leave."))
    if target.role == "owner" or (target.role == "admin" and acting.role != "owner"):
        raise Forbidden(N_("Only the owner can remove an admin, and nobody can remove the owner."))
    db.session.delete(target)
    member_cache.forget(user.id, member_cache.HOME)
    db.session.commit()


def set_role(group: Group, by: User, user: User, role: str) -> Membership:
    if role_of(group, by) != "owner":
        raise Forbidden(N_("Only the group's owner can change roles."))
    if role not in ("admin", "member"):
        raise ValidationFailed({"role": N_("A role is admin or member (hand over ownership to make an owner).")})
    target = membership(group, user)
    if target is None:
        raise NotFound(_l("%(name)s is not a member.", name=user.display_name))
    if target.role == "owner":
        raise Conflict(N_("Hand over ownership to change your own role."), {"role": N_("The owner stays owner.")})
    target.role = role
    db.session.commit()
    return target


def transfer_ownership(group: Group, by: User, user: User) -> Membership:
    current = membership(group, by)
    if current is None or current.role != "owner":
        raise Forbidden(N_("Only the group's owner can hand it over."))
    target = membership(group, user)
    if target is None:
        raise ValidationFailed({"username": _l("%(name)s is not a member of this group.", name=user.display_name)})
    if target.user_id == by.id:
        raise ValidationFailed({"username": N_("You already own this group.")})
    current.role, target.role = "admin", "owner"
    notify(user, "group_owner", Message(N_("You are now the owner of %(group)s."),
                                        {"group": group.name}), _group_url(group), actor=by)
    db.session.commit()
    return target


def release_groups_of(user: User) -> None:
    """Before an account is deleted: each group it owns passes to its
    longest-standing admin (else member); a group with nobody else goes.
    Joins the caller's transaction (the caller commits)."""
    owned = db.session.scalars(select(Membership).where(Membership.user_id == user.id, Membership.role == "owner"))
    for row in list(owned):
        heir = db.session.scalar(select(Membership).where(Membership.group_id == row.group_id,
                                                          Membership.user_id != user.id)
                                 .order_by((Membership.role != "admin"), Membership.joined_at, Membership.user_id))
        if heir is not None:
            heir.role = "owner"
            row.role = "member"  # the leaving member's row goes with their other memberships
        else:
            group = db.session.get(Group, row.group_id)
            storage.delete("covers", group.cover_file)
            db.session.delete(group)
