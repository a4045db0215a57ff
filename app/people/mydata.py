"""Deleting a member's account. (Exporting their data is `export.py`.)

Deleting keeps a tombstone user row named "Deleted member", so threads that
need their posts stay readable; everything private (messages, follows,
blocks, settings, notifications, tokens, sessions, avatar, resources and their files,
files held for a form's next try, places as an editor of others' collections, pictures uploaded
for posts never written) is removed.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from app import storage
from app.accounts.models import DELETED_NAME, ApiToken, User, UserAgeRange, UserSession, UserSubject
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forum import media as forum_media
from app.groups import photos
from app.groups import services as groups
from app.groups.models import Activity, ActivityTotal, JoinRequest, Membership
from app.i18n import N_
from app.messages import services as messages
from app.notifications.models import Notification, NotificationPreference
from app.people.models import Follow, PeopleSettings
from app.resources import services as resources
from app.resources.models import CollectionEditor, Resource
from app.uploads import pending


def _rows(model, *where) -> list:
    return list(db.session.scalars(select(model).where(*where).order_by(model.id)))


def delete_account(user: User, confirm_username: str) -> None:
    """Remove the member's private data and files; keep a "Deleted member"
    tombstone so threads that need their posts stay whole."""
    if (confirm_username or "").strip().lower() != user.username:
        raise ValidationFailed({"confirm": N_("Type your username to confirm.")})
    pending.discard_all(user)  # files held for a form's next try
    forum_media.discard_unused(user)  # pictures uploaded for posts never written
    for resource in _rows(Resource, Resource.owner_id == user.id):
        resources.delete_resource(resource, user)  # commits and removes the file
    avatar = user.avatar_file
    photo_files = photos.files_of(Activity.user_id == user.id)
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
    db.session.execute(delete(CollectionEditor).where(CollectionEditor.user_id == user.id))
    db.session.expire(user, ["subject_rows", "age_range_rows", "tokens"])
    user.username = f"deleted_{user.id}"[:30]
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = DELETED_NAME
    user.password_hash = "!"  # matches no password
    user.country = user.school = None
    user.bio_md = user.bio_html = ""
    user.avatar_file = None
    user.suspended_at = utcnow()
    user.suspended_reason = "Account deleted by its owner."
    user.auth_version = (user.auth_version or 1) + 1
    db.session.commit()
    storage.delete("avatars", avatar)
    photos.delete_files(photo_files)
