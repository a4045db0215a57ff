"""Marshmallow schemas of the library's JSON API: they validate requests and
generate the OpenAPI document.

The schemas check shape, types and lengths; the services check the rules
(a link is http or https, a language code exists, a file is of an accepted
kind), so the HTML forms and the API refuse the same things.
"""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_login import current_user

from app.api_support import FileUpload, Id, PageArgs, page_schema
from app.resources import collections as collection_services
from app.resources.models import LICENSES
from app.resources.services import KIND_FILTERS, MAX_TAGS, SORTS
from app.tags import MAX_TAG_LENGTH
from app.vocabulary import AGE_RANGES, SUBJECTS

_v = ma.validate

URL_PROPERTY = {"type": "string", "format": "uri-reference"}
NULLABLE_URL_PROPERTY = {"type": "string", "format": "uri-reference", "nullable": True}


# Request fields, built fresh for each schema ------------------------------------

def _title(**kwargs):
    return ma.fields.String(validate=_v.Length(min=3, max=200), **kwargs)


def _description():
    return ma.fields.String(validate=_v.Length(max=10_000), metadata={"description": "markdown"})


def _url(description: str = "http:// or https:// only; the server never fetches it", **kwargs):
    return ma.fields.String(validate=_v.Length(min=1, max=2000),
                            metadata={"format": "uri", "description": description}, **kwargs)


def _subject(**kwargs):
    return ma.fields.String(validate=_v.OneOf(list(SUBJECTS)), **kwargs)


def _license(**kwargs):
    return ma.fields.String(validate=_v.OneOf(list(LICENSES)), **kwargs)


def _language():
    return ma.fields.String(allow_none=True, validate=_v.Length(max=6), metadata={
        "description": "ISO 639-1 code, e.g. es; omitted, empty, null or `detect`: detected from the title, "
                       "description and the file's words"})


def _status():
    return ma.fields.String(validate=_v.OneOf(["published", "draft"]),
                            metadata={"description": "draft: only you (and moderators) can see it"})


def _age_ranges(list_field=ma.fields.List):
    return list_field(ma.fields.String(validate=_v.OneOf(list(AGE_RANGES))),
                      validate=_v.Length(max=len(AGE_RANGES)))


def _tags(list_field=ma.fields.List):
    return list_field(ma.fields.String(validate=_v.Length(min=1, max=MAX_TAG_LENGTH)), validate=_v.Length(max=MAX_TAGS),
                      metadata={"description": "normalized: lower case, spaces become hyphens"})


class FormList(ma.fields.List):
    """A list sent as form fields: repeated (`tags=a&tags=b`), comma
    separated (`tags=a,b`) or both."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            value = [part.strip() for item in value for part in item.split(",") if part.strip()]
        return super()._deserialize(value, attr, data, **kwargs)


# Resources: requests ---------------------------------------------------------------

class ResourceCreateSchema(ma.Schema):
    """A link, sent as JSON."""

    title = _title(required=True)
    description = _description()
    url = _url(required=True)
    subject = _subject(required=True)
    age_ranges = _age_ranges()
    tags = _tags()
    license = _license(required=True)
    language = _language()
    status = _status()


class ResourceUploadSchema(ma.Schema):
    """A file, sent as multipart/form-data: the file plus the same fields
    as form fields (tags and age_ranges repeated or comma separated)."""

    file = FileUpload(required=True, metadata={
        "description": "PDF, .docx, .pptx, .xlsx, PNG, JPEG, GIF, WebP, plain text or markdown; "
                       "the type is read from the content, not the name",
    })
    title = _title(required=True)
    description = _description()
    subject = _subject(required=True)
    age_ranges = _age_ranges(FormList)
    tags = _tags(FormList)
    license = _license(required=True)
    language = _language()
    status = _status()


class ResourceUpdateSchema(ma.Schema):
    """Fields to change; omitted fields stay as they are."""

    title = _title()
    description = _description()
    url = _url("links only (http or https); a file resource keeps its file")
    subject = _subject()
    age_ranges = _age_ranges()
    tags = _tags()
    license = _license()
    language = _language()
    status = _status()


class MyResourcesArgs(PageArgs):
    subject = ma.fields.String(validate=_v.OneOf(list(SUBJECTS)))
    age_range = ma.fields.String(validate=_v.OneOf(list(AGE_RANGES)))
    tag = ma.fields.String(
        validate=_v.Length(min=1, max=MAX_TAG_LENGTH), metadata={"description": "matched case-insensitively"}
    )
    kind = ma.fields.String(validate=_v.OneOf(sorted(KIND_FILTERS)))
    license = ma.fields.String(validate=_v.OneOf(list(LICENSES)))
    sort = ma.fields.String(load_default="newest", validate=_v.OneOf(sorted(SORTS)))


class ResourceListArgs(MyResourcesArgs):
    owner = ma.fields.String(validate=_v.Length(min=1, max=30), metadata={"description": "username"})


# Resources: responses --------------------------------------------------------------

class OwnerSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()
    country = ma.fields.String(allow_none=True)


def _file_url(resource) -> str | None:
    if resource.file_id is None:
        return None
    return url_for("resources_api.get_resource_file", resource_id=resource.id)


def _thumbnail_url(resource) -> str | None:
    if resource.file is None or not resource.file.thumb_name:
        return None
    return url_for("resources_api.get_resource_thumbnail", resource_id=resource.id, v=resource.file.thumb_name[:12])


class _WholeObject(ma.fields.Nested):
    """A nested object built from the parent object itself (or null)."""

    def __init__(self, nested, *, when=lambda obj: True, **kwargs):
        self.when = when
        super().__init__(nested, **kwargs)

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return obj if self.when(obj) else None


class ResourceFileSchema(ma.Schema):
    name = ma.fields.String(attribute="file_name")
    mime = ma.fields.String(attribute="file.mime", metadata={"description": "detected from the content"})
    size = ma.fields.Integer(attribute="file.size", metadata={"description": "bytes"})
    download_url = ma.fields.Function(_file_url, metadata=URL_PROPERTY)


class ResourceLinksSchema(ma.Schema):
    html = ma.fields.Function(lambda resource: url_for("resources.show", resource_id=resource.id),
                              metadata=URL_PROPERTY)
    file = ma.fields.Function(_file_url, metadata=NULLABLE_URL_PROPERTY)


class ResourceSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String(attribute="description_md", metadata={"description": "markdown"})
    description_html = ma.fields.String(metadata={"description": "sanitized HTML rendered from the markdown"})
    url = ma.fields.String(allow_none=True, metadata={"description": "links only"})
    kind = ma.fields.String(metadata={"enum": sorted(KIND_FILTERS)})
    subject = ma.fields.String()
    age_ranges = ma.fields.List(ma.fields.String())
    tags = ma.fields.List(ma.fields.String(), attribute="tag_names")
    license = ma.fields.String()
    language = ma.fields.String(allow_none=True, metadata={
        "description": "ISO 639-1 code; null when it was to be detected and the text said too little"})
    language_detected = ma.fields.Boolean(metadata={
        "description": "the language was detected from its words (and is detected again from a new file), "
                       "not chosen; set `language` to choose"})
    status = ma.fields.String(metadata={"enum": ["published", "draft", "hidden"]})
    owner = ma.fields.Nested(OwnerSchema)
    file = _WholeObject(ResourceFileSchema, when=lambda resource: resource.file is not None, allow_none=True)
    thumbnail_url = ma.fields.Function(_thumbnail_url, metadata=NULLABLE_URL_PROPERTY)
    text_status = ma.fields.String(metadata={
        "enum": ["pending", "indexed", "failed", "too_large", "none"],
        "description": "pending: the words inside the file are being read for search (a moment after "
                       "upload); indexed: they are searchable; failed (unreadable) and too_large (over the "
                       "reader's memory or time ceiling): the file is shared but its text is not "
                       "searchable; none: a link or an image",
    })
    download_count = ma.fields.Integer()
    bookmark_count = ma.fields.Integer()
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime(metadata={
        "description": "When its owner (or a moderator) last changed it; bookmarks, downloads, collections "
                       "and hiding leave it alone",
    })
    links = _WholeObject(ResourceLinksSchema)


ResourcePageSchema = page_schema(ResourceSchema, "ResourcePage")


class BookmarkStateSchema(ma.Schema):
    bookmarked = ma.fields.Boolean()
    bookmark_count = ma.fields.Integer()


# Collections ----------------------------------------------------------------------

class CollectionCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=_v.Length(min=1, max=120))
    description = ma.fields.String(validate=_v.Length(max=1000))
    is_public = ma.fields.Boolean(metadata={"description": "default false: only you can see it"})
    resource_id = Id(strict=True, metadata={
        "description": "a resource to put in it at once: the collection is made with it or not at all",
    })


class CollectionUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=_v.Length(min=1, max=120))
    description = ma.fields.String(validate=_v.Length(max=1000))
    is_public = ma.fields.Boolean()


class CollectionItemCreateSchema(ma.Schema):
    resource_id = Id(required=True, strict=True)


class CollectionOrderSchema(ma.Schema):
    resource_ids = ma.fields.List(Id(strict=True), required=True, validate=_v.Length(max=1000), metadata={
        "description": "every resource of the collection you can see, each once, in the new order; "
                       "anything else is a 400 and the order stays",
    })


class EditorCreateSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=_v.Length(min=1, max=40))


class EditorSchema(ma.Schema):
    user = ma.fields.Nested(OwnerSchema)
    added_at = ma.fields.AwareDateTime()


def _role(collection) -> str | None:
    if collection_services.can_manage(collection, current_user):
        return "owner" if current_user.id == collection.owner_id else "moderator"
    return "editor" if collection_services.is_editor(collection, current_user) else None


def _share_url(collection) -> str | None:
    """The share link opens a private collection: only its owner sees it."""
    if current_user.is_authenticated and current_user.id == collection.owner_id:
        return url_for("resources.shared_collection", token=collection.share_token)
    return None


class CollectionSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    description = ma.fields.String()
    is_public = ma.fields.Boolean()
    owner = ma.fields.Nested(OwnerSchema)
    share_url = ma.fields.Function(_share_url, metadata={
        **NULLABLE_URL_PROPERTY, "description": "anyone with it can view the collection; shown to its owner only",
    })
    created_at = ma.fields.AwareDateTime()
    html_url = ma.fields.Function(lambda collection: url_for("resources.collection", collection_id=collection.id),
                                  metadata=URL_PROPERTY)
    my_role = ma.fields.Function(_role, metadata={
        "type": "string", "nullable": True,
        "description": "owner (or moderator): may change everything; editor: may add, remove and reorder "
                       "its resources; null: may only look",
    })


class _VisibleItems(ma.fields.List):
    """The collection's resources in order, less those the viewer may not open."""

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return collection_services.visible_items(obj, current_user)


class CollectionDetailSchema(CollectionSchema):
    items = _VisibleItems(ma.fields.Nested(ResourceSchema))
    editors = ma.fields.List(ma.fields.Nested(EditorSchema), metadata={
        "description": "members the owner invited to add, remove and reorder its resources",
    })


CollectionPageSchema = page_schema(CollectionSchema, "CollectionPage")


class CollectionItemSchema(ma.Schema):
    collection_id = ma.fields.Integer()
    position = ma.fields.Integer()
    added_at = ma.fields.AwareDateTime()
    resource = ma.fields.Nested(ResourceSchema)
