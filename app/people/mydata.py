"""A member's own data: export it as a zip, or delete the account.

The export holds only what the member created (their profile, resources
and files, forum threads and posts, private messages they sent, activities,
events they organised, follows and settings), read through each feature's
models where the feature is installed.

Deleting keeps a tombstone user row named "Deleted member", so threads that
need their posts stay readable; everything private (messages, follows,
blocks, settings, notifications, tokens, sessions, avatar, resources and their files)
is removed.
"""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import delete, or_, select

from app import storage
from app.accounts.models import ApiToken, User, UserAgeRange, UserSession, UserSubject
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.people.models import Follow, NotificationPreference, PeopleSettings
from app.people.services import settings_of

from app.events.models import Event
from app.forum.models import Post, Thread
from app.groups import services as groups
from app.groups.models import Activity, ActivityTotal, JoinRequest, Membership
from app.messages import services as messages
from app.notifications.models import Notification
from app.resources import services as resources
from app.resources.models import Resource
from app.uploads import pending


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(model, *where, order=None) -> list:
    return list(db.session.scalars(select(model).where(*where).order_by(order if order is not None else model.id)))


def collect(user: User) -> tuple[dict, list[tuple[str, object]]]:
    """The member's data as JSON-able dict, and (zip name, path) of their files."""
    files: list[tuple[str, object]] = []
    settings = settings_of(user)
    data: dict = {
        "profile": {
            "username": user.username, "email": user.email, "display_name": user.display_name,
            "country": user.country, "school": user.school, "timezone": user.timezone, "bio": user.bio_md,
            "subjects": user.subjects, "age_ranges": user.age_ranges, "created_at": _iso(user.created_at),
        },
        "settings": {"directory_visible": settings.directory_visible, "languages": settings.language_codes,
                     "digest": settings.digest},
        "following": [row.followed.username for row in _rows(Follow, Follow.follower_id == user.id,
                                                              order=Follow.created_at)],
    }
    if user.avatar_file and storage.path_for("avatars", user.avatar_file):
        files.append((f"files/avatar/{user.avatar_file}", storage.path_for("avatars", user.avatar_file)))
    data["resources"] = []
    for resource in _rows(Resource, Resource.owner_id == user.id) if Resource else []:
        item = {"id": resource.id, "title": resource.title, "description": resource.description_md,
                "subject": resource.subject, "age_ranges": resource.age_ranges, "tags": resource.tag_names,
                "license": resource.license, "language": resource.language, "url": resource.url,
                "status": resource.status, "created_at": _iso(resource.created_at), "file": None}
        path = resources.file_path(resource)
        if path is not None:
            item["file"] = f"files/resources/{resource.id}/{resource.file.storage_name}"
            item["file_name"] = resource.file_name
            files.append((item["file"], path))
        data["resources"].append(item)
    data["threads"] = [{"id": t.id, "title": t.title, "kind": t.kind, "created_at": _iso(t.created_at)}
                       for t in _rows(Thread, Thread.author_id == user.id)] if Thread else []
    data["posts"] = [{"id": p.id, "thread_id": p.thread_id, "body": p.body_md, "status": p.status,
                      "created_at": _iso(getattr(p, "created_at", None))}
                     for p in _rows(Post, Post.author_id == user.id)] if Post else []
    data["messages_sent"] = [{"id": m.id, "conversation_id": m.conversation_id, "body": m.body,
                              "created_at": _iso(m.created_at)}
                             for m in messages.sent_by(user)] if messages else []
    data["activities"] = [{"id": a.id, "sport": a.sport, "title": a.title, "notes": a.notes_md,
                           "distance_m": a.distance_m, "duration_s": a.duration_s,
                           "started_at": _iso(a.started_at)}
                          for a in _rows(Activity, Activity.user_id == user.id)] if Activity else []
    data["events_organised"] = [{"id": e.id, "title": e.title, "kind": e.kind, "description": e.description_md,
                                 "starts_at": _iso(e.starts_at), "duration_min": e.duration_min,
                                 "status": e.status}
                                for e in _rows(Event, Event.organiser_id == user.id)] if Event else []
    return data, files


def export_zip(user: User) -> bytes:
    """data.json plus the member's files, as one zip in memory."""
    data, files = collect(user)
    data["exported_at"] = utcnow().isoformat()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for name, path in files:
            archive.write(path, name)
    return out.getvalue()


def delete_account(user: User, confirm_username: str) -> None:
    """Remove the member's private data and files; keep a "Deleted member"
    tombstone so threads that need their posts stay whole."""
    if (confirm_username or "").strip().lower() != user.username:
        raise ValidationFailed({"confirm": "Type your username to confirm."})
    pending.discard_all(user)  # files held for a form's next try
    for resource in _rows(Resource, Resource.owner_id == user.id):
        resources.delete_resource(resource, user)  # commits and removes the file
    avatar = user.avatar_file
    messages.forget_member(user)
    groups.release_groups_of(user)  # owned groups pass to another member
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
    db.session.execute(delete(JoinRequest).where(JoinRequest.user_id == user.id))
    db.session.execute(delete(ActivityTotal).where(ActivityTotal.user_id == user.id))
    db.session.execute(delete(Activity).where(Activity.user_id == user.id))
    db.session.execute(delete(Follow).where(or_(Follow.follower_id == user.id, Follow.followed_id == user.id)))
    db.session.execute(delete(PeopleSettings).where(PeopleSettings.user_id == user.id))
    db.session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user.id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))  # signed out everywhere
    db.session.execute(delete(UserSubject).where(UserSubject.user_id == user.id))
    db.session.execute(delete(UserAgeRange).where(UserAgeRange.user_id == user.id))
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.expire(user, ["subject_rows", "age_range_rows", "tokens"])
    user.username = f"deleted_{user.id}"[:30]
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = "Deleted member"
    user.password_hash = "!"  # matches no password
    user.country = user.school = None
    user.bio_md = user.bio_html = ""
    user.avatar_file = None
    user.suspended_at = utcnow()
    user.suspended_reason = "Account deleted by its owner."
    user.auth_version = (user.auth_version or 1) + 1
    db.session.commit()
    storage.delete("avatars", avatar)
