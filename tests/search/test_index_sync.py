"""The index follows the database: outbox jobs in the same transaction,
drains that survive crashes, rebuilds, and nothing private in results."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.demo.library import docx_bytes, pdf_bytes, pptx_bytes
from app.extensions import db
from app.resources import services as library
from app.search import service as search
from app.search.jobs import SearchJob
from app.search.worker import SearchWorker


def pending() -> int:
    return db.session.scalar(select(func.count(SearchJob.id)))


def share(owner, title="Fractions with pizza", **fields):
    defaults = {"subject": "mathematics", "license": "cc-by", "url": "https://example.org/r"}
    defaults.update(fields)
    if "upload" in defaults:
        defaults.pop("url")
    return library.create_resource(owner, title=title, **defaults)


def titles(text: str, user=None, **filters) -> list[str]:
    return [hit.title for hit in search.search(text, user, **filters).hits]


def test_a_saved_resource_writes_its_index_job_in_the_same_transaction(app, make_user, index_now):
    owner = make_user()
    share(owner)
    assert pending() == 1
    assert titles("pizza") == []  # not yet drained
    assert index_now() == 1
    assert titles("pizza") == ["Fractions with pizza"]
    assert pending() == 0


def test_a_rolled_back_change_leaves_no_job(app, make_user):
    owner = make_user()
    resource = share(owner)
    db.session.execute(db.delete(SearchJob))
    db.session.commit()
    resource.title = "Changed but never committed"
    db.session.flush()
    assert pending() == 1
    db.session.rollback()
    assert pending() == 0


@pytest.mark.parametrize(("maker", "name"), [(pdf_bytes, "a.pdf"), (docx_bytes, "a.docx"), (pptx_bytes, "a.pptx")])
def test_words_inside_files_are_found(app, make_user, index_now, maker, name):
    owner = make_user()
    data = maker("Weekly plan", "The zygomorphic orchids bloom in the greenhouse.")
    share(owner, title="Weekly plan", upload=library.Upload(data, name))
    index_now()
    results = search.search("zygomorphic", None)
    assert [hit.title for hit in results.hits] == ["Weekly plan"]
    assert "<mark>zygomorphic</mark>" in results.hits[0].snippet


def test_stemming_finds_other_forms(app, make_user, index_now):
    share(make_user(), title="Teach fractions with confidence")
    index_now()
    assert titles("teaching") == ["Teach fractions with confidence"]


def test_editing_and_deleting_update_results(app, make_user, index_now):
    owner = make_user()
    resource = share(owner, title="Volcano model")
    index_now()
    library.update_resource(resource, owner, title="Earthquake model")
    index_now()
    assert titles("volcano") == [] and titles("earthquake") == ["Earthquake model"]
    library.delete_resource(resource, owner)
    index_now()
    assert titles("earthquake") == []


def test_drafts_and_hidden_resources_never_appear(app, make_user, index_now):
    owner = make_user()
    moderator = make_user(role="moderator")
    share(owner, title="Secret draft about glaciers", status="draft")
    public = share(owner, title="Glaciers for everyone")
    index_now()
    assert titles("glaciers") == ["Glaciers for everyone"]
    assert titles("glaciers", owner) == ["Glaciers for everyone"]
    library.set_hidden(public, moderator, True)
    index_now()
    results = search.search("glaciers", None)
    assert results.total == 0 and results.facets["subject"] == {}


def test_script_in_titles_is_escaped_in_results(app, make_user, index_now):
    share(make_user(), title="<script>alert('x')</script> rainbow lesson",
          description="rainbow <img src=x onerror=alert(1)>")
    index_now()
    hit = search.search("rainbow", None).hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<img" not in hit.snippet


def test_facets_count_every_match(app, make_user, index_now):
    owner = make_user()
    for number in range(25):
        share(owner, title=f"Ocean lesson {number}", subject="geography" if number % 5 else "biology",
              tags=["ocean", "water"] if number % 2 else ["ocean"])
    index_now()
    results = search.search("ocean", None, page=2, per_page=10)
    assert results.total == 25 and len(results.hits) == 10
    assert results.facets["subject"] == {"geography": 20, "biology": 5}
    assert results.facets["tag"] == {"ocean": 25, "water": 12}
    assert results.facets["type"] == {"resource": 25}


def test_pending_jobs_left_by_a_crash_are_drained_by_a_new_worker(app, make_user):
    owner = make_user()
    share(owner, title="Magnetism starter")
    share(owner, title="Magnetism plenary")
    assert pending() == 2  # the process "died" before draining
    worker = SearchWorker(app, poll_seconds=0.05)
    worker.start()
    try:
        for _ in range(100):
            db.session.expire_all()
            if pending() == 0:
                break
            worker.wake.wait(0.05)
    finally:
        worker.stop()
    assert sorted(titles("magnetism")) == ["Magnetism plenary", "Magnetism starter"]


def test_a_crash_between_index_commit_and_job_delete_is_harmless(app, make_user, index_now, monkeypatch):
    owner = make_user()
    share(owner, title="Rock cycle")
    original = search.index().apply

    def apply_then_crash(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("killed")

    monkeypatch.setattr(search.index(), "apply", apply_then_crash)
    with pytest.raises(RuntimeError):
        index_now()
    db.session.rollback()
    monkeypatch.undo()
    assert pending() == 1  # still queued
    index_now()
    assert titles("rock") == ["Rock cycle"] and pending() == 0


def test_reindex_gives_the_same_results(app, make_user, index_now):
    owner = make_user()
    for title in ["Solar system scale model", "Solar panels experiment", "Moon phases diary"]:
        share(owner, title=title)
    index_now()
    before = [(hit.id, hit.title) for hit in search.search("solar OR moon", None).hits]
    assert search.reindex() == 3
    after = [(hit.id, hit.title) for hit in search.search("solar OR moon", None).hits]
    assert before == after and len(before) == 3


def test_a_corrupt_index_is_rebuilt_not_a_crash(app, make_user, index_now):
    owner = make_user()
    share(owner, title="Photosynthesis lab")
    index_now()
    folder = Path(app.config["SEARCH_INDEX_DIR"])
    search.index().close()
    app.extensions.pop("search_index")
    for path in folder.iterdir():
        path.write_bytes(b"garbage")
    worker = SearchWorker(app)
    worker._rebuild_if_needed()  # noqa: SLF001 (the rebuild under test)
    assert titles("photosynthesis") == ["Photosynthesis lab"]


def test_a_missing_index_folder_is_rebuilt(app, make_user, index_now):
    share(make_user(), title="Weather station")
    index_now()
    search.index().close()
    app.extensions.pop("search_index")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    SearchWorker(app)._rebuild_if_needed()  # noqa: SLF001 (the rebuild under test)
    assert titles("weather") == ["Weather station"]


def test_status_compares_database_and_index(app, make_user, index_now):
    owner = make_user()
    share(owner, title="One")
    share(owner, title="Two")
    report = search.status()
    assert report["types"]["resource"] == {"database": 2, "index": 0}
    assert report["pending_jobs"] == 2
    index_now()
    assert search.status()["types"]["resource"] == {"database": 2, "index": 2}


def test_cli_reindex_status_and_worker(app, runner, make_user):
    share(make_user(), title="Telescope")
    result = runner.invoke(args=["search", "status"])
    assert "pending jobs: 1" in result.output
    assert runner.invoke(args=["search", "worker", "--once"]).exit_code == 0
    assert titles("telescope") == ["Telescope"]
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed 1 documents." in result.output
