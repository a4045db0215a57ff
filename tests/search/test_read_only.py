"""App processes that only read the index (SEARCH_INDEX_READ_ONLY), as in the
several-process deployment: `flask search worker` is the one writer.

The worker runs here as a second app on the same database and index folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from whoosh import index as windex

from app import create_app
from app.resources import services as library
from app.search import engine
from app.search import service as search
from app.search.engine import IndexUnavailable, SearchIndex
from tests.conftest import make_settings


@pytest.fixture
def app_settings():
    return {"SEARCH_INDEX_READ_ONLY": True}


@pytest.fixture
def worker(app, database, tmp_path):
    """A second app, the search worker's: same database and index folder."""
    (tmp_path / "worker").mkdir()
    settings = make_settings(database, tmp_path / "worker")
    settings.update(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                    SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"])
    worker_app = create_app(settings)

    def reindex() -> int:
        """A worker process starting: it opens the index afresh and rebuilds it."""
        with worker_app.app_context():
            started_before = worker_app.extensions.pop("search_index", None)
            if started_before is not None:
                started_before.close()
            return search.reindex()

    yield reindex
    with worker_app.app_context():
        search.index().close()


@pytest.fixture
def no_wait(monkeypatch):
    """Try the index again at once instead of REOPEN_SECONDS later."""
    monkeypatch.setattr(engine, "REOPEN_SECONDS", 0.0)


def share(owner, title: str):
    return library.create_resource(owner, title=title, subject="science", license="cc-by",
                                   url="https://example.org/r")


def test_search_answers_503_until_the_worker_has_built_the_index(app, client, api, make_user, worker, no_wait):
    share(make_user(), "Telescope from a cardboard tube")
    folder = Path(app.config["SEARCH_INDEX_DIR"])
    shutil.rmtree(folder, ignore_errors=True)

    page = client.get("/search?q=telescope")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Search is unavailable for a moment" in page.get_data(as_text=True)
    assert "Search" in client.get("/library").get_data(as_text=True)  # the rest of the site works
    response = api.get("/search", query_string={"q": "telescope"})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    assert not folder.exists()  # nothing created by a process that only reads

    assert worker() == 1
    found = client.get("/search?q=telescope")
    assert found.status_code == 200
    assert "<mark>Telescope</mark> from a cardboard tube" in found.get_data(as_text=True)


def test_an_index_it_cannot_read_is_left_for_the_worker_not_replaced(app, client, make_user, worker, no_wait):
    share(make_user(), "Pendulum timing lab")
    assert worker() == 1
    assert "<mark>Pendulum</mark> timing lab" in client.get("/search?q=pendulum").get_data(as_text=True)
    folder = Path(app.config["SEARCH_INDEX_DIR"])
    search.index().close()
    app.extensions.pop("search_index")  # as a process starting now would
    for path in folder.iterdir():
        path.write_bytes(b"half-written by a crash")
    before = {path.name: path.read_bytes() for path in folder.iterdir()}

    assert client.get("/search?q=pendulum").status_code == 503
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before

    assert worker() == 1  # the worker rebuilds it
    assert "<mark>Pendulum</mark> timing lab" in client.get("/search?q=pendulum").get_data(as_text=True)


def test_a_read_only_index_refuses_writes_and_waits_before_trying_again(tmp_path):
    reader = SearchIndex(tmp_path / "index", read_only=True)
    with pytest.raises(IndexUnavailable, match="missing"):
        reader.doc_count()
    with pytest.raises(IndexUnavailable, match="read-only"):
        reader.apply([], deletes=["resource:1"])
    writer = SearchIndex(tmp_path / "index")
    assert windex.exists_in(str(tmp_path / "index"), indexname=engine.INDEX_NAME)
    with pytest.raises(IndexUnavailable):  # within REOPEN_SECONDS of the failed open
        reader.doc_count()
    reader._reopen_after = 0.0  # noqa: SLF001 (the wait has passed)
    assert reader.doc_count() == 0
    writer.close()
    reader.close()
