"""Serving the pictures members put in their posts (`media.py`)."""

from __future__ import annotations

from flask import abort, send_file

from app import storage
from app.forum import media
from app.forum.views import bp

# Stored under a random name and never changed: a browser may keep it.
CACHE_CONTROL = "private, max-age=31536000, immutable"
# The picture itself may run nothing and load nothing.
IMAGE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


# Names are what storage.save makes (16-64 characters and an extension);
# anything shorter answers 404 from the router, so a markdown image of
# /media/a.png never passes the sanitiser.
@bp.get("/media/<string(minlength=20, maxlength=70):file_name>")
def media_file(file_name: str):
    """An image uploaded for a post: anyone with its unguessable address."""
    image = media.find(file_name)
    path = storage.path_for(media.AREA, file_name) if image else None
    if path is None:
        abort(404)
    response = send_file(path, mimetype=image.content_type, conditional=True, etag=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = IMAGE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
