"""Photos on an activity: up to MAX_PHOTOS each, checked by their bytes and
re-encoded like avatars and covers (`app/images.py`), so no EXIF block, GPS
position or anything else from the original file is kept. Whoever may see
the activity sees its photos (`activities.can_view`); only its owner adds
or deletes them. Files live under `storage` "photos"."""

from __future__ import annotations

import io

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import func, select

from app import images, storage
from app.accounts.models import User
from app.exceptions import Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Activity, ActivityPhoto
from app.i18n import N_

MAX_PHOTOS = 6
PHOTO_SIZE = (1600, 1600)  # the longest side, at most
MAX_ALT = 200


def _require_owner(activity: Activity, by: User) -> None:
    if activity.user_id != by.id:
        raise Forbidden(N_("Only the member who logged an activity can change its photos."))


def _reencoded(data: bytes) -> tuple[bytes, int, int]:
    """A JPEG of the picture's pixels alone: no EXIF, GPS or comments."""
    image = images.open_upload(data, "photo", current_app.config["MAX_AVATAR_MB"], PHOTO_SIZE).convert("RGB")
    image.thumbnail(PHOTO_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), image.width, image.height


def photos_of(activity: Activity) -> list[ActivityPhoto]:
    return list(db.session.scalars(select(ActivityPhoto).where(ActivityPhoto.activity_id == activity.id)
                                   .order_by(ActivityPhoto.id)))


def add_photo(activity: Activity, by: User, data: bytes, alt_text: str = "") -> ActivityPhoto:
    """Store a re-encoded copy of an uploaded picture on the owner's activity."""
    _require_owner(activity, by)
    alt = " ".join((alt_text or "").split())
    if len(alt) > MAX_ALT:
        raise ValidationFailed({"alt_text": _l("Describe the photo in at most %(max)s characters.", max=MAX_ALT)})
    # The activity's row is locked while its photos are counted: two uploads at once make no seventh.
    db.session.scalar(select(Activity.id).where(Activity.id == activity.id).with_for_update())
    count = db.session.scalar(select(func.count(ActivityPhoto.id)).where(ActivityPhoto.activity_id == activity.id))
    if count >= MAX_PHOTOS:
        raise ValidationFailed({"photo": _l("An activity can have up to %(max)s photos. Delete one first.",
                                                  max=MAX_PHOTOS)})
    jpeg, width, height = _reencoded(data)
    photo = ActivityPhoto(activity_id=activity.id, file=storage.save("photos", jpeg, "jpg"), width=width,
                          height=height, alt_text=alt or f"Photo {count + 1} from “{activity.title}”")
    db.session.add(photo)
    storage.commit_or_delete(("photos", photo.file))
    return photo


def get_photo(activity: Activity, photo_id: int) -> ActivityPhoto:
    """One of the activity's photos (the caller checked the activity may be seen)."""
    photo = db.session.get(ActivityPhoto, photo_id)
    if photo is None or photo.activity_id != activity.id:
        raise NotFound(N_("No such photo."))
    return photo


def delete_photo(photo: ActivityPhoto, activity: Activity, by: User) -> None:
    _require_owner(activity, by)
    name = photo.file
    db.session.delete(photo)
    db.session.commit()
    storage.delete("photos", name)


def files_of(*where) -> list[str]:
    """The stored names of the photos on the activities matching `where`
    (to delete once those activities are gone)."""
    return list(db.session.scalars(select(ActivityPhoto.file).join(Activity).where(*where)))


def delete_files(names: list[str]) -> None:
    for name in names:
        storage.delete("photos", name)
