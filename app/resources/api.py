"""The library in the JSON API: resources, their files, bookmarks and
collections under /api/v1. Thin over `services` and `collections`, like the
HTML pages.

POST /resources takes a link as JSON, or a file as multipart/form-data
with the same fields as form fields. One view serves both: it reads the
body with the schema for its content type, and the OpenAPI document lists
both content types from those two schemas.
"""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from flask_smorest import Blueprint
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from app.accounts import services as accounts
from app.api_support import BEARER, PageArgs, api_login_required, exempt_from_form_csrf, paginate
from app.exceptions import NotFound, ServiceError, UnsupportedMedia, ValidationFailed
from app.i18n import N_
from app.resources import collections, services
from app.resources.schemas import (
    BookmarkStateSchema,
    CollectionCreateSchema,
    CollectionDetailSchema,
    CollectionItemCreateSchema,
    CollectionItemSchema,
    CollectionOrderSchema,
    CollectionPageSchema,
    CollectionUpdateSchema,
    EditorCreateSchema,
    EditorSchema,
    MyResourcesArgs,
    ResourceCreateSchema,
    ResourceListArgs,
    ResourcePageSchema,
    ResourceSchema,
    ResourceUpdateSchema,
    ResourceUploadSchema,
)
from app.resources.serving import send_resource_file, send_thumbnail

blp = Blueprint("resources_api", __name__, url_prefix="/api/v1", description="Resources, bookmarks and collections")
exempt_from_form_csrf(blp)
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}
BINARY = {"type": "string", "format": "binary"}


class UploadTooLarge(ServiceError):
    status = 413
    code = "payload_too_large"


class _Parser(FlaskParser):
    """flask-smorest's parser plus a "multipart" location: form fields and
    files read as one body, so one schema validates (and documents) both
    and reports every problem at once."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


parser = _Parser()


def _page_args(args: dict) -> dict:
    return {"page": args.pop("page"), "per_page": args.pop("per_page")}


def _empty_page(page: dict) -> dict:
    return {"items": [], "total": 0, **page}


# Resources -------------------------------------------------------------------------

@blp.get("/resources")
@blp.arguments(ResourceListArgs, location="query")
@blp.response(200, ResourcePageSchema)
def list_resources(args):
    """Published resources, filtered and sorted, a page at a time."""
    page = _page_args(args)
    if "owner" in args:
        owner = accounts.get_by_username(args["owner"])
        if owner is None:
            return _empty_page(page)
        args["owner"] = owner
    return paginate(services.library_query(**args), **page)


def _read_upload(file_storage) -> services.Upload:
    """The uploaded bytes, refusing (413) more than MAX_UPLOAD_MB without
    reading further."""
    limit_mb = current_app.config["MAX_UPLOAD_MB"]
    limit = limit_mb * 1024 * 1024
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(services.too_large(limit_mb), {"file": services.too_large(limit_mb)})
    return services.Upload(data=data, filename=file_storage.filename or "")


@blp.get("/users/<string:username>/resources")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ResourcePageSchema)
def member_resources(args, username):
    """The resources a member shared that everyone may see (published), the newest first."""
    return paginate(services.library_query(owner=accounts.public_member(username)), **args)


@blp.post("/resources")
@api_login_required
@blp.doc(security=BEARER, requestBody={
    "required": True,
    "description": "A link as JSON, or a file as multipart/form-data.",
    "content": {
        "application/json": {"schema": ResourceCreateSchema},
        "multipart/form-data": {"schema": ResourceUploadSchema},
    },
})
@blp.response(201, ResourceSchema)
@blp.alt_response(400, response="BAD_REQUEST")
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_resource():
    """Share a link (JSON) or a file (multipart/form-data with `file`)."""
    if webargs_core.is_json(request.mimetype):
        data = parser.parse(ResourceCreateSchema(), request, location="json")
        return services.create_resource(current_user, **data)
    if request.mimetype in FORM_TYPES:
        if "url" in request.form:
            raise ValidationFailed({"url": N_("Share either a file (multipart) or a link (JSON), not both.")})
        data = parser.parse(ResourceUploadSchema(), request, location="multipart")
        upload = _read_upload(data.pop("file"))
        return services.create_resource(current_user, upload=upload, **data)
    raise UnsupportedMedia(N_("Send a link as application/json, or a file as multipart/form-data."))


@blp.get("/resources/<int:resource_id>")
@blp.response(200, ResourceSchema)
def get_resource(resource_id):
    """A resource. Drafts and hidden ones exist only for their owner and moderators."""
    return services.get_for_viewer(resource_id, current_user)


@blp.patch("/resources/<int:resource_id>")
@api_login_required
@blp.arguments(ResourceUpdateSchema)
@blp.response(200, ResourceSchema)
@blp.alt_response(403, response="FORBIDDEN")
def update_resource(data, resource_id):
    """Change a resource's fields (owner or moderator); omitted fields stay as they are."""
    resource = services.get_for_viewer(resource_id, current_user)
    return services.update_resource(resource, current_user, **data)


@blp.delete("/resources/<int:resource_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def delete_resource(resource_id):
    """Delete a resource, its file (unless another resource shares the bytes) and its index entry."""
    services.delete_resource(services.get_for_viewer(resource_id, current_user), current_user)
    return None


@blp.get("/resources/<int:resource_id>/file")
@blp.response(200, BINARY, content_type="*/*",
              description="The file, with the type detected at upload; images and PDFs inline, "
                          "everything else as an attachment.")
def get_resource_file(resource_id):
    """Download a resource's file (counts a download)."""
    resource = services.get_for_viewer(resource_id, current_user)
    if resource.file_id is None:
        raise NotFound(N_("This resource is a link; it has no file."))
    return send_resource_file(resource)


@blp.get("/resources/<int:resource_id>/thumbnail")
@blp.response(200, BINARY, content_type="image/png",
              description="A PNG preview, at most 480 x 960: an image scaled, a PDF's first page, or the "
                          "thumbnail a Word or PowerPoint file carries. Cached publicly for an hour when the "
                          "resource is published, privately (revalidated) otherwise.")
def get_resource_thumbnail(resource_id):
    """A resource's preview (made after upload; `thumbnail_url` says when there is one)."""
    resource = services.get_for_viewer(resource_id, current_user)
    if resource.file is None or not resource.file.thumb_name:
        raise NotFound(N_("This resource has no thumbnail."))
    return send_thumbnail(resource)


# Bookmarks ----------------------------------------------------------------------------

@blp.post("/resources/<int:resource_id>/bookmark")
@api_login_required
@blp.response(200, BookmarkStateSchema)
def bookmark_resource(resource_id):
    """Bookmark a resource; bookmarking twice changes nothing."""
    resource = services.get_for_viewer(resource_id, current_user)
    services.bookmark(current_user, resource)
    return {"bookmarked": True, "bookmark_count": resource.bookmark_count}


@blp.delete("/resources/<int:resource_id>/bookmark")
@api_login_required
@blp.response(200, BookmarkStateSchema)
def unbookmark_resource(resource_id):
    """Remove a bookmark; removing one that is not there changes nothing."""
    resource = services.get_for_viewer(resource_id, current_user)
    services.unbookmark(current_user, resource)
    return {"bookmarked": False, "bookmark_count": resource.bookmark_count}


@blp.get("/me/bookmarks")
@api_login_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, ResourcePageSchema)
def my_bookmarks(args):
    """Published resources I bookmarked, the latest bookmark first."""
    return paginate(services.bookmarked_query(current_user), **args)


@blp.get("/me/resources")
@api_login_required
@blp.arguments(MyResourcesArgs, location="query")
@blp.response(200, ResourcePageSchema)
def my_resources(args):
    """Everything I shared, drafts and hidden ones included."""
    page = _page_args(args)
    return paginate(services.library_query(include_unpublished_of=current_user, **args), **page)


# Collections ---------------------------------------------------------------------------

@blp.get("/collections")
@api_login_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, CollectionPageSchema)
def list_collections(args):
    """My collections: those I own and those I was invited to edit, the newest first."""
    return paginate(collections.editable_query(current_user), **args)


def _resource_field(resource_id: int):
    """A resource named in a body: one the caller cannot open is a field error."""
    try:
        return services.get_for_viewer(resource_id, current_user)
    except NotFound as error:
        raise ValidationFailed({"resource_id": N_("No such resource.")}) from error


@blp.post("/collections")
@api_login_required
@blp.arguments(CollectionCreateSchema)
@blp.response(201, CollectionDetailSchema)
def create_collection(data):
    """Start a collection (private unless is_public is true); with `resource_id`,
    holding that resource from the start."""
    if "resource_id" in data:
        data["resource"] = _resource_field(data.pop("resource_id"))
    return collections.create_collection(current_user, **data)


@blp.get("/collections/<int:collection_id>")
@blp.response(200, CollectionDetailSchema)
def get_collection(collection_id):
    """A collection with its resources in order, less any the viewer may not open.
    A private collection exists only for its owner, its editors (and moderators)."""
    return collections.get_for_viewer(collection_id, current_user)


@blp.patch("/collections/<int:collection_id>")
@api_login_required
@blp.arguments(CollectionUpdateSchema)
@blp.response(200, CollectionDetailSchema)
@blp.alt_response(403, response="FORBIDDEN")
def update_collection(data, collection_id):
    """Rename, describe, or make public or private; omitted fields stay as they are."""
    collection = collections.get_for_viewer(collection_id, current_user)
    return collections.update_collection(collection, current_user, **data)


@blp.delete("/collections/<int:collection_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def delete_collection(collection_id):
    """Delete a collection (the resources in it stay)."""
    collections.delete_collection(collections.get_for_viewer(collection_id, current_user), current_user)
    return None


@blp.post("/collections/<int:collection_id>/items")
@api_login_required
@blp.arguments(CollectionItemCreateSchema)
@blp.response(201, CollectionItemSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def add_collection_item(data, collection_id):
    """Add a resource at the end of a collection."""
    collection = collections.get_for_viewer(collection_id, current_user)
    return collections.add_item(collection, _resource_field(data["resource_id"]), current_user)


@blp.delete("/collections/<int:collection_id>/items/<int:resource_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def remove_collection_item(collection_id, resource_id):
    """Take a resource out of a collection (owner or editor)."""
    collections.remove_item(collections.get_for_viewer(collection_id, current_user), resource_id, current_user)
    return None


@blp.put("/collections/<int:collection_id>/order")
@api_login_required
@blp.arguments(CollectionOrderSchema)
@blp.response(200, CollectionDetailSchema)
@blp.alt_response(403, response="FORBIDDEN")
def set_collection_order(data, collection_id):
    """Reorder a collection (owner or editor): send every resource id it holds, each once, in the new order.
    A missing, extra or repeated id is a 400 and nothing changes."""
    collection = collections.get_for_viewer(collection_id, current_user)
    collections.set_order(collection, current_user, data["resource_ids"])
    return collection


# Editors of a shared collection ------------------------------------------------------------

@blp.get("/collections/<int:collection_id>/editors")
@blp.response(200, EditorSchema(many=True))
def list_collection_editors(collection_id):
    """The members who may add, remove and reorder the collection's resources."""
    return collections.get_for_viewer(collection_id, current_user).editors


@blp.post("/collections/<int:collection_id>/editors")
@api_login_required
@blp.arguments(EditorCreateSchema)
@blp.response(201, EditorSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def invite_collection_editor(data, collection_id):
    """Invite a member, by username, to edit the collection's resources (owner only); they are notified."""
    collection = collections.get_for_viewer(collection_id, current_user)
    return collections.invite_editor(collection, current_user, data["username"])


@blp.delete("/collections/<int:collection_id>/editors/<int:user_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def remove_collection_editor(collection_id, user_id):
    """The owner removes an editor; an editor sending their own user id leaves the collection."""
    collection = collections.get_for_viewer(collection_id, current_user)
    if user_id == current_user.id:
        collections.leave(collection, current_user)
    else:
        collections.remove_editor(collection, current_user, user_id)
    return None
