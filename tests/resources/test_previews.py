"""Previews: a PDF's first page, the thumbnail a Word or PowerPoint file
carries, an image scaled; made by the text job's child under its ceilings,
stored once per file, served with caching that respects who may see the
resource, and backfilled for files from before."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import update

from app.extensions import db
from app.resources import text_extract, text_jobs
from app.resources.models import StoredFile
from tests.resources.samples import (
    docx_bytes,
    jpeg_bytes,
    pdf_bytes,
    pdf_page_bytes,
    pixel_bomb_bytes,
    pptx_bytes,
    txt_bytes,
    upload_form,
    with_thumbnail,
    xlsx_bytes,
)

pytestmark = pytest.mark.one_database  # pictures made from files, not SQL

ORANGE = (200, 60, 20)


def run_child(tmp_path, kind: str, data: bytes, memory_mb: int = 128) -> text_jobs.Extraction:
    path = tmp_path / "upload"
    path.write_bytes(data)
    return text_jobs.extract(path, kind, memory_mb=memory_mb, seconds=20)


def picture(thumbnail: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(thumbnail))
    assert image.format == "PNG"
    return image


@pytest.mark.parametrize(("kind", "data", "outcome"), [
    ("pdf", pdf_bytes("Leaf structure"), "ready"),
    ("presentation", with_thumbnail(pptx_bytes(), jpeg_bytes(color=ORANGE)), "ready"),
    ("document", with_thumbnail(docx_bytes(), jpeg_bytes(color=ORANGE), "docProps/thumbnail.png"), "ready"),
    ("presentation", with_thumbnail(pptx_bytes(), None), "none"),
    ("spreadsheet", with_thumbnail(xlsx_bytes(), None), "none"),
    ("text", txt_bytes(), "none"),
])
def test_each_kind_gets_its_preview_beside_its_text(tmp_path, kind, data, outcome):
    result = run_child(tmp_path, kind, data)
    assert result.status == "indexed" and result.preview == outcome
    if outcome == "ready":
        image = picture(result.thumbnail)
        assert image.width <= text_extract.THUMB_WIDTH and image.height <= text_extract.THUMB_HEIGHT
        if kind != "pdf":  # the file's own thumbnail, not a drawing of ours
            assert image.convert("RGB").getpixel((5, 5)) == pytest.approx(ORANGE, abs=6)
    else:
        assert result.thumbnail is None


def test_a_pdf_preview_is_its_first_page_drawn_small(tmp_path):
    result = run_child(tmp_path, "pdf", pdf_page_bytes(b"0 0 0 rg 0 0 306 792 re f"))  # the left half black
    image = picture(result.thumbnail).convert("RGB")
    assert image.width == 480 and abs(image.height - 621) <= 1  # 612 x 792 points, scaled to the preview's width
    assert image.getpixel((10, 300)) == (0, 0, 0) and image.getpixel((470, 300)) == (255, 255, 255)


@pytest.mark.parametrize("side", [14_400, 10_000_000])
def test_a_huge_page_is_drawn_no_larger_than_the_preview(tmp_path, side):
    # 200 x 200 inches, the most PDF allows: at 72 dpi a 14,400 px square
    # bitmap (790 MB); drawn at the preview's size.
    result = run_child(tmp_path, "pdf", pdf_page_bytes(width=side, height=side), memory_mb=128)
    assert result.preview == "ready"
    width, height = picture(result.thumbnail).size
    assert width <= 480 and height <= 960  # pdfium takes a page past the limit for a Letter page


@pytest.mark.parametrize(("thumbnail", "why"), [
    (pixel_bomb_bytes(), "a 900-megapixel PNG in a few hundred bytes"),
    (b"\0" * (text_extract.MAX_EMBEDDED_THUMB_BYTES + 1), "more bytes than any thumbnail needs (zip says so)"),
    (b"not an image at all", "not a picture"),
])
def test_a_hostile_embedded_thumbnail_is_refused_and_the_text_kept(tmp_path, thumbnail, why):
    result = run_child(tmp_path, "presentation", with_thumbnail(pptx_bytes("Volcano words"), thumbnail))
    assert result.preview == "failed", why
    assert result.thumbnail is None and result.status == "indexed" and "Volcano words" in result.text


def test_an_image_over_the_pixel_limit_keeps_no_preview(tmp_path):
    result = run_child(tmp_path, "image", pixel_bomb_bytes())
    assert result.preview == "failed" and result.thumbnail is None and result.status == "none"


def test_a_child_stopped_while_drawing_keeps_the_text_it_had_read(tmp_path):
    (tmp_path / text_extract.REPORT).write_text(json.dumps({"truncated": False}))
    (tmp_path / "text.txt").write_text("Photosynthesis worksheet")
    killed = subprocess.CompletedProcess([], -9, b"", b"")
    result = text_jobs.read_result(killed, tmp_path, "pdf")
    assert (result.status, result.text, result.preview) == ("indexed", "Photosynthesis worksheet", "failed")


# Through the job, the API and the pages ------------------------------------------------

def test_an_uploaded_pdf_gets_its_preview_in_the_api_and_the_pages(owner, api, index_now):
    body = owner.post("/resources", data=upload_form(pdf_bytes(), "worksheet.pdf")).get_json()
    assert body["thumbnail_url"] is None
    index_now()
    body = owner.get(f"/resources/{body['id']}").get_json()
    assert body["thumbnail_url"].startswith(f"/api/v1/resources/{body['id']}/thumbnail?v=")
    thumbnail = api.client.get(body["thumbnail_url"])
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/png"
    page = api.client.get("/library").get_data(as_text=True)
    assert f'<img class="resource-thumb" src="/resources/{body["id"]}/thumb?v=' in page


def test_a_link_and_a_file_without_a_preview_show_their_kind(owner, api, index_now):
    link = owner.post("/resources", json={"title": "Museum tour", "subject": "history", "license": "cc-by",
                                          "url": "https://museum.example/tour"}).get_json()
    sheet = owner.post("/resources", data=upload_form(xlsx_bytes(), "marks.xlsx", title="Marks")).get_json()
    index_now()
    assert owner.get(f"/resources/{sheet['id']}").get_json()["thumbnail_url"] is None
    page = api.client.get("/library").get_data(as_text=True)
    assert 'class="resource-thumb thumb-placeholder" src="/static/img/kinds/link.svg"' in page
    assert 'class="resource-thumb thumb-placeholder" src="/static/img/kinds/spreadsheet.svg"' in page
    assert api.client.get("/static/img/kinds/link.svg").status_code == 200
    assert api.get(f"/resources/{link['id']}/thumbnail").status_code == 404
    shown = api.client.get(f"/resources/{link['id']}").get_data(as_text=True)
    assert 'class="side-thumb thumb-placeholder" src="/static/img/kinds/link.svg"' in shown


def test_placeholders_show_no_word_only_a_file_format():
    """A placeholder is the same picture in every language: any text on it
    is a file format's code (PDF, DOCX), never a word such as "LINK"."""
    folder = Path(__file__).resolve().parents[2] / "static" / "img" / "kinds"
    for svg in sorted(folder.glob("*.svg")):
        shown = re.findall(r"<text[^>]*>([^<]*)</text>", svg.read_text(encoding="utf-8"))
        assert set(shown) <= {"PDF", "DOCX", "PPTX", "XLSX", "TXT"}, f"{svg.name} shows {shown}"


def test_a_published_preview_is_cached_publicly_and_revalidates(owner, api, index_now):
    body = owner.post("/resources", data=upload_form(pdf_bytes(), "worksheet.pdf")).get_json()
    index_now()
    url = owner.get(f"/resources/{body['id']}").get_json()["thumbnail_url"]
    first = api.client.get(url)
    assert set(first.headers["Cache-Control"].split(", ")) == {"public", "max-age=3600"}
    assert first.headers["X-Content-Type-Options"] == "nosniff" and first.headers["ETag"]
    again = api.client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_draft_or_hidden_preview_is_private(owner, login_as, api, index_now):
    body = owner.post("/resources", data=upload_form(pdf_bytes(), "worksheet.pdf", status="draft")).get_json()
    index_now()
    url = owner.get(f"/resources/{body['id']}").get_json()["thumbnail_url"]
    mine = owner.get(url.removeprefix("/api/v1"))
    assert mine.status_code == 200
    assert set(mine.headers["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert api.client.get(url).status_code == 404  # a visitor
    assert login_as().client.get(url).status_code == 404  # another member
    assert api.client.get(f"/resources/{body['id']}/thumb").status_code == 404  # the page's address too


def test_files_from_before_previews_are_backfilled_once(app, owner, runner, index_now):
    body = owner.post("/resources", data=upload_form(pdf_bytes(), "worksheet.pdf")).get_json()
    index_now()
    with app.app_context():  # as the migration leaves a PDF uploaded before previews
        db.session.execute(update(StoredFile).values(preview_status=None, thumb_name=None))
        db.session.commit()
    assert owner.get(f"/resources/{body['id']}").get_json()["thumbnail_url"] is None
    assert "queued for a preview: 1." in runner.invoke(args=["resources", "previews"]).output
    assert "queued for a preview: 0." in runner.invoke(args=["resources", "previews"]).output  # already waiting
    index_now()
    after = owner.get(f"/resources/{body['id']}").get_json()
    assert after["thumbnail_url"] and after["text_status"] == "indexed"
    assert "queued for a preview: 0." in runner.invoke(args=["resources", "previews"]).output
