"""Uploaded files: what they really are, their text, and image thumbnails.

The type is decided by the bytes (filetype, then a look inside Office zip
containers), never by the file name or the browser's Content-Type.
"""

from __future__ import annotations

import io
import logging
import zipfile

import filetype
from docx import Document as DocxDocument
from openpyxl import load_workbook
from PIL import Image, ImageOps
from pptx import Presentation
from pypdf import PdfReader

from app.exceptions import UnsupportedMedia

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # refuse zip bombs dressed as .docx
THUMB_WIDTH = 480

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
KIND_LABELS = {
    "pdf": "PDF", "document": "Word document", "presentation": "Slide deck", "spreadsheet": "Spreadsheet",
    "image": "Image", "text": "Text", "link": "Link",
}
_OFFICE_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPTED = "PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), PNG, JPEG, GIF, WebP, plain text or markdown"


def detect(data: bytes, filename: str = "") -> tuple[str, str, str]:
    """(mime, kind, extension) for accepted content; UnsupportedMedia otherwise."""
    guess = filetype.guess(data)
    mime = guess.mime if guess else None
    if mime in ("application/zip", *_OFFICE_PARTS.values()):
        mime = _office_mime(data)
    elif mime is None and _looks_like_text(data):
        mime = "text/markdown" if filename.lower().endswith((".md", ".markdown")) else "text/plain"
    if mime not in KINDS:
        raise UnsupportedMedia(f"That kind of file is not accepted. Share {ACCEPTED}.",
                               {"file": f"Upload {ACCEPTED}."})
    kind, extension = KINDS[mime]
    return mime, kind, extension


def _office_mime(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    for part, mime in _OFFICE_PARTS.items():
        if part in names:
            return mime
    return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sample's end is still text.
        return error.start >= 65536 - 4
    return True


def extract_text(data: bytes, kind: str) -> str | None:
    """The file's words for the search index, or None when there is nothing
    to extract. Raises on a file that claims a type but cannot be read."""
    if kind in ("document", "presentation", "spreadsheet"):
        _check_unzipped_size(data)
    extractor = _EXTRACTORS.get(kind)
    if extractor is None:
        return None
    text = extractor(data)
    return " ".join(text.split())[:MAX_TEXT_CHARS]


def _check_unzipped_size(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise ValueError("archive expands beyond the limit")


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    parts = []
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    document = DocxDocument(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pptx_text(data: bytes) -> str:
    presentation = Presentation(io.BytesIO(data))
    parts = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts = []
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                parts.extend(str(value) for value in row if value is not None)
                if len(parts) > 50_000:
                    return "\n".join(parts)
    finally:
        workbook.close()
    return "\n".join(parts)


def _plain_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


_EXTRACTORS = {
    "pdf": _pdf_text,
    "document": _docx_text,
    "presentation": _pptx_text,
    "spreadsheet": _xlsx_text,
    "text": _plain_text,
}


def thumbnail(data: bytes) -> bytes | None:
    """A PNG preview of an image, at most THUMB_WIDTH wide; None if unreadable."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 2))
            out = io.BytesIO()
            image.convert("RGBA").save(out, "PNG", optimize=True)
            return out.getvalue()
    except (OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        log.warning("could not make a thumbnail", exc_info=True)
        return None
