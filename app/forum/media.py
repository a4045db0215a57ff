"""Pictures in forum posts.

An upload is checked by its bytes (`app/images.py`: PNG, JPEG, GIF or WebP
that Pillow can read, at most 16 megapixels), turned upright, scaled down to
`MAX_WIDTH` and re-encoded, which drops its metadata (EXIF, GPS, ICC,
comments) and any bytes hidden after the picture; a GIF keeps its first
frame only, as a PNG. It is stored in the "media" area under a random name
and served at /media/<name> (`media_views.py`), the one source besides the
site's other image routes that a post's markdown may show (`app/text.py`).

Who may see it: anyone who has its address. The name is 32 random URL-safe
characters (192 bits), so an image in a post of a private category is as
private as that post's text, as long as readers do not pass the address on.

A post that shows an image marks it used (`mark_used`, called when a post is
written or edited); an image no post has used is deleted `KEEP_UNUSED` after
its upload (`prune`, run on every upload and by `flask forum prune-images`).

Settings (app config, with these defaults):
  MAX_POST_IMAGE_MB = 5             largest upload
  FORUM_IMAGES_PER_DAY = 50         uploads a member may make in 24 hours (moderators too)
  RATELIMIT_POST_IMAGES = "10 per minute"
  RATELIMIT_POST_PREVIEW = "60 per minute"  (previews: services.preview)
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import delete, func, select, update

from app import images, storage
from app.accounts.gate import require_verified
from app.db_types import utcnow
from app.exceptions import Forbidden, ServiceError, ValidationFailed
from app.extensions import db
from app.forum import rules
from app.forum.models import PostImage
from app.i18n import N_
from app.rate_limits import allow

AREA = "media"
MAX_WIDTH = 1600
KEEP_UNUSED = timedelta(days=1)
FIELD = "image"
# Uploaded type -> (Pillow format, stored type, extension).
ENCODINGS = {
    "image/jpeg": ("JPEG", "image/jpeg", "jpg"),
    "image/png": ("PNG", "image/png", "png"),
    "image/gif": ("PNG", "image/png", "png"),
    "image/webp": ("WEBP", "image/webp", "webp"),
}
# An <img> of cleaned post HTML that shows one of ours.
_MEDIA_SRC = re.compile(r'<img[^>]*\ssrc="/media/([A-Za-z0-9_-]{16,64}\.[a-z0-9]{1,5})"')
_ALT_UNSAFE = re.compile(r"[\[\]()\\*_`!<>\x00-\x1f\x7f]+")


class TooFast(ServiceError):
    """A member previews or uploads faster than the limits allow."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int, field: str = FIELD):
        super().__init__(message, {field: message})
        self.retry_after = retry_after


# Uploads ------------------------------------------------------------------------

def add_image(user, data: bytes) -> PostImage:
    """Check, shrink, strip and store one uploaded picture of `user`."""
    if not rules.signed_in(user):
        raise Forbidden(N_("Sign in to add images."))
    require_verified(user)
    if not data:
        raise ValidationFailed({FIELD: N_("Choose an image file: that one is empty.")})
    _check_limits(user)
    image = images.open_upload(data, FIELD, current_app.config["MAX_POST_IMAGE_MB"], (MAX_WIDTH, MAX_WIDTH))
    pillow_format, content_type, extension = ENCODINGS[filetype.guess(data).mime]
    encoded, (width, height) = _encode(image, pillow_format)
    prune()
    name = storage.save(AREA, encoded, extension)
    record = PostImage(user_id=user.id, file_name=name, content_type=content_type, width=width, height=height,
                       size=len(encoded), created_at=utcnow())
    db.session.add(record)
    storage.commit_or_delete((AREA, name))
    return record


def upload_limit() -> int:
    """The largest upload in bytes (MAX_POST_IMAGE_MB)."""
    return current_app.config["MAX_POST_IMAGE_MB"] * 1024 * 1024


def _check_limits(user) -> None:
    if not allow("post_image", user.id, current_app.config["RATELIMIT_POST_IMAGES"]):
        raise TooFast(N_("You are adding images very quickly. Wait a minute, then try again."), 60)
    per_day = current_app.config["FORUM_IMAGES_PER_DAY"]
    since = utcnow() - timedelta(days=1)
    oldest, count = db.session.execute(select(func.min(PostImage.created_at), func.count(PostImage.id)).where(
        PostImage.user_id == user.id, PostImage.created_at > since)).one()
    if count >= per_day:
        wait = max(60, int((oldest + timedelta(days=1) - utcnow()).total_seconds()))
        raise TooFast(_l("You have added %(count)s images in the last 24 hours, the most a day. "
                         "Try again in %(hours)s hours.", count=per_day, hours=max(1, wait // 3600)), wait)


def _encode(image: Image.Image, pillow_format: str) -> tuple[bytes, tuple[int, int]]:
    """The picture at most MAX_WIDTH wide, re-encoded with no metadata."""
    if image.width > MAX_WIDTH:
        height = max(1, round(image.height * MAX_WIDTH / image.width))
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if pillow_format == "JPEG" or not transparent:
        image = image.convert("RGB")
    else:
        image = image.convert("RGBA")
    out = io.BytesIO()
    options = {"PNG": {"optimize": True}, "JPEG": {"quality": 85, "optimize": True, "progressive": True},
               "WEBP": {"quality": 85}}[pillow_format]
    image.save(out, pillow_format, **options)  # no exif=, icc_profile= or pnginfo=: nothing carried over
    return out.getvalue(), image.size


def markdown_for(image: PostImage, alt: str = "") -> str:
    """The markdown that shows `image`, with `alt` made safe for it."""
    alt = " ".join(_ALT_UNSAFE.sub(" ", alt or "").split())[:120] or "image"
    return f"![{alt}](/media/{image.file_name})"


def alt_from_file_name(file_name: str | None) -> str:
    """A first alt text from a browser's file name ("class-photo.jpg" → "class photo")."""
    stem = storage.without_folders(file_name).rsplit(".", 1)[0]
    return " ".join(stem.replace("_", " ").replace("-", " ").split())


# Use and cleanup ----------------------------------------------------------------

def mark_used(html: str) -> None:
    """Keep the images this post HTML shows (in the caller's transaction)."""
    names = set(_MEDIA_SRC.findall(html or ""))
    if names:
        db.session.execute(update(PostImage).where(PostImage.file_name.in_(names), PostImage.used_at.is_(None))
                           .values(used_at=utcnow()))


def find(file_name: str) -> PostImage | None:
    """The image stored under this name, if it exists."""
    return db.session.scalar(select(PostImage).where(PostImage.file_name == file_name))


def prune(now: datetime | None = None) -> int:
    """Delete the images no post used within `KEEP_UNUSED` of their upload
    (rows, then files); how many. Commits."""
    cutoff = (now or utcnow()) - KEEP_UNUSED
    return _delete_unused(PostImage.created_at <= cutoff)


def discard_unused(user) -> int:
    """An account is deleted: its images no post shows go now. Commits."""
    return _delete_unused(PostImage.user_id == user.id)


def _delete_unused(*where) -> int:
    unused = (PostImage.used_at.is_(None), *where)
    names = list(db.session.scalars(select(PostImage.file_name).where(*unused)))
    if names:
        db.session.execute(delete(PostImage).where(PostImage.file_name.in_(names), *unused))
        db.session.commit()
        for name in names:  # after the commit: no row is left without its file
            storage.delete(AREA, name)
    return len(names)
