"""Uploaded files: what they really are.

The type is decided by the bytes (filetype, then a look at the names in an
Office zip container), never by the file name or the browser's Content-Type.
This runs inside the upload request, so it reads only headers and the zip
directory; the words and previews are read later by `text_jobs`.
"""

from __future__ import annotations

import io
import struct
import zipfile

import filetype
from flask_babel import lazy_gettext as _l

from app.exceptions import UnsupportedMedia
from app.i18n import N_
from app.vocabulary import FILE_KINDS

# Office files hold tens to hundreds of parts; a zip of half a million tiny
# entries costs hundreds of MB just to list, so it is no Office file of ours.
# zipfile reads exactly the directory size the end record gives.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
_END_OF_DIRECTORY = b"PK\x05\x06"

KINDS = {
    "application/pdf": ("pdf", "pdf"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("document", "docx"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("presentation", "pptx"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("spreadsheet", "xlsx"),
    "image/png": ("image", "png"),
    "image/jpeg": ("image", "jpg"),
    "image/gif": ("image", "gif"),
    "image/webp": ("image", "webp"),
    "text/plain": ("text", "txt"),
    "text/markdown": ("text", "md"),
}
KIND_LABELS = FILE_KINDS
# vocabulary.FILE_KINDS's names marked for the catalogs (the `kind_label` filter
# and the library's filter translate them); keep the two lists in step.
KIND_NAMES = (N_("PDF"), N_("Word document"), N_("Slide deck"), N_("Spreadsheet"), N_("Image"), N_("Text"),
              N_("Link"))
_OFFICE_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPTED = N_("PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), PNG, JPEG, GIF, WebP, plain text or markdown")


def detect(data: bytes, filename: str = "") -> tuple[str, str, str]:
    """(mime, kind, extension) for accepted content; UnsupportedMedia otherwise."""
    guess = filetype.guess(data)
    mime = guess.mime if guess else None
    if mime in ("application/zip", *_OFFICE_PARTS.values()):
        mime = _office_mime(data)
    elif mime is None and _looks_like_text(data):
        mime = "text/markdown" if filename.lower().endswith((".md", ".markdown")) else "text/plain"
    if mime not in KINDS:
        raise UnsupportedMedia(_l("That kind of file is not accepted. Share %(accepted)s.", accepted=_l(ACCEPTED)),
                               {"file": _l("Upload %(accepted)s.", accepted=_l(ACCEPTED))})
    kind, extension = KINDS[mime]
    return mime, kind, extension


def _office_mime(data: bytes) -> str | None:
    entries, directory_bytes = _zip_directory(data)
    if entries > MAX_ZIP_ENTRIES or directory_bytes > MAX_ZIP_DIRECTORY_BYTES:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    for part, mime in _OFFICE_PARTS.items():
        if part in names:
            return mime
    return None


def _zip_directory(data: bytes) -> tuple[int, int]:
    """The entry count and directory size the zip's end record declares, read
    before zipfile lists them (ZIP64 markers, 0xFFFF..., count as too many)."""
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return 0, 0  # not a zip: zipfile will say so
    entries, directory_bytes = struct.unpack_from("<HI", data, at + 10)
    return entries, directory_bytes


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sample's end is still text.
        return error.start >= 65536 - 4
    return True
