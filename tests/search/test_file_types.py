"""Search results say what a resource is and who shared it ("PDF · shared by
Ana Lima"), show its preview, and filter by file type (`type=pdf`)."""

from __future__ import annotations

import pytest

from app.resources import services as library
from tests.resources.samples import pdf_bytes, pptx_bytes, with_thumbnail

pytestmark = pytest.mark.one_database  # what a search hit shows, not SQL


@pytest.fixture
def shelf(app, make_user, index_now):
    ana = make_user(display_name="Ana Lima", country="BR")
    common = {"subject": "biology", "license": "cc-by"}
    made = {
        "pdf": library.create_resource(ana, title="Photosynthesis worksheet", **common,
                                       upload=library.Upload(pdf_bytes("Photosynthesis worksheet"), "sheet.pdf")),
        "deck": library.create_resource(ana, title="Photosynthesis slides", **common,
                                        upload=library.Upload(with_thumbnail(pptx_bytes("Photosynthesis"), None),
                                                              "slides.pptx")),
        "link": library.create_resource(ana, title="Photosynthesis video", url="https://example.org/v", **common),
    }
    index_now()
    return made


def test_api_results_carry_file_type_author_and_preview(api, shelf):
    body = api.get("/search?q=photosynthesis").get_json()
    by_title = {hit["title"]: hit for hit in body["results"]}
    pdf = by_title["Photosynthesis worksheet"]
    assert (pdf["file_type"], pdf["author"]) == ("pdf", "Ana Lima")
    assert pdf["thumbnail_url"].startswith(f"/resources/{shelf['pdf'].id}/thumb?v=")
    assert api.client.get(pdf["thumbnail_url"]).mimetype == "image/png"
    assert by_title["Photosynthesis slides"]["file_type"] == "presentation"
    assert by_title["Photosynthesis slides"]["thumbnail_url"] is None  # a deck without its own thumbnail
    assert by_title["Photosynthesis video"]["file_type"] == "link"
    assert body["facets"]["file_type"] == {"pdf": 1, "presentation": 1, "link": 1}


@pytest.mark.parametrize(("kind", "title"), [("pdf", "Photosynthesis worksheet"),
                                             ("presentation", "Photosynthesis slides"),
                                             ("link", "Photosynthesis video")])
def test_api_filters_by_file_type(api, shelf, kind, title):
    body = api.get(f"/search?q=photosynthesis&type={kind}").get_json()
    assert [hit["title"] for hit in body["results"]] == [title]
    assert api.get(f"/search?q=photosynthesis+type:{kind}").get_json()["total"] == 1  # also in the query


def test_api_refuses_an_unknown_type(api, shelf):
    response = api.get("/search?q=photosynthesis&type=pdfs")
    assert response.status_code == 422
    assert "type" in response.get_json()["error"]["fields"]


def test_page_shows_file_type_and_author_and_filters(client, shelf):
    page = client.get("/search?q=photosynthesis").get_data(as_text=True)
    assert '<span class="result-author"> · shared by Ana Lima</span>' in page
    assert "<h3>File type</h3>" in page
    assert 'href="/search?q=photosynthesis&amp;type=pdf">PDF' in page
    assert 'src="/static/img/kinds/link.svg"' in page and 'src="/static/img/kinds/presentation.svg"' in page
    filtered = client.get("/search?q=photosynthesis&type=pdf").get_data(as_text=True)
    assert "1 result" in filtered and "worksheet" in filtered and "slides" not in filtered
    assert 'aria-current="true"><strong>PDF</strong>' in filtered


def test_page_ignores_an_unknown_type_and_says_so(client, shelf):
    page = client.get("/search?q=photosynthesis&type=pdfs").get_data(as_text=True)
    assert "There is no type “pdfs” to filter by, so results of every type are shown." in page
    assert "3 results" in page
