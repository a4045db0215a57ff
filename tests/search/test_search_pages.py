"""The search page and GET /api/v1/search, as a visitor or member sees them."""

from __future__ import annotations

import pytest

from app.resources import services as library


@pytest.fixture
def shelf(app, make_user, index_now):
    owner = make_user(display_name="Jordan Taylor", country="US")
    made = [
        library.create_resource(owner, title="Photosynthesis lab: leaf discs", subject="biology",
                                license="cc-by", url="https://example.org/1", tags=["practical", "plants"],
                                description="Leaf discs float as photosynthesis makes oxygen."),
        library.create_resource(owner, title="Photosynthesis revision quiz", subject="science",
                                license="cc-by", url="https://example.org/2", tags=["quiz"]),
        library.create_resource(owner, title="Fractions with pizza", subject="mathematics",
                                license="cc0", url="https://example.org/3", tags=["fractions"]),
        library.create_resource(owner, title="Photosynthesis draft notes", subject="biology",
                                license="cc0", url="https://example.org/4", status="draft"),
    ]
    index_now()
    return made


def test_search_page_shows_ranked_highlighted_results_and_facets(client, shelf):
    page = client.get("/search?q=photosynthesis").get_data(as_text=True)
    assert "2 results" in page
    assert "<mark>Photosynthesis</mark> lab: leaf discs" in page
    assert "draft notes" not in page
    assert 'href="/resources/' in page
    assert "Biology" in page and "(1)" in page  # subject facet
    assert "#quiz" in page


def test_facet_link_filters(client, shelf):
    page = client.get("/search?q=photosynthesis&subject=science").get_data(as_text=True)
    assert "1 result" in page and "revision quiz" in page and "leaf discs" not in page


def test_misspelling_gets_a_suggestion(client, shelf):
    page = client.get("/search?q=photosythesis").get_data(as_text=True)
    assert "Did you mean" in page
    assert ">photosynthesis<" in page


@pytest.mark.parametrize("query", ["", "   ", '"unclosed', "AND OR (", "*", "a" * 600, "subject:", "NOT"])
def test_empty_or_absurd_queries_get_a_helpful_page(client, shelf, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Search" in page


def test_header_search_box_is_on_every_page(client):
    page = client.get("/").get_data(as_text=True)
    assert 'role="search"' in page and 'action="/search"' in page and 'for="site-search"' in page


def test_api_search_shape(client, shelf):
    body = client.get("/api/v1/search?q=photosynthesis").get_json()
    assert body["total"] == 2 and body["page"] == 1
    first = body["results"][0]
    assert set(first) == {"type", "id", "title", "url", "snippet", "score", "file_type", "author", "thumbnail_url",
                          "language"}
    assert first["type"] == "resource" and first["url"] == f"/resources/{first['id']}"
    assert body["facets"]["subject"] == {"biology": 1, "science": 1}
    assert body["facets"]["type"] == {"resource": 2}


def test_api_search_paginates_and_filters(client, shelf):
    body = client.get("/api/v1/search?q=photosynthesis&per_page=1&page=2").get_json()
    assert body["total"] == 2 and len(body["results"]) == 1 and body["per_page"] == 1
    body = client.get("/api/v1/search?q=photosynthesis&type=resource&subject=biology").get_json()
    assert [r["title"] for r in body["results"]] == ["Photosynthesis lab: leaf discs"]


@pytest.mark.parametrize("query,field", [
    ("per_page=1000", "per_page"), ("page=0", "page"), ("type=spaceship", "type"),
    ("subject=astrology", "subject"), ("q=" + "x" * 501, "q"), ("page=abc", "page"),
])
def test_api_search_validates(client, query, field):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
