"""Kudos and comments on activities, and what a feed shows with each
activity (kudos count, whether the viewer gave kudos, comments), loaded in
a fixed number of queries however long the feed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defaultload

from app.accounts.gate import require_verified
from app.accounts.models import User
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Activity, ActivityComment, Kudos
from app.i18n import N_
from app.notifications.services import Message, notify
from app.text import render_markdown

MAX_COMMENT = 1000


def _url(activity: Activity) -> str:
    return f"/activities/{activity.id}"


def give_kudos(activity: Activity, user: User) -> bool:
    """Give kudos once; returns False if already given."""
    if activity.user_id == user.id:
        raise Conflict(N_("Kudos are for other people's activities."))
    if db.session.get(Kudos, (activity.id, user.id)) is not None:
        return False
    db.session.add(Kudos(activity_id=activity.id, user_id=user.id))
    notify(activity.user, "kudos", Message(N_("%(name)s gave kudos to “%(title)s”."),
                                           {"name": user.display_name, "title": activity.title}), _url(activity),
           actor=user, dedupe_key=f"kudos:{activity.id}:{user.id}")
    try:
        db.session.commit()
    except IntegrityError:  # a double click arriving twice
        db.session.rollback()
        return False
    return True


def take_back_kudos(activity: Activity, user: User) -> bool:
    removed = db.session.execute(delete(Kudos).where(Kudos.activity_id == activity.id,
                                                     Kudos.user_id == user.id)).rowcount
    db.session.commit()
    return bool(removed)


def kudos_count(activity: Activity) -> int:
    return db.session.scalar(select(func.count()).where(Kudos.activity_id == activity.id)) or 0


def add_comment(activity: Activity, user: User, body: str) -> ActivityComment:
    require_verified(user)
    text = (body or "").strip()
    if not text:
        raise ValidationFailed({"body": N_("Write a comment first.")})
    if len(text) > MAX_COMMENT:
        raise ValidationFailed({"body": _l("Use at most %(max)s characters.", max=f"{MAX_COMMENT:,}")})
    comment = ActivityComment(activity_id=activity.id, user_id=user.id, body_md=text, body_html=render_markdown(text))
    db.session.add(comment)
    notify(activity.user, "activity_comment", Message(N_("%(name)s commented on “%(title)s”."),
                                                      {"name": user.display_name, "title": activity.title}),
           _url(activity), actor=user)
    db.session.commit()
    return comment


def get_comment(activity: Activity, comment_id: int) -> ActivityComment:
    comment = db.session.get(ActivityComment, comment_id)
    if comment is None or comment.activity_id != activity.id:
        raise NotFound(N_("No such comment."))
    return comment


def delete_comment(comment: ActivityComment, activity: Activity, by: User) -> None:
    """The comment's author, or the activity's owner, may delete it."""
    if by.id not in (comment.user_id, activity.user_id):
        raise Forbidden(N_("Only the comment's author or the activity's owner can delete it."))
    db.session.delete(comment)
    db.session.commit()


def comments_of(activity: Activity) -> list[ActivityComment]:
    return list(db.session.scalars(select(ActivityComment).where(ActivityComment.activity_id == activity.id)
                                   .order_by(ActivityComment.id)))


@dataclass
class Extras:
    kudos: int = 0
    mine: bool = False
    comments: list[ActivityComment] = field(default_factory=list)


def extras(activities: list[Activity], viewer) -> dict[int, Extras]:
    """Kudos counts, the viewer's own kudos and comments for a list of
    activities: two queries whatever the length."""
    ids = [activity.id for activity in activities]
    result = {activity_id: Extras() for activity_id in ids}
    if not ids:
        return result
    viewer_id = viewer.id if viewer is not None and getattr(viewer, "is_authenticated", False) else -1
    rows = db.session.execute(select(Kudos.activity_id, func.count(),
                                     func.sum(case((Kudos.user_id == viewer_id, 1), else_=0)))
                              .where(Kudos.activity_id.in_(ids)).group_by(Kudos.activity_id))
    for activity_id, count, mine in rows:
        result[activity_id].kudos, result[activity_id].mine = int(count), bool(mine)
    grouped: dict[int, list[ActivityComment]] = defaultdict(list)
    for comment in db.session.scalars(select(ActivityComment).where(ActivityComment.activity_id.in_(ids))
                                      .options(defaultload(ActivityComment.user).lazyload("*"))
                                      .order_by(ActivityComment.id)):
        grouped[comment.activity_id].append(comment)
    for activity_id, comments in grouped.items():
        result[activity_id].comments = comments
    return result
