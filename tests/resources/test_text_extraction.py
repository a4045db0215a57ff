"""The words inside uploads are read after the upload is answered, on a
budget, in a child process under a memory and time ceiling; a file over the
ceiling is kept and marked "text not searchable", and no job is retried
forever."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import create_app
from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db
from app.resources import services as library
from app.resources import text_extract, text_jobs
from app.resources.models import Resource, ResourceText
from app.search import service as search
from tests.conftest import make_settings
from tests.helpers import ApiClient
from tests.resources.samples import (
    docx_bomb_bytes,
    docx_bytes,
    pdf_bomb_bytes,
    pdf_bytes,
    png_bytes,
    pptx_bytes,
    upload_form,
    xlsx_bytes,
)

pytestmark = pytest.mark.one_database  # reading files, not SQL


def titles(word: str) -> list[str]:
    return [hit.title for hit in search.search(word, None).hits]


def status_of(owner: ApiClient, resource_id: int) -> str:
    return owner.get(f"/resources/{resource_id}").get_json()["text_status"]


def test_a_word_bomb_is_answered_at_once_and_read_later_within_the_budget(owner, index_now):
    bomb = docx_bomb_bytes(187)  # about 570 KB that inflates to 187 MB of paragraphs
    assert len(bomb) < 1024 * 1024
    response = owner.post("/resources", data=upload_form(bomb, "bomb.docx", title="Inflated plan"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["text_status"] == "pending" and text_jobs.pending() == 1

    index_now()
    assert status_of(owner, body["id"]) == "indexed" and text_jobs.pending() == 0
    kept = db.session.scalar(select(ResourceText.body).where(ResourceText.resource_id == body["id"]))
    assert len(kept) == text_extract.MAX_TEXT_CHARS
    assert titles("lorem") == ["Inflated plan"]


def test_the_text_kept_of_one_file_is_capped(app, tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bomb_bytes(40))
    result = text_jobs.extract(path, "document", memory_mb=256, seconds=20)
    assert result.status == "indexed" and result.truncated
    assert len(result.text) == text_extract.MAX_TEXT_CHARS
    assert result.text.startswith("lorem ipsum dolor sit amet lorem")


def test_reading_stops_at_the_decompressed_byte_budget_whatever_the_zip_claims(tmp_path, monkeypatch):
    path = tmp_path / "empty-runs.docx"
    path.write_bytes(docx_bomb_bytes(8, words=False))  # no word to stop on: only the bytes read
    monkeypatch.setattr(text_extract, "MAX_XML_BYTES", 1024 * 1024)
    spent = []
    original = text_extract._XmlBudget.spend  # noqa: SLF001 (the reader's budget under test)
    monkeypatch.setattr(text_extract._XmlBudget, "spend",  # noqa: SLF001 (the reader's budget under test)
                        lambda self, count: (spent.append(count), original(self, count)))
    text = text_extract.extract("document", path)
    assert text.truncated and text.value() == ""
    assert 1024 * 1024 < sum(spent) <= 1024 * 1024 + text_extract.CHUNK


@pytest.mark.parametrize("kind, data, word", [
    ("pdf", pdf_bytes("Chlorophyll absorbs light"), "Chlorophyll"),
    ("document", docx_bytes("Equivalent fractions with pizza"), "Equivalent fractions with pizza"),
])
def test_each_kind_is_read_in_the_child(tmp_path, kind, data, word):
    path = tmp_path / "file"
    path.write_bytes(data)
    result = text_jobs.extract(path, kind, memory_mb=512, seconds=20)
    assert result.status == "indexed" and word in result.text


def test_slides_and_sheets_are_read_in_order_with_their_cells(tmp_path):
    deck, book = tmp_path / "deck.pptx", tmp_path / "book.xlsx"
    deck.write_bytes(pptx_bytes("Magma chambers explained"))
    book.write_bytes(xlsx_bytes("Needs support with decimals"))
    assert "Volcanoes Magma chambers explained" in text_jobs.extract(deck, "presentation", memory_mb=512,
                                                                    seconds=20).text
    sheet = text_jobs.extract(book, "spreadsheet", memory_mb=512, seconds=20).text
    for value in ("Marks", "Pupil", "Amira", "17", "Needs support with decimals"):
        assert value in sheet


def test_a_file_over_the_time_ceiling_is_kept_and_marked_not_searchable(app, owner, index_now):
    app.config["TEXT_EXTRACT_SECONDS"] = 1  # reading 32 MB of empty runs takes a few CPU seconds
    slow = docx_bomb_bytes(64, words=False)
    body = owner.post("/resources", data=upload_form(slow, "slow.docx", title="Slow plan")).get_json()
    index_now()
    assert status_of(owner, body["id"]) == "too_large" and text_jobs.pending() == 0
    page = owner.client.get(f"/resources/{body['id']}").get_data(as_text=True)
    assert "Text not searchable: this file is too large or too complex" in page
    assert titles("slow") == ["Slow plan"]  # still found by its title
    download = owner.client.get(f"/resources/{body['id']}/file")
    assert download.status_code == 200 and download.data == slow


def test_a_file_over_the_memory_ceiling_is_kept_and_marked_too_large(app, owner, index_now):
    # 95,000 words on one page: within pypdf's parsing budget, but parsing it
    # takes some 75 MB; a plain one-page PDF reads in under 45.
    app.config["TEXT_EXTRACT_MEMORY_MB"] = 56
    data = pdf_bomb_bytes(95_000)
    body = owner.post("/resources", data=upload_form(data, "dense.pdf", title="Dense page")).get_json()
    plain = owner.post("/resources", data=upload_form(pdf_bytes("Leaf structure"), "leaf.pdf")).get_json()
    index_now()
    assert status_of(owner, body["id"]) == "too_large" and text_jobs.pending() == 0
    assert status_of(owner, plain["id"]) == "indexed"
    assert owner.client.get(f"/resources/{body['id']}/file").data == data
    assert "Text not searchable" in owner.client.get("/library").get_data(as_text=True)


def test_the_same_dense_page_reads_under_a_higher_ceiling(tmp_path):
    """So it was the memory ceiling, not the file, that stopped the reading above."""
    path = tmp_path / "dense.pdf"
    path.write_bytes(pdf_bomb_bytes(95_000))
    assert text_jobs.extract(path, "pdf", memory_mb=512, seconds=30).status == "indexed"


def test_a_pdf_page_past_the_parsing_budget_is_too_large_whatever_the_ceiling(tmp_path):
    path = tmp_path / "denser.pdf"
    path.write_bytes(pdf_bomb_bytes(300_000))  # 7 KB; parsed whole, its page held over 100 MB
    assert text_jobs.extract(path, "pdf", memory_mb=1024, seconds=30).status == "too_large"


def test_a_dtd_inside_an_office_part_is_refused(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol">]>'
                                              '<d><t>&a;&a;</t></d>')
    path = tmp_path / "dtd.docx"
    path.write_bytes(out.getvalue())
    assert text_jobs.extract(path, "document", memory_mb=256, seconds=20).status == "failed"


def test_an_image_preview_is_made_by_the_job(owner, index_now):
    body = owner.post("/resources", data=upload_form(png_bytes(900, 600), "chart.png")).get_json()
    assert body["thumbnail_url"] is None and text_jobs.pending() == 1
    index_now()
    body = owner.get(f"/resources/{body['id']}").get_json()
    assert body["thumbnail_url"] and body["text_status"] == "none"


def test_a_zip_of_too_many_entries_is_refused_at_upload(owner):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<d/>")
        for number in range(6_000):
            archive.writestr(f"p/{number}", "")
    response = owner.post("/resources", data=upload_form(out.getvalue(), "many.docx"))
    assert response.status_code == 415
    assert text_jobs.pending() == 0


# The queue ---------------------------------------------------------------------------

def test_a_job_left_by_a_dead_worker_is_retried_then_given_up(owner, index_now):
    body = owner.post("/resources", data=upload_form(pdf_bytes("Respiration"), "r.pdf")).get_json()
    # A worker claimed it three times and died each time (its lease has run out).
    db.session.execute(update(text_jobs.TextJob).values(attempts=text_jobs.MAX_ATTEMPTS,
                                                        run_after=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    index_now()
    assert status_of(owner, body["id"]) == "failed" and text_jobs.pending() == 0
    index_now()  # nothing left to retry
    assert status_of(owner, body["id"]) == "failed"


def test_a_claimed_job_is_left_to_its_worker_until_the_lease_runs_out(owner):
    body = owner.post("/resources", data=upload_form(pdf_bytes("Osmosis"), "o.pdf")).get_json()
    db.session.execute(update(text_jobs.TextJob).values(attempts=1, run_after=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    assert text_jobs.drain() == 0
    assert status_of(owner, body["id"]) == "pending" and text_jobs.pending() == 1


def test_a_replaced_file_drops_the_old_job_and_reads_the_new_one(owner, index_now):
    body = owner.post("/resources", data=upload_form(pdf_bytes("Old worksheet text"), "a.pdf")).get_json()
    resource = db.session.get(Resource, body["id"])
    library.update_resource(resource, owner.user, upload=library.Upload(pdf_bytes("Newer worksheet text"), "b.pdf"))
    assert text_jobs.pending() == 1  # the old file, and its job, are gone
    index_now()
    assert status_of(owner, body["id"]) == "indexed"
    assert titles("newer") == ["Photosynthesis worksheet"] and titles("old") == []


def test_the_same_bytes_shared_twice_are_read_once(owner, index_now, monkeypatch):
    data = pdf_bytes("Tectonic plates")
    first = owner.post("/resources", data=upload_form(data, "t.pdf", title="Plates one")).get_json()
    index_now()
    calls = []
    monkeypatch.setattr(text_jobs, "extract", lambda *args, **kwargs: calls.append(args))
    second = owner.post("/resources", data=upload_form(data, "t.pdf", title="Plates two")).get_json()
    index_now()
    assert calls == [] and status_of(owner, second["id"]) == status_of(owner, first["id"]) == "indexed"
    assert sorted(titles("tectonic")) == ["Plates one", "Plates two"]


def test_the_worker_thread_reads_an_upload_and_the_index_finds_it(database, tmp_path):
    app = create_app(make_settings(database, tmp_path, SEARCH_WORKER="thread", SEARCH_POLL_SECONDS=0.2))
    try:
        with app.app_context():
            accounts.register(
                email_verified=True,
                username="thread_t",
                email="t@school.example",
                password="a-long-test-password",
                display_name="Thread T",
                country="GB",
            )
        client = ApiClient(app.test_client())
        client.login("thread_t", password="a-long-test-password")
        body = client.post("/resources", data=upload_form(pdf_bytes("Stalactites form slowly"), "s.pdf",
                                                          title="Caves")).get_json()
        deadline = time.monotonic() + 20
        with app.app_context():
            while time.monotonic() < deadline and not search.search("stalactites", None).total:
                time.sleep(0.1)
            assert [hit.title for hit in search.search("stalactites", None).hits] == ["Caves"]
        assert client.get(f"/resources/{body['id']}").get_json()["text_status"] == "indexed"
    finally:
        for name in ("search_worker", "text_worker"):
            worker = app.extensions.get(name)
            if worker is not None:
                worker.stop()
        database.reset(app)
