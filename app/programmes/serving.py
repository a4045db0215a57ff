"""Sending an evidence file with the safe headers of docs/ARCHITECTURE.md,
'Security defaults': always as an attachment, under the type detected from
its bytes at upload."""

from __future__ import annotations

from flask import Response, abort, send_file

from app.programmes import applications
from app.programmes.models import Evidence

FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def send_evidence(item: Evidence | None) -> Response:
    path = applications.evidence_path(item) if item is not None else None
    if path is None:
        abort(404)
    response = send_file(path, mimetype=item.mime, as_attachment=True, download_name=item.file_name or path.name,
                         max_age=0, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
