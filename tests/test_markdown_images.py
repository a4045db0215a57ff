"""Images in user markdown: every reader's browser fetches them with the
reader's cookies, so only the site's own image routes may be the source,
checked on the path as a browser (and the server) would resolve it."""

from __future__ import annotations

import re

import pytest

from app.accounts import services as accounts
from app.extensions import db
from app.text import clean_html, render_markdown

pytestmark = pytest.mark.one_database  # image sources in markup, not SQL

IMG_SRC = re.compile(r'<img[^>]*\ssrc="([^"]*)"')


def image_sources(markdown: str) -> list[str]:
    return IMG_SRC.findall(render_markdown(markdown))


@pytest.mark.parametrize("src", [
    "/media/../resources/1/file",  # the reported one: it counted a download for every reader
    "/media/./../resources/1/file",
    "/media/%2e%2e/resources/1/file",
    "/media/%2E%2E/resources/1/file",
    "/media/..%2Fresources/1/file",
    "/media/%2e%2e%2fresources/1/file",
    "/media/..%5Cresources/1/file",
    "/media/%252e%252e/resources/1/file",
    "/u/leyla_m/avatar/../../../resources/1/file",
    "/resources/1/file",
    "/resources/1/thumb?download=1",
    "/resources/1/thumb#top",
    "//evil.example/track.png",
    "/%2F/evil.example/track.png",
    "https://evil.example/track.png",
    "/media/a.png",  # nothing on the site answers there
    "/media/../notifications/1",  # opening a notification marks it read
    "/media/../t/1-a-thread",  # a thread page counts a view
    "/static/js/live.js",
    "resources/1/thumb",
])
def test_an_image_source_that_is_not_one_of_the_sites_images_is_dropped(app, src):
    assert image_sources(f"Look ![a picture]({src}) here") == []


def test_backslashes_count_as_slashes_as_browsers_read_them(app):
    html = clean_html('<img src="/media/..\\resources/1/file" alt="x"><img src="/\\evil.example/a.png" alt="y">')
    assert IMG_SRC.findall(html) == []


@pytest.mark.parametrize("src", [
    "/resources/12/thumb",
    "/resources/12/preview",
    "/u/leyla_m/avatar",
    "/groups/3/cover",
    "/programmes/badges/leyla_m/2026-2027.svg",
    "/static/img/logo.svg",
])
def test_the_sites_own_images_still_render(app, src):
    assert image_sources(f"![a picture]({src})") == [src]


def test_a_path_that_resolves_to_an_image_is_written_resolved(app):
    assert image_sources("![thumb](/media/../resources/12/./thumb)") == ["/resources/12/thumb"]
    # Cleaning the cleaned HTML again (forum posts are) changes nothing.
    html = render_markdown("![thumb](/resources/12/thumb)")
    assert clean_html(html) == html


def test_a_profile_cannot_make_its_readers_download_a_resource(client, make_user):
    user = make_user("leyla_m")
    accounts.update_profile(user, bio="My worksheet: ![sheet](/media/../resources/1/file)")
    page = client.get("/u/leyla_m").get_data(as_text=True)
    assert "/resources/1/file" not in page and "My worksheet" in page


def test_images_stored_before_the_rule_are_cleaned_again_by_a_command(client, runner, make_user):
    user = make_user("leyla_m")
    # HTML is cleaned when written: this is what the old prefix check let through.
    user.bio_html = ('<p><img src="/media/../resources/1/file" alt="sheet">'
                     '<img src="/resources/2/thumb" alt="thumb"> Hello</p>')
    db.session.commit()
    result = runner.invoke(args=["text", "reclean-images"])
    assert result.exit_code == 0, result.output
    assert "cleaned again: 1." in result.output
    page = client.get("/u/leyla_m").get_data(as_text=True)
    assert "/resources/1/file" not in page
    assert 'src="/resources/2/thumb"' in page and "Hello" in page
    assert "cleaned again: 0." in runner.invoke(args=["text", "reclean-images"]).output
