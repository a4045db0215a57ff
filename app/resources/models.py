"""The resource library: shared files and links, tags, bookmarks, collections."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_pgettext
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import N_

LICENSES = {
    "cc-by": "CC BY 4.0",
    "cc-by-sa": "CC BY-SA 4.0",
    "cc-by-nc": "CC BY-NC 4.0",
    "cc0": N_("CC0 (public domain)"),
    "all-rights-reserved": N_("All rights reserved"),
}
STATUSES = ("published", "draft", "hidden")
# How a status reads on its owner's cards (views' `status_label` translates them).
STATUS_LABELS = {"published": lazy_pgettext("resource status", "Published"),
                 "draft": lazy_pgettext("resource status", "Draft"),
                 "hidden": lazy_pgettext("resource status", "Hidden")}


class StoredFile(db.Model):
    """Bytes on disk, stored once however many resources share them."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    storage_name: Mapped[str] = mapped_column(String(80))
    thumb_name: Mapped[str | None] = mapped_column(String(80))
    # The preview job's outcome for these bytes: "ready" (thumb_name), "none"
    # (nothing to show: no embedded thumbnail, text...), "failed" (broken or past
    # a limit); None: never tried (uploaded before previews: `flask resources previews`).
    preview_status: Mapped[str | None] = mapped_column(String(12))
    mime: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # pdf, document, presentation, spreadsheet, image, text
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


resource_tags = db.Table(
    "resource_tags",
    db.Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    db.Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class Resource(db.Model):
    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint("download_count >= 0", name="downloads_not_negative"),
        CheckConstraint("bookmark_count >= 0", name="bookmarks_not_negative"),
        Index("ix_resources_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(40), index=True)
    # ISO 639-1 code; NULL when it was to be detected and the text said too
    # little. `language_detected`: detected from the text (title, description,
    # the file's words), not chosen by the uploader; the text job detects again.
    language: Mapped[str | None] = mapped_column(String(8))
    language_detected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    license: Mapped[str] = mapped_column(String(30))
    url: Mapped[str | None] = mapped_column(String(2000))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), index=True)
    file_name: Mapped[str | None] = mapped_column(String(200))  # shown and offered on download only
    # "indexed": text extracted; "failed": extraction failed (still shared);
    # "none": nothing to extract (links, images).
    text_status: Mapped[str] = mapped_column(String(12), default="none")
    status: Mapped[str] = mapped_column(String(12), default="published")
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    bookmark_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # When the owner (or a moderator) last changed what it says or holds:
    # set by `services.update_resource`, never by counters, text jobs or hiding,
    # so no `onupdate` (which every UPDATE of the row would trigger).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    file: Mapped[StoredFile | None] = relationship(lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary=resource_tags, order_by=Tag.name, lazy="selectin")
    age_range_rows: Mapped[list[ResourceAgeRange]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceAgeRange.age_range", lazy="selectin"
    )
    text: Mapped[ResourceText | None] = relationship(
        cascade="all, delete-orphan", lazy="raise_on_sql", uselist=False
    )

    @property
    def kind(self) -> str:
        return self.file.kind if self.file else "link"

    @property
    def age_ranges(self) -> list[str]:
        return [row.age_range for row in self.age_range_rows]

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    @property
    def is_public(self) -> bool:
        return self.status == "published"

    def search_keys(self) -> list[str]:
        return [f"resource:{self.id}"]


class ResourceAgeRange(db.Model):
    __tablename__ = "resource_age_ranges"

    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    age_range: Mapped[str] = mapped_column(String(20), primary_key=True)


class ResourceText(db.Model):
    """Text extracted from a file, kept apart so list pages never load it."""

    __tablename__ = "resource_texts"

    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class Bookmark(db.Model):
    __tablename__ = "bookmarks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Collection(db.Model):
    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(1000), default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    # Anyone with /collections/shared/<token> can view a private collection.
    share_token: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    items: Mapped[list[CollectionItem]] = relationship(
        cascade="all, delete-orphan", order_by="CollectionItem.position", lazy="selectin"
    )
    editors: Mapped[list[CollectionEditor]] = relationship(
        cascade="all, delete-orphan", order_by="CollectionEditor.added_at", lazy="selectin"
    )


class CollectionItem(db.Model):
    __tablename__ = "collection_items"

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    resource: Mapped[Resource] = relationship(lazy="joined", innerjoin=True)


class CollectionEditor(db.Model):
    """A member the owner invited to add, remove and reorder a collection's items."""

    __tablename__ = "collection_editors"

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
