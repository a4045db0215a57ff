"""The forum composer in the JSON API: a post's preview and pictures for
posts. Thin over `services.preview` and `media.py`; on the forum's API
blueprint."""

from __future__ import annotations

from functools import wraps

from flask import request
from flask_login import current_user

from app.api_support import api_login_required
from app.forum import media, services
from app.forum.api import blp
from app.forum.schemas import PostImageSchema, PostImageUploadSchema, PreviewCreateSchema, PreviewSchema

# A preview's JSON body: the longest post, every character escaped, fits.
PREVIEW_MAX_BYTES = 256 * 1024


def body_at_most(limit: int):
    """Refuse (413) a request body over `limit` bytes before anything reads it."""
    def decorate(view):
        @wraps(view)
        def capped(*args, **kwargs):
            request.max_content_length = limit
            return view(*args, **kwargs)
        return capped
    return decorate


@blp.post("/posts/preview")
@body_at_most(PREVIEW_MAX_BYTES)
@api_login_required
@blp.arguments(PreviewCreateSchema)
@blp.response(200, PreviewSchema)
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def preview_post(data):
    """Render markdown exactly as a post would show it (markdown, cleaning, @mention links); stores nothing."""
    return {"html": services.preview(current_user, data["body"])}


@blp.post("/post-images")
@api_login_required
@blp.arguments(PostImageUploadSchema, location="files")
@blp.response(201, PostImageSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def upload_post_image(data):
    """Upload a picture for a post (multipart/form-data, `file`): checked by content, metadata removed, at most
    1600 px wide. Put the answer's `markdown` in a post; an image no post uses is deleted after a day."""
    upload = data["file"]
    limit = media.upload_limit()
    image = media.add_image(current_user, upload.stream.read(limit + 1))
    image.markdown = media.markdown_for(image, media.alt_from_file_name(upload.filename))
    return image
