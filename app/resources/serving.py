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


def send_thumbnail(resource: Resource) -> Response:
    path = services.thumb_path(resource)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=3600)
    response.headers["Content-Security-Policy"] = FILE_CSP
    return response
