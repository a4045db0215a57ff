"""Who may see and do what in a group.

A public group is open to everyone; a private group's page, feed, members
and leaderboard exist only for its members. Owners and admins run the
group; only the owner can change roles or hand the group over.
"""

from __future__ import annotations

from sqlalchemy import select

from app.exceptions import Forbidden, NotFound
from app.extensions import db
from app.groups.models import Group, JoinRequest, Membership
from app.i18n import N_


def membership(group: Group | int, user) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    group_id = group if isinstance(group, int) else group.id
    return db.session.get(Membership, (group_id, user.id))


def role_of(group: Group, user) -> str | None:
    row = membership(group, user)
    return row.role if row else None


def can_view(group: Group, member: Membership | None) -> bool:
    return not group.is_private or member is not None


def get_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound(N_("No such group."))
    return group


def get_visible(group_id: int, viewer) -> tuple[Group, Membership | None]:
    """The group and the viewer's membership; NotFound for a private group's non-members."""
    group = get_group(group_id)
    member = membership(group, viewer)
    if not can_view(group, member):
        raise NotFound(N_("No such group."))
    return group, member


def require_admin(group: Group, user) -> Membership:
    member = membership(group, user)
    if member is None or not member.is_admin:
        raise Forbidden(N_("Only the group's owner and admins can do that."))
    return member


def group_ids_of(user) -> list[int]:
    """The groups a member belongs to: their "group:<id>" search labels."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(Membership.group_id).where(Membership.user_id == user.id)))


def search_principals(user) -> list[str]:
    return [f"group:{group_id}" for group_id in group_ids_of(user)]


def has_requested(group: Group, user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(JoinRequest, (group.id, user.id)) is not None
