"""Previews in the library and the resource page, and file type, author and
the file-type filter in search results: shared through the form, made by
the background job, seen by a visitor, at desktop and phone widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.resources import services as library
from tests.e2e.conftest import educator, sign_in
from tests.resources.samples import jpeg_bytes, pdf_bytes, pptx_bytes, with_thumbnail

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def app_settings():
    # The web process runs the text/preview job and the index writer, as `make run` has it.
    return {"SEARCH_WORKER": "thread", "SEARCH_POLL_SECONDS": 0.2}


def loaded(image) -> bool:
    """The <img> decoded a picture (not a broken image)."""
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def wait_for_previews(page, path: str, count: int) -> None:
    """Reload `path` until `count` cards show a made preview (the job runs after the upload)."""
    for _ in range(40):
        page.goto(path)
        if page.locator("img.resource-thumb:not(.thumb-placeholder)").count() >= count:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{path}: previews not made in time")


def share(live_server):
    with live_server.app.app_context():
        ana = educator("ana_l", "Ana Lima", country="BR")
        common = {"subject": "biology", "license": "cc-by", "age_ranges": ["11-14"]}
        library.create_resource(ana, title="Photosynthesis slides", **common,
                                upload=library.Upload(with_thumbnail(pptx_bytes("Photosynthesis"),
                                                                     jpeg_bytes(400, 300, (200, 60, 20))),
                                                      "slides.pptx"))
        library.create_resource(ana, title="Photosynthesis video", url="https://example.org/video", **common)


def test_library_and_resource_page_show_previews(live_server, page, tmp_path, shot):
    share(live_server)
    pdf = tmp_path / "leaf.pdf"
    pdf.write_bytes(pdf_bytes("Photosynthesis worksheet: label the parts of a leaf"))
    sign_in(page, "ana_l")
    page.goto("/resources/new")
    page.get_by_label("Title").fill("Photosynthesis worksheet")
    page.get_by_label("Subject").select_option("biology")
    page.get_by_label("Licence").select_option("cc-by")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Photosynthesis worksheet")

    wait_for_previews(page, "/library", 2)  # the PDF's first page and the deck's own thumbnail
    cards = page.locator(".resource-card")
    for title in ("Photosynthesis worksheet", "Photosynthesis slides"):
        thumb = cards.filter(has_text=title).locator("img.resource-thumb")
        expect(thumb).to_have_attribute("src", re.compile(r"/resources/\d+/thumb\?v="))
        assert loaded(thumb)
    placeholder = cards.filter(has_text="Photosynthesis video").locator("img.thumb-placeholder")
    expect(placeholder).to_have_attribute("src", "/static/img/kinds/link.svg")
    assert loaded(placeholder)
    shot(page, "01-library-previews-1280")

    page.get_by_role("link", name="Photosynthesis slides").click()
    figure = page.get_by_role("img", name="First page of Photosynthesis slides")
    expect(figure).to_be_visible()
    assert loaded(figure)
    shot(page, "02-resource-preview-1280")

    page.set_viewport_size(PHONE)
    page.goto("/library")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "03-library-previews-390")


def test_search_shows_file_type_and_author_and_filters_by_type(live_server, page, shot):
    share(live_server)
    page.goto("/search?q=photosynthesis")
    for _ in range(40):  # the index writer runs in the background
        if page.get_by_role("link", name="Photosynthesis video").count():
            break
        page.wait_for_timeout(250)
        page.reload()
    slides = page.locator(".result").filter(has_text="Photosynthesis slides")
    expect(slides.locator(".result-type")).to_have_text("Slide deck · shared by Ana Lima")
    expect(page.locator(".result").filter(has_text="Photosynthesis video").locator(".result-type")) \
        .to_have_text("Link · shared by Ana Lima")
    shot(page, "04-search-file-types-1280")

    facets = page.get_by_role("complementary", name="Refine")
    expect(facets.get_by_role("heading", name="File type")).to_be_visible()
    facets.get_by_role("link", name="Link (1)").click()
    expect(page.get_by_role("status")).to_contain_text("1 result")
    expect(page.get_by_role("link", name="Photosynthesis video")).to_be_visible()
    expect(page.get_by_role("link", name="Photosynthesis slides")).to_have_count(0)

    page.set_viewport_size(PHONE)
    page.goto("/search?q=photosynthesis")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "05-search-file-types-390")

    page.goto("/search?q=photosynthesis&type=pdfs")
    expect(page.get_by_text("There is no type “pdfs” to filter by")).to_be_visible()
