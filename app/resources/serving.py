"""Sending a resource's file with the safe headers of docs/ARCHITECTURE.md,
'Security defaults'.

Images and PDFs open in the browser (a PDF may be framed by our own resource
page for its preview); everything else downloads as an attachment. The type
sent is the one detected from the bytes at upload, never the file name's.
"""

from __future__ import annotations

from flask import Response, abort, send_file

from app.resources import services
from app.resources.models import Resource

INLINE_KINDS = {"image", "pdf"}
# The file itself may run nothing and load nothing; only our pages may frame it.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
PDF_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def send_resource_file(resource: Resource, count_download: bool = True) -> Response:
    path = services.file_path(resource)
    if path is None:
        abort(404)
    inline = resource.file.kind in INLINE_KINDS
    response = send_file(
        path,
        mimetype=resource.file.mime,
        as_attachment=not inline,
        download_name=resource.file_name or path.name,
        max_age=0,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Chromium will not show a PDF inside a sandboxed document.
    response.headers["Content-Security-Policy"] = PDF_CSP if resource.file.kind == "pdf" else FILE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if count_download:
        services.record_download(resource)
    return response


# A thumbnail's address carries its version (`?v=`, the stored name), so a
# new file's preview is a new URL. A published resource's preview may sit in
# shared caches for an hour; any other is its viewer's alone and revalidated.
PUBLIC_THUMB_SECONDS = 3600


def send_thumbnail(resource: Resource) -> Response:
    path = services.thumb_path(resource)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/png", conditional=True, etag=True, max_age=0)
    if resource.is_public:
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_THUMB_SECONDS
        response.cache_control.no_cache = None
    else:
        response.cache_control.public = False
        response.cache_control.private = True
        response.cache_control.no_cache = True
        response.cache_control.max_age = None
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
