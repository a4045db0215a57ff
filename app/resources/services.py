"""Library rules: sharing files and links, editing, deleting, browsing,
downloads and bookmarks. Collections live in `collections.py`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import delete, desc, func, select, update
from sqlalchemy.exc import IntegrityError

from app import storage
from app.accounts.gate import require_verified
from app.db_types import utcnow
from app.exceptions import Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.resources import files, text_jobs
from app.resources.languages import DETECT, apply_language, clean_language
from app.resources.models import (
    LICENSES,
    Bookmark,
    Resource,
    ResourceAgeRange,
    StoredFile,
    Tag,
    resource_tags,
)
from app.tags import normalize_tag, normalize_tags
from app.text import render_markdown
from app.vocabulary import AGE_RANGES, FILE_KINDS, SUBJECTS

MAX_TAGS = 12
SORTS = {"newest", "bookmarked", "downloaded"}
KIND_FILTERS = set(FILE_KINDS)


@dataclass
class Upload:
    data: bytes
    filename: str = ""


# Validation -------------------------------------------------------------------

def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and len(url) <= 2000 and " " not in url


def _clean(fields: dict, errors: dict[str, str]) -> dict:
    clean: dict = {}
    if "title" in fields:
        title = " ".join((fields["title"] or "").split())
        if len(title) < 3:
            errors["title"] = N_("Give the resource a title of at least 3 characters.")
        elif len(title) > 200:
            errors["title"] = N_("Use at most 200 characters.")
        clean["title"] = title
    if "description" in fields:
        description = fields["description"] or ""
        if len(description) > 10_000:
            errors["description"] = N_("Use at most 10,000 characters.")
        clean["description"] = description
    if "subject" in fields:
        if fields["subject"] not in SUBJECTS:
            errors["subject"] = N_("Pick a subject from the list (or Other).")
        clean["subject"] = fields["subject"]
    if "age_ranges" in fields:
        ranges = list(dict.fromkeys(fields["age_ranges"] or []))
        if any(r not in AGE_RANGES for r in ranges):
            errors["age_ranges"] = N_("Pick age ranges from the list.")
        clean["age_ranges"] = ranges
    if "tags" in fields:
        tags = normalize_tags(fields["tags"])
        if len(tags) > MAX_TAGS:
            errors["tags"] = lazy_ngettext("Use at most %(num)s tag.", "Use at most %(num)s tags.", MAX_TAGS)
        clean["tags"] = tags
    if "license" in fields:
        if fields["license"] not in LICENSES:
            errors["license"] = N_("Pick a licence from the list.")
        clean["license"] = fields["license"]
    if "language" in fields:
        clean["language"] = clean_language(fields["language"], errors)
    if "url" in fields and fields["url"] is not None:
        url = fields["url"].strip()
        if not _valid_url(url):
            errors["url"] = N_("Links must start with http:// or https://.")
        clean["url"] = url
    if "status" in fields:
        if fields["status"] not in ("published", "draft"):
            errors["status"] = N_("Status is published or draft.")
        clean["status"] = fields["status"]
    return clean


def _authored(resource: Resource) -> tuple:
    """What an edit can change, to tell a real change from saving the form as it was."""
    return (resource.title, resource.description_md, resource.subject, resource.license, resource.language,
            resource.url, resource.status, tuple(resource.age_ranges), tuple(resource.tag_names))


def _tags(names: list[str]) -> list[Tag]:
    if not names:
        return []
    existing = {tag.name: tag for tag in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    return [existing.get(name) or Tag(name=name) for name in names]


def _apply(resource: Resource, clean: dict) -> None:
    for key in ("title", "subject", "license", "url", "status"):
        if key in clean:
            setattr(resource, key, clean[key])
    if "description" in clean:
        resource.description_md = clean["description"]
        resource.description_html = render_markdown(clean["description"])
    if "language" in clean:  # after title and description: detection reads them
        apply_language(resource, clean["language"])
    if "age_ranges" in clean:
        resource.age_range_rows = [ResourceAgeRange(age_range=r) for r in clean["age_ranges"]]
    if "tags" in clean:
        resource.tags = _tags(clean["tags"])


# Files --------------------------------------------------------------------------

def too_large(limit_mb: int):
    """The message for a file past the upload limit, in the reader's language."""
    return _l("Files can be up to %(mb)s MB.", mb=limit_mb)


def check_upload(upload: Upload) -> tuple[str, str, str]:
    """(mime, kind, extension) of an acceptable file; ValidationFailed or
    UnsupportedMedia (field "file") otherwise. Reads headers only."""
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    if len(upload.data) > limit:
        raise ValidationFailed({"file": too_large(current_app.config["MAX_UPLOAD_MB"])})
    if not upload.data:
        raise ValidationFailed({"file": N_("That file is empty.")})
    return files.detect(upload.data, upload.filename)


def _store(upload: Upload) -> tuple[StoredFile, list]:
    """Keep the bytes once; returns the row and the names written to disk
    (to undo on failure). Nothing inside the file is read here: its text and
    preview are a job (`text_jobs`), so no upload can hold a request."""
    mime, kind, extension = check_upload(upload)
    digest = hashlib.sha256(upload.data).hexdigest()
    stored = db.session.scalar(select(StoredFile).where(StoredFile.sha256 == digest))
    written: list = []
    if stored is None:
        name = storage.save("files", upload.data, extension)
        written.append(("files", name))
        stored = StoredFile(sha256=digest, storage_name=name, mime=mime, kind=kind, size=len(upload.data))
        db.session.add(stored)
    return stored, written


def _display_name(filename: str, extension_from: StoredFile) -> str:
    base = re.sub(r"[^\w.\- ]+", "", storage.without_folders(filename), flags=re.UNICODE).strip(" .")[:150]
    return base or f"resource.{extension_from.storage_name.rsplit('.', 1)[-1]}"


def _attach_file(resource: Resource, upload: Upload) -> list:
    stored, written = _store(upload)
    resource.file = stored
    resource.file_name = _display_name(upload.filename, stored)
    resource.url = None
    resource.text = None
    resource.text_status = "pending" if stored.kind in text_jobs.TEXT_KINDS else "none"
    if text_jobs.needs_job(stored.kind):
        text_jobs.enqueue(resource, stored)
    return written


def _release_file(file_id: int | None) -> None:
    """Delete a stored file once no resource points at it."""
    if file_id is None:
        return
    still_used = db.session.scalar(select(func.count(Resource.id)).where(Resource.file_id == file_id))
    if still_used:
        return
    stored = db.session.get(StoredFile, file_id)
    if stored is not None:
        db.session.delete(stored)
        db.session.commit()
        storage.delete("files", stored.storage_name)
        storage.delete("thumbs", stored.thumb_name)


# Resources ------------------------------------------------------------------------

def create_resource(owner, *, title: str, subject: str, license: str, description: str = "",  # noqa: A002 (the resource's field)
                    age_ranges=(), tags=(), language: str | None = DETECT, url: str | None = None,
                    upload: Upload | None = None, status: str = "published",
                    external_id: str | None = None) -> Resource:
    require_verified(owner)
    errors: dict[str, str] = {}
    clean = _clean({"title": title, "description": description, "subject": subject,
                    "age_ranges": list(age_ranges), "tags": tags, "license": license,
                    "language": language, "url": url, "status": status}, errors)
    if (upload is None) == (not url):
        errors["url" if upload is None else "file"] = N_("Share either a file or a link.")
    if errors:
        raise ValidationFailed(errors)
    now = utcnow()
    resource = Resource(owner_id=owner.id, external_id=external_id, created_at=now, updated_at=now)
    _apply(resource, clean)
    written = _attach_file(resource, upload) if upload is not None else []
    db.session.add(resource)
    try:
        storage.commit_or_delete(*written)
    except IntegrityError as error:
        raise ValidationFailed({"external_id": N_("A resource with this external id exists.")}) from error
    return resource


def can_edit(resource: Resource, user) -> bool:
    return bool(user and user.is_authenticated and (user.id == resource.owner_id or user.is_moderator))


def update_resource(resource: Resource, by, *, upload: Upload | None = None, **fields) -> Resource:
    if not can_edit(resource, by):
        raise Forbidden(N_("Only the owner or a moderator can change this resource."))
    if "status" in fields and resource.status == "hidden" and not by.is_moderator:
        raise Forbidden(N_("A moderator hid this resource; only a moderator can publish it again."))
    unknown = set(fields) - {"title", "description", "subject", "age_ranges", "tags", "license",
                             "language", "url", "status"}
    if unknown:
        raise ValidationFailed({name: N_("Unknown field.") for name in unknown})
    errors: dict[str, str] = {}
    clean = _clean(fields, errors)
    if clean.get("url") and (upload is not None or resource.file_id):
        errors["url"] = N_("This resource is a file; upload a new file instead of a link.")
    if upload is not None and resource.file_id is None:
        errors["file"] = N_("This resource is a link; change its link instead.")
    if errors:
        raise ValidationFailed(errors)
    old_file = resource.file_id
    before = _authored(resource)
    _apply(resource, clean)
    written = _attach_file(resource, upload) if upload is not None else []
    if upload is not None or _authored(resource) != before:
        resource.updated_at = utcnow()
    storage.commit_or_delete(*written)
    if upload is not None and old_file != resource.file_id:
        _release_file(old_file)
    return resource


def delete_resource(resource: Resource, by) -> None:
    if not can_edit(resource, by):
        raise Forbidden(N_("Only the owner or a moderator can delete this resource."))
    file_id = resource.file_id
    db.session.delete(resource)  # the outbox removes it from the index
    db.session.commit()
    _release_file(file_id)


def set_hidden(resource: Resource, by, hidden: bool) -> Resource:
    if not (by and by.is_moderator):
        raise Forbidden(N_("Only moderators can hide resources."))
    resource.status = "hidden" if hidden else "published"
    db.session.commit()
    return resource


def can_view(resource: Resource, viewer) -> bool:
    if resource.status == "published":
        return True
    return can_edit(resource, viewer)


def get_for_viewer(resource_id: int, viewer) -> Resource:
    resource = db.session.get(Resource, resource_id)
    if resource is None or not can_view(resource, viewer):
        raise NotFound(N_("No such resource."))
    return resource


def library_query(*, subject=None, age_range=None, tag=None, kind=None, license=None,  # noqa: A002 (the resource's field)
                  owner=None, sort: str = "newest", include_unpublished_of=None):
    """A select over resources with the library's filters and sort."""
    statement = select(Resource)
    if include_unpublished_of is not None:
        statement = statement.where(Resource.owner_id == include_unpublished_of.id)
    else:
        statement = statement.where(Resource.status == "published")
    if owner is not None:
        statement = statement.where(Resource.owner_id == owner.id)
    if subject:
        statement = statement.where(Resource.subject == subject)
    if license:
        statement = statement.where(Resource.license == license)
    if age_range:
        statement = statement.where(Resource.age_range_rows.any(ResourceAgeRange.age_range == age_range))
    if tag:
        statement = statement.where(Resource.tags.any(Tag.name == normalize_tag(tag)))
    if kind == "link":
        statement = statement.where(Resource.file_id.is_(None))
    elif kind:
        statement = statement.where(Resource.file.has(StoredFile.kind == kind))
    order = {
        "bookmarked": (desc(Resource.bookmark_count), desc(Resource.id)),
        "downloaded": (desc(Resource.download_count), desc(Resource.id)),
    }.get(sort, (desc(Resource.created_at), desc(Resource.id)))
    return statement.order_by(*order)


def record_download(resource: Resource) -> None:
    db.session.execute(update(Resource).where(Resource.id == resource.id)
                       .values(download_count=Resource.download_count + 1))
    db.session.commit()


def bookmark(user, resource: Resource) -> bool:
    """Bookmark; returns False if it was already bookmarked."""
    if db.session.get(Bookmark, (user.id, resource.id)) is not None:
        return False
    db.session.add(Bookmark(user_id=user.id, resource_id=resource.id))
    db.session.execute(update(Resource).where(Resource.id == resource.id)
                       .values(bookmark_count=Resource.bookmark_count + 1))
    try:
        db.session.commit()
    except IntegrityError:  # a second tab bookmarked at the same moment
        db.session.rollback()
        return False
    return True


def unbookmark(user, resource: Resource) -> bool:
    removed = db.session.execute(delete(Bookmark).where(Bookmark.user_id == user.id,
                                                        Bookmark.resource_id == resource.id)).rowcount
    if removed:
        db.session.execute(update(Resource).where(Resource.id == resource.id)
                           .values(bookmark_count=Resource.bookmark_count - 1))
    db.session.commit()
    return bool(removed)


def bookmarked_ids(user, resource_ids) -> set[int]:
    if not (user and user.is_authenticated) or not resource_ids:
        return set()
    return set(db.session.scalars(select(Bookmark.resource_id).where(
        Bookmark.user_id == user.id, Bookmark.resource_id.in_(list(resource_ids)))))


def bookmarked_query(user):
    return (select(Resource).join(Bookmark, Bookmark.resource_id == Resource.id)
            .where(Bookmark.user_id == user.id, Resource.status == "published")
            .order_by(desc(Bookmark.created_at)))


def related(resource: Resource, limit: int = 4) -> list[Resource]:
    """Published resources sharing the most tags, then the same subject."""
    tag_ids = [tag.id for tag in resource.tags]
    shared = (select(resource_tags.c.resource_id, func.count().label("shared"))
              .where(resource_tags.c.tag_id.in_(tag_ids or [-1]))
              .group_by(resource_tags.c.resource_id).subquery())
    statement = (select(Resource).outerjoin(shared, shared.c.resource_id == Resource.id)
                 .where(Resource.id != resource.id, Resource.status == "published")
                 .where((shared.c.shared > 0) | (Resource.subject == resource.subject))
                 .order_by(desc(func.coalesce(shared.c.shared, 0)), desc(Resource.created_at))
                 .limit(limit))
    return list(db.session.scalars(statement))


def file_path(resource: Resource):
    return storage.path_for("files", resource.file.storage_name) if resource.file else None


def thumb_path(resource: Resource):
    return storage.path_for("thumbs", resource.file.thumb_name) if resource.file and resource.file.thumb_name else None


def count_published() -> int:
    return db.session.scalar(select(func.count(Resource.id)).where(Resource.status == "published")) or 0
