"""The words inside an uploaded file, and its preview, read on a budget.

Runs as its own process, never inside a web request:

    python -I text_extract.py KIND SOURCE OUT_DIR MEMORY_MB SECONDS

It caps its own memory and CPU time (`resource.setrlimit`) before it opens
the file, so a file built to explode (a 500 KB .docx whose XML inflates to
187 MB) ends this process, not the server. Within those ceilings it reads
on a budget too: XML is streamed through expat with a cap on decompressed
bytes, whatever the zip directory claims, and text stops at MAX_TEXT_CHARS.

It writes OUT_DIR/text.txt when it has words and OUT_DIR/report.json (the
text's outcome), then tries the preview (OUT_DIR/thumb.png: an image scaled,
a PDF's first page, an Office file's own thumbnail), prints one JSON line
({"truncated": ..., "preview": ...}) and exits with EXIT_OK, EXIT_UNREADABLE
(the file is broken or not what it claims) or EXIT_OVER_LIMIT. A process
killed by its ceilings (SIGXCPU, SIGKILL) is over the limit too, unless it
had written its report: then only the preview was lost.

This module imports nothing of the app (the child starts in milliseconds and
never sees its settings); the parent side is `app/resources/text_jobs.py`.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import zipfile
from pathlib import Path
from xml.parsers import expat

MAX_TEXT_CHARS = 200_000  # what the index keeps of one file
MAX_XML_BYTES = 32 * 1024 * 1024  # decompressed bytes read from all of an Office file's parts
MAX_PARTS = 2_000  # slides, sheets or notes read from one file
MAX_PDF_PAGES = 2_000
MAX_PDF_PARSING_WORK = 200_000  # operands and operators of one page's content
MAX_IMAGE_PIXELS = 50_000_000  # larger images keep no preview
THUMB_WIDTH = 480
CHUNK = 64 * 1024

REPORT = "report.json"  # the text's outcome, written before the preview is tried

EXIT_OK = 0
EXIT_UNREADABLE = 3
EXIT_OVER_LIMIT = 4


class BudgetSpent(Exception):
    """Enough has been read: stop, keep what was gathered."""


class Unreadable(Exception):
    """The file is broken, or not the kind it claims to be."""


class OverLimit(Exception):
    """The file needs more than its reader may spend on it."""


class Text:
    """Collected text, whitespace folded, never longer than `limit`."""

    def __init__(self, limit: int | None = None):
        self.limit = MAX_TEXT_CHARS if limit is None else limit
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def add(self, text: str) -> None:
        words = " ".join(text.replace("\x00", " ").split())
        if not words:
            return
        room = self.limit - self.size - (1 if self.parts else 0)
        if len(words) >= room:
            words = words[:max(room, 0)]
            self.truncated = True
        if words:
            self.parts.append(words)
            self.size += len(words) + (1 if len(self.parts) > 1 else 0)
        if self.truncated:
            raise BudgetSpent

    def value(self) -> str:
        return " ".join(self.parts)


# Office files: zip containers of XML ---------------------------------------------

class _XmlBudget:
    """Decompressed bytes left to read across all parts of one file."""

    def __init__(self, limit: int | None = None):
        self.left = MAX_XML_BYTES if limit is None else limit

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise BudgetSpent


def _refuse_doctype(*_args) -> None:
    # OOXML never declares a DTD; one here can only be an entity trick.
    raise Unreadable("a DOCTYPE in an Office part")


def _stream_part(archive: zipfile.ZipFile, name: str, budget: _XmlBudget, on_start, on_end, on_text) -> None:
    """Feed one XML part through expat in chunks: no tree is ever built."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.StartElementHandler = lambda name_, attrs: on_start(name_.rsplit(" ", 1)[-1], attrs)
    parser.EndElementHandler = lambda name_: on_end(name_.rsplit(" ", 1)[-1])
    parser.CharacterDataHandler = on_text
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            budget.spend(len(chunk))
            try:
                parser.Parse(chunk, False)
            except expat.ExpatError as error:
                raise Unreadable(f"{name}: {error}") from error
    parser.Parse(b"", True)


class _Runs:
    """Text of the elements named `text_tags`, with a break after `break_tags`."""

    def __init__(self, out: Text, text_tags=("t",), break_tags=("p", "br", "cr", "tab")):
        self.out = out
        self.text_tags = set(text_tags)
        self.break_tags = set(break_tags)
        self.depth = 0
        self.pending: list[str] = []
        self.pending_chars = 0

    def start(self, tag: str, _attrs) -> None:
        if tag in self.text_tags:
            self.depth += 1

    def end(self, tag: str) -> None:
        if tag in self.text_tags:
            self.depth -= 1
        if tag in self.break_tags:
            self.flush()

    def text(self, data: str) -> None:
        if self.depth > 0:
            self.pending.append(data)
            self.pending_chars += len(data)
            if self.pending_chars > CHUNK:  # one endless paragraph
                self.flush()

    def flush(self) -> None:
        if self.pending:
            text = "".join(self.pending)
            self.pending.clear()
            self.pending_chars = 0
            self.out.add(text)


def _numbered(names, prefix: str) -> list[str]:
    pattern = re.compile(re.escape(prefix) + r"(\d+)\.xml$")
    found = [(int(m.group(1)), name) for name in names if (m := pattern.match(name))]
    return [name for _, name in sorted(found)][:MAX_PARTS]


def _read_parts(archive: zipfile.ZipFile, names: list[str], out: Text, runs: _Runs) -> None:
    budget = _XmlBudget()
    for name in names:
        _stream_part(archive, name, budget, runs.start, runs.end, runs.text)
        runs.flush()


def _docx(archive: zipfile.ZipFile, out: Text) -> None:
    present = set(archive.namelist())
    names = [n for n in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml") if n in present]
    if "word/document.xml" not in names:
        raise Unreadable("no word/document.xml")
    _read_parts(archive, names, out, _Runs(out))


def _pptx(archive: zipfile.ZipFile, out: Text) -> None:
    present = archive.namelist()
    names = _numbered(present, "ppt/slides/slide") + _numbered(present, "ppt/notesSlides/notesSlide")
    _read_parts(archive, names, out, _Runs(out))


class _Cells(_Runs):
    """Worksheet cells: values, except shared-string indexes (read from the table)."""

    def __init__(self, out: Text):
        super().__init__(out, text_tags=("v", "t"), break_tags=("c", "row", "si"))
        self.shared = False

    def start(self, tag: str, attrs) -> None:
        if tag == "c":
            self.shared = attrs.get("t") == "s"
        if tag == "sheet" and attrs.get("name"):
            self.out.add(attrs["name"])
        if tag == "v" and self.shared:
            return
        super().start(tag, attrs)

    def end(self, tag: str) -> None:
        if tag == "v" and self.shared:
            return
        super().end(tag)


def _xlsx(archive: zipfile.ZipFile, out: Text) -> None:
    present = archive.namelist()
    names = [n for n in ("xl/workbook.xml", "xl/sharedStrings.xml") if n in present]
    names += _numbered(present, "xl/worksheets/sheet")
    _read_parts(archive, names, out, _Cells(out))


def _office(reader):
    def extract(path: Path, out: Text) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                reader(archive, out)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError) as error:
            raise Unreadable(str(error)) from error
    return extract


# Other kinds ------------------------------------------------------------------------

def _pdf(path: Path, out: Text) -> None:
    import pypdf  # noqa: PLC0415 (the child imports the reader of the kind it reads)
    from pypdf.errors import LimitReachedError, PyPdfError  # noqa: PLC0415 (the child imports the reader of the kind it reads)

    # pypdf's own budgets, tightened: a page of text has a few thousand
    # operators; one of hundreds of thousands holds 100+ MB once parsed.
    pypdf.overwrite_configuration(zlib_maximum_output_length=MAX_XML_BYTES,
                                  stream_decoding_work_maximum_length=4 * MAX_XML_BYTES,
                                  stream_parsing_work_maximum_count=MAX_PDF_PARSING_WORK)
    try:
        reader = pypdf.PdfReader(path)
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES:
                out.truncated = True
                return
            out.add(page.extract_text() or "")
    except LimitReachedError as error:
        raise OverLimit(str(error)) from error
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise Unreadable(str(error)) from error


def _plain(path: Path, out: Text) -> None:
    with path.open("rb") as handle:
        data = handle.read(MAX_TEXT_CHARS * 4)
    out.add(data.decode("utf-8", errors="replace"))


EXTRACTORS = {
    "pdf": _pdf,
    "document": _office(_docx),
    "presentation": _office(_pptx),
    "spreadsheet": _office(_xlsx),
    "text": _plain,
}


def extract(kind: str, path: Path) -> Text:
    """The text of `path`; stops quietly at a budget, raises Unreadable."""
    out = Text()
    extractor = EXTRACTORS.get(kind)
    if extractor is not None:
        try:
            extractor(path, out)
        except BudgetSpent:
            out.truncated = True
    return out


# Previews ---------------------------------------------------------------------------
# A preview is a PNG at most THUMB_WIDTH x THUMB_HEIGHT: an image scaled down,
# a PDF's first page rendered at that size (pdfium's bitmap is never larger,
# whatever size the page claims), or the thumbnail an Office file carries in
# docProps/ (written by Word and PowerPoint when "save preview picture" is on).
# Every reader refuses past its limit before it decodes: pixels declared by
# an image's header, bytes declared by the zip directory, then bytes read.

THUMB_HEIGHT = THUMB_WIDTH * 2
MAX_EMBEDDED_THUMB_BYTES = 4 * 1024 * 1024  # an Office file's own thumbnail, compressed or not
MAX_PAGE_POINTS = 14_400 * 14_400  # PDF's largest page (200 x 200 inches): beyond, the file is lying
_EMBEDDED_THUMB = re.compile(r"docProps/thumbnail\.(jpe?g|png)$", re.IGNORECASE)
READY, NONE, REFUSED = "ready", "none", "refused"


def _save_preview(image, target: Path) -> None:
    """Scale `image` into the preview box and write it as PNG (whole or not at all)."""
    from PIL import ImageOps  # noqa: PLC0415 (the child imports the reader of the kind it reads)

    image.draft("RGB", (THUMB_WIDTH, THUMB_HEIGHT))  # JPEG decodes scaled down
    image = ImageOps.exif_transpose(image)
    image.thumbnail((THUMB_WIDTH, THUMB_HEIGHT))
    partial = target.with_suffix(".part")
    image.convert("RGBA").save(partial, "PNG", optimize=True)
    partial.replace(target)


def _open_image(source):
    """A Pillow image whose header declares at most MAX_IMAGE_PIXELS (OverLimit beyond)."""
    import warnings  # noqa: PLC0415 (only previews need it)

    from PIL import Image  # noqa: PLC0415 (the child imports the reader of the kind it reads)

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    try:
        image = Image.open(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise OverLimit(str(error)) from error
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        image.close()
        raise OverLimit(f"{width} x {height} pixels")
    return image


def _image_preview(path: Path, target: Path) -> None:
    with _open_image(path) as image:
        _save_preview(image, target)


def _pdf_preview(path: Path, target: Path) -> None:
    import pypdfium2 as pdfium  # noqa: PLC0415 (the child imports the reader of the kind it reads)

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise Unreadable(str(error)) from error
    try:
        if len(document) == 0:
            return
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0 or width * height > MAX_PAGE_POINTS:
            raise OverLimit(f"a page of {width:.0f} x {height:.0f} points")
        # The scale is chosen from the page's size: the bitmap pdfium fills is
        # at most THUMB_WIDTH x THUMB_HEIGHT however large the page claims to be.
        scale = min(THUMB_WIDTH / width, THUMB_HEIGHT / height)
        bitmap = page.render(scale=scale, may_draw_forms=False)
        _save_preview(bitmap.to_pil(), target)
    finally:
        document.close()


def _office_preview(path: Path, target: Path) -> None:
    """The thumbnail an Office file carries, if it has one."""
    import io  # noqa: PLC0415 (only previews need it)

    try:
        with zipfile.ZipFile(path) as archive:
            member = next((info for info in archive.infolist() if _EMBEDDED_THUMB.match(info.filename)), None)
            if member is None:
                return
            if member.file_size > MAX_EMBEDDED_THUMB_BYTES or member.compress_size > MAX_EMBEDDED_THUMB_BYTES:
                raise OverLimit(f"{member.filename} declares {member.file_size} bytes")
            with archive.open(member) as stream:  # the directory may lie: read no more than the limit
                data = stream.read(MAX_EMBEDDED_THUMB_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError) as error:
        raise Unreadable(str(error)) from error
    if len(data) > MAX_EMBEDDED_THUMB_BYTES:
        raise OverLimit(f"{member.filename} inflates past {MAX_EMBEDDED_THUMB_BYTES} bytes")
    with _open_image(io.BytesIO(data)) as image:
        _save_preview(image, target)


PREVIEWERS = {
    "image": _image_preview,
    "pdf": _pdf_preview,
    "document": _office_preview,
    "presentation": _office_preview,
    "spreadsheet": _office_preview,
}


def preview(kind: str, path: Path, target: Path) -> str:
    """Write `target` (PNG) for `path`: READY, NONE (nothing to show) or
    REFUSED (broken, or past a limit). Never raises for what is in the file."""
    previewer = PREVIEWERS.get(kind)
    if previewer is None:
        return NONE
    try:
        previewer(path, target)
    except (OverLimit, Unreadable, MemoryError, OSError, SyntaxError, ValueError, TypeError, EOFError,
            zipfile.BadZipFile) as error:
        print(json.dumps({"preview_error": f"{type(error).__name__}: {str(error)[:300]}"}), file=sys.stderr)
        target.unlink(missing_ok=True)
        return REFUSED
    return READY if target.exists() else NONE


def limit_resources(memory_mb: int, seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    kind, source, out_dir, memory_mb, seconds = argv
    limit_resources(int(memory_mb), int(seconds))
    try:
        return _read(kind, Path(source), Path(out_dir))
    except (MemoryError, OverLimit):
        return EXIT_OVER_LIMIT


def _read(kind: str, source: Path, out_dir: Path) -> int:
    """Text first, its outcome written to REPORT; then the preview, so a
    preview that ends this process (a ceiling) never costs the text."""
    try:
        text = extract(kind, source)
    except Unreadable as error:
        report, code = {"error": str(error)[:500]}, EXIT_UNREADABLE
    else:
        if text.parts:
            (out_dir / "text.txt").write_text(text.value(), encoding="utf-8")
        report, code = {"truncated": text.truncated}, EXIT_OK
    (out_dir / REPORT).write_text(json.dumps(report), encoding="utf-8")
    report["preview"] = preview(kind, source, out_dir / "thumb.png")
    print(json.dumps(report))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
