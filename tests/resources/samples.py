"""Sample files made in code, each carrying a word of our choosing.

Other test modules (search, API, browser) import these to upload real
PDF, Word, PowerPoint, Excel, PNG and text files without fixtures on disk.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from docx import Document
from fpdf import FPDF
from openpyxl import Workbook
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from tests.helpers import png_bytes

__all__ = ["SAMPLES", "broken_docx_bytes", "docx_bomb_bytes", "docx_bytes", "exe_bytes", "jpeg_bytes", "pdf_bomb_bytes",
           "pdf_bytes", "pdf_page_bytes", "pixel_bomb_bytes", "png_bytes", "pptx_bytes", "share_form", "txt_bytes",
           "upload_form", "with_thumbnail", "xlsx_bytes"]


def pdf_bytes(text: str = "Photosynthesis worksheet") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def docx_bytes(text: str = "Lesson plan for fractions") -> bytes:
    document = Document()
    document.add_heading("Lesson plan", level=1)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(text: str = "Volcano slide deck") -> bytes:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Volcanoes"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(2))
    box.text_frame.text = text
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def xlsx_bytes(text: str = "Gradebook template") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Marks"
    sheet.append(["Pupil", "Score", "Note"])
    sheet.append(["Amira", 17, text])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def txt_bytes(text: str = "Reading list for year nine") -> bytes:
    return f"{text}\n\nShared on Staffroom.\n".encode()


def exe_bytes() -> bytes:
    """The start of a Windows executable (an MZ header with a PE stub)."""
    header = bytearray(b"MZ" + b"\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44)
    header[0x3C:0x40] = (64).to_bytes(4, "little")
    return bytes(header) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


def broken_docx_bytes() -> bytes:
    """A zip that looks like a Word file but whose document cannot be read."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "this is not xml < at all")
    return out.getvalue()


def docx_bomb_bytes(inflated_mb: int = 187, words: bool = True) -> bytes:
    """A small Word file whose word/document.xml inflates to `inflated_mb` MB:
    paragraphs of words, or (words=False) empty formatted runs that give a
    reader nothing to stop on but the bytes it has read."""
    unit = (b"<w:p><w:r><w:t>lorem ipsum dolor sit amet </w:t></w:r></w:p>" if words
            else b"<w:p><w:r><w:rPr><w:b/><w:i/></w:rPr></w:r></w:p>")
    repeats = inflated_mb * 1024 * 1024 // len(unit) // 10_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                       b"<w:body>")
            block = unit * 10_000
            for _ in range(repeats):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return out.getvalue()


def pdf_bomb_bytes(operations: int = 300_000) -> bytes:
    """A 7 KB PDF whose one page draws `operations` words: a reader that
    holds the parsed page needs well over 100 MB for it."""
    return pdf_page_bytes(b"BT /F1 12 Tf 72 720 Td " + b"(word ) Tj " * operations + b"ET")


def pdf_page_bytes(content: bytes = b"BT /F1 48 Tf 72 720 Td (Giant poster) Tj ET",
                   width: float = 612, height: float = 792) -> bytes:
    """A one-page PDF drawing `content` on a page of width x height points
    (14,400 x 14,400 is the largest a PDF may declare: 200 x 200 inches)."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents 4 0 R " % (width, height)
        + b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def with_thumbnail(office: bytes, thumbnail: bytes | None, name: str = "docProps/thumbnail.jpeg") -> bytes:
    """`office` (a .docx, .pptx or .xlsx) with its embedded thumbnail replaced
    by `thumbnail`, or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(office)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if not item.filename.lower().startswith("docprops/thumbnail."):
                target.writestr(item, source.read(item))
        if thumbnail is not None:
            target.writestr(name, thumbnail)
    return out.getvalue()


def jpeg_bytes(width: int = 320, height: int = 240, color=(200, 60, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=85)
    return out.getvalue()


def pixel_bomb_bytes(side: int = 30_000) -> bytes:
    """A PNG of a few hundred bytes whose header declares side x side pixels
    (900 MP: 2.7 GB once decoded); its data stops after a few rows."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side * 3 + 1) * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


# kind -> (filename, generator, mime) for parametrized upload tests.
SAMPLES = {
    "pdf": ("worksheet.pdf", pdf_bytes, "application/pdf"),
    "document": ("lesson.docx", docx_bytes,
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "presentation": ("slides.pptx", pptx_bytes,
                     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "spreadsheet": ("marks.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "image": ("display.png", lambda text="": png_bytes(), "image/png"),
    "text": ("reading.txt", txt_bytes, "text/plain"),
}


def upload_form(data: bytes, filename: str = "photosynthesis.pdf", **fields) -> dict:
    """The API's multipart upload: a file and its details."""
    form = {
        "title": "Photosynthesis worksheet",
        "subject": "biology",
        "license": "cc-by-sa",
        "age_ranges": ["11-14", "14-16"],
        "tags": "Plants, Light",
    }
    form.update(fields)
    form["file"] = (io.BytesIO(data), filename)
    return form


def share_form(**overrides) -> dict:
    """The share form as a browser posts it (files as (stream, name) pairs)."""
    data = {"title": "Fractions with pizza", "description": "Cut the pizza, *share* the slices.",
            "subject": "mathematics", "age_ranges": ["7-11"], "tags": "fractions, group work",
            "license": "cc-by", "language": "en", "status": "published", "url": ""}
    for key, value in overrides.items():
        if key == "file" and isinstance(value, tuple):
            value = (io.BytesIO(value[0]), value[1])
        data[key] = value
    return data
