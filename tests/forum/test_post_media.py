"""The forum composer: a post's preview (same rendering as a posted one) and
pictures in posts (checked by content, shrunk, stripped, served from the
site, cleaned up when never used), in the API and the pages."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from app import rate_limits, storage
from app.db_types import utcnow
from app.extensions import db
from app.forum import media, services
from app.forum.models import PostImage
from tests.helpers import csrf_from, png_bytes

MEDIA_URL = re.compile(r"^/media/[A-Za-z0-9_-]{32}\.(png|jpg|webp)$")


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Members of different tests share ids: each test counts from zero."""
    rate_limits.reset_limits()
    yield
    rate_limits.reset_limits()


def jpeg_with_gps(width: int = 3000, height: int = 2000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS: somewhere in London
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(client, data: bytes, name: str = "class-photo.jpg"):
    return client.post("/post-images", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


# Preview ---------------------------------------------------------------------------

def test_preview_renders_as_a_post_would_and_stores_nothing(api_for, make_user):
    make_user("leyla_m")
    client = api_for(make_user())
    body = ("**Bold** for @leyla_m and @nobody_here <script>alert(1)</script>\n\n"
            "![tracker](https://evil.example/t.png) [a link](javascript:alert(1))")
    response = client.post("/posts/preview", json={"body": body})
    assert response.status_code == 200, response.get_json()
    html = response.get_json()["html"]
    assert "<strong>Bold</strong>" in html and '<a href="/u/leyla_m"' in html and "@nobody_here" in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # raw HTML shown as text, as in posts
    assert 'src="https://evil.example' not in html and 'href="javascript:' not in html


def test_preview_refuses_bad_input_with_a_clear_error(api, api_for, make_user, app):
    assert api.post("/posts/preview", json={"body": "Hello"}).status_code == 401
    client = api_for(make_user())
    too_long = client.post("/posts/preview", json={"body": "x" * 20_001})
    assert too_long.status_code == 422 and "body" in too_long.get_json()["error"]["fields"]
    huge = client.post("/posts/preview", data=b'{"body": "' + b"x" * 300_000 + b'"}',
                       content_type="application/json")
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "payload_too_large"
    assert client.post("/posts/preview", json={}).status_code == 422


def test_preview_is_rate_limited(api_for, make_user, app):
    app.config["RATELIMIT_POST_PREVIEW"] = "2 per minute"
    client = api_for(make_user())
    assert [client.post("/posts/preview", json={"body": "Hi there"}).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.post("/posts/preview", json={"body": "Hi there"})
    assert refused.headers["Retry-After"] and refused.get_json()["error"]["code"] == "rate_limited"


def test_preview_from_a_page_needs_the_csrf_token(client_for, make_user):
    browser = client_for(make_user())
    refused = browser.post("/api/v1/posts/preview", json={"body": "Hello there"})
    assert refused.status_code in (400, 403)
    token = csrf_from(browser.get("/discuss/new").get_data(as_text=True))
    ok = browser.post("/api/v1/posts/preview", json={"body": "Hello there"}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and ok.get_json()["html"] == "<p>Hello there</p>\n"


# Uploads ---------------------------------------------------------------------------

def test_an_upload_is_shrunk_stripped_and_served_from_the_site(api_for, make_user, client):
    response = upload(api_for(make_user()), jpeg_with_gps())
    assert response.status_code == 201, response.get_json()
    image = response.get_json()
    assert MEDIA_URL.match(image["url"]) and image["url"].endswith(".jpg")
    assert image["markdown"] == f"![class photo]({image['url']})"
    assert (image["width"], image["height"], image["content_type"]) == (1600, 1067, "image/jpeg")
    served = client.get(image["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in served.headers["Cache-Control"] and "max-age=31536000" in served.headers["Cache-Control"]
    assert "sandbox" in served.headers["Content-Security-Policy"]
    with Image.open(io.BytesIO(served.data)) as stored:
        assert stored.size == (1600, 1067)
        assert not stored.getexif() and "exif" not in stored.info  # no camera, no GPS
    assert b"PhoneMaker" not in served.data


@pytest.mark.parametrize(("data", "name", "status", "words"), [
    (b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "renamed.png", 415, "not a PNG, JPEG, GIF or WebP"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.svg", 415, "not a PNG"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "broken.png", 415, "could not be read"),
    (b"", "empty.png", 422, "empty"),
])
def test_what_is_not_a_picture_is_refused_and_nothing_is_stored(api_for, make_user, app, data, name, status, words):
    response = upload(api_for(make_user()), data, name)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert words in error["fields"]["image"]
    assert db.session.query(PostImage).count() == 0
    assert not list((storage._area_dir("media")).iterdir())  # noqa: SLF001


def test_a_decompression_bomb_is_refused(api_for, make_user):
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, "PNG")  # 400 megapixels in a few kilobytes
    response = upload(api_for(make_user()), bomb.getvalue(), "bomb.png")
    assert response.status_code == 415 and "megapixels" in response.get_json()["error"]["message"]


def test_uploads_need_a_file_a_member_and_keep_to_the_quota(api, api_for, make_user, app):
    assert upload(api, png_bytes()).status_code == 401
    client = api_for(make_user())
    not_a_file = client.post("/post-images", data={"file": "text"}, content_type="multipart/form-data")
    assert not_a_file.status_code == 422
    app.config["FORUM_IMAGES_PER_DAY"] = 2
    assert [upload(client, png_bytes(), "a.png").status_code for _ in range(3)] == [201, 201, 429]
    refused = upload(client, png_bytes(), "a.png")
    error = refused.get_json()["error"]
    assert error["code"] == "rate_limited" and "24 hours" in error["message"]
    assert int(refused.headers["Retry-After"]) > 3600


def test_uploads_in_a_burst_are_limited(api_for, make_user, app):
    app.config["RATELIMIT_POST_IMAGES"] = "2 per minute"
    client = api_for(make_user())
    assert [upload(client, png_bytes(), "a.png").status_code for _ in range(3)] == [201, 201, 429]


def test_gif_becomes_a_still_png_and_transparency_is_kept(api_for, make_user, client):
    gif = io.BytesIO()
    frames = [Image.new("P", (50, 40), i) for i in range(3)]
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], transparency=0)
    image = upload(api_for(make_user()), gif.getvalue(), "wave.gif").get_json()
    assert image["content_type"] == "image/png" and image["url"].endswith(".png")
    with Image.open(io.BytesIO(client.get(image["url"]).data)) as stored:
        assert stored.format == "PNG" and stored.mode == "RGBA" and stored.size == (50, 40)


# Posts, sanitiser, cleanup -----------------------------------------------------------

def test_only_the_sites_own_post_images_survive_in_a_post(api_for, make_user, make_thread):
    author = make_user()
    client = api_for(author)
    url = upload(client, png_bytes(), "chart.png").get_json()["url"]
    thread = make_thread(author)
    body = f"My chart: ![chart]({url}) and ![x](https://evil.example/x.png) ![y](/media/a.png)"
    post = client.post(f"/threads/{thread.id}/posts", json={"body": body}).get_json()
    sources = re.findall(r'<img[^>]*src="([^"]*)"', post["body_html"])
    assert sources == [url]


def test_images_no_post_uses_are_deleted_after_a_day(api_for, make_user, make_thread, runner):
    author = make_user()
    client = api_for(author)
    used, unused = (upload(client, png_bytes(), "a.png").get_json()["url"] for _ in range(2))
    thread = make_thread(author)
    assert client.post(f"/threads/{thread.id}/posts", json={"body": f"See ![a]({used})"}).status_code == 201
    for image in db.session.query(PostImage):
        image.created_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    result = runner.invoke(args=["forum", "prune-images"])
    assert result.exit_code == 0 and "Deleted 1 unused image" in result.output
    names = {image.file_name for image in db.session.query(PostImage)}
    assert names == {used.rsplit("/", 1)[1]}
    assert storage.path_for(media.AREA, unused.rsplit("/", 1)[1]) is None
    assert storage.path_for(media.AREA, used.rsplit("/", 1)[1]) is not None


def test_a_recent_unused_image_survives_the_sweep(api_for, make_user):
    upload(api_for(make_user()), png_bytes(), "a.png")
    assert media.prune() == 0 and db.session.query(PostImage).count() == 1


def test_unknown_and_malformed_media_names_are_404(client):
    assert client.get("/media/a.png").status_code == 404
    assert client.get("/media/" + "A" * 32 + ".png").status_code == 404
    assert client.get("/media/..%2F..%2Fsecret_key").status_code == 404


# The pages, without JavaScript ---------------------------------------------------------

def test_preview_button_shows_the_post_and_keeps_the_text(client_for, make_user, make_thread):
    author = make_user()
    thread = make_thread(author)
    browser = client_for(author)
    page = f"/t/{thread.id}-{thread.slug}"
    forged = browser.post(f"/t/{thread.id}/reply", data={"body": "Hello there", "preview": "1"})
    assert forged.status_code == 400  # no CSRF token
    response = browser.submit(f"/t/{thread.id}/reply", {"body": "**Try** this <b>now</b>", "preview": "1"}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<p><strong>Try</strong> this &lt;b&gt;now&lt;/b&gt;</p>" in html  # the preview, as it would be posted
    assert "**Try** this &lt;b&gt;now&lt;/b&gt;</textarea>" in html  # the text, kept
    assert db.session.query(PostImage).count() == 0 and thread.post_count == 1


def test_attach_image_without_javascript_adds_its_markdown_and_posts_nothing(client_for, make_user, category):
    author = make_user()
    browser = client_for(author)
    data = {"category": category().slug, "kind": "question", "title": "Where do I find the rota?",
            "body": "Here is the photo:", "image": (io.BytesIO(png_bytes()), "staff-rota.png")}
    response = browser.submit("/discuss/new", data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    name = db.session.query(PostImage).one().file_name
    assert f"Here is the photo:\n\n![staff rota](/media/{name})\n</textarea>" in html
    assert f'<img src="/media/{name}" alt="staff rota">' in html  # shown in the preview
    assert "Image added at the end of your text" in html
    posted = browser.submit("/discuss/new", {**data, "image": (io.BytesIO(b""), ""),
                                             "body": f"Photo: ![staff rota](/media/{name})"},
                            content_type="multipart/form-data")
    assert posted.status_code == 302
    assert db.session.query(PostImage).one().used_at is not None


def test_a_refused_attachment_says_why_on_the_form(client_for, make_user, make_thread):
    author = make_user()
    post = services.first_post(make_thread(author))
    browser = client_for(author)
    first = db.session.query(PostImage).count()
    pdf = (io.BytesIO(b"%PDF-1.7\n%%EOF"), "poster.png")
    response = browser.submit(f"/p/{post.id}/edit", {"body": "Kept text", "image": pdf},
                              content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 415
    assert "That file is not a PNG, JPEG, GIF or WebP image." in html and "Kept text</textarea>" in html
    assert db.session.query(PostImage).count() == first
    nothing = browser.submit(f"/p/{post.id}/edit", {"body": "Kept text", "preview": "image"})
    assert nothing.status_code == 422 and "Choose an image first." in nothing.get_data(as_text=True)


def test_the_openapi_document_describes_preview_and_uploads(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    preview = spec["paths"]["/api/v1/posts/preview"]["post"]
    assert {"200", "401", "413", "422", "429"} <= set(preview["responses"])
    upload_op = spec["paths"]["/api/v1/post-images"]["post"]
    assert {"201", "401", "413", "415", "422", "429"} <= set(upload_op["responses"])
    body = upload_op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert "file" in spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]["properties"]
    image = spec["components"]["schemas"]["PostImage"]["properties"]
    assert {"url", "markdown", "width", "height", "content_type"} <= set(image)


def test_deleting_an_account_removes_its_unused_images_and_keeps_posted_ones(client_for, api_for, make_user,
                                                                          make_thread):
    from app.people import mydata  # noqa: PLC0415 (people sits above the forum)

    author = make_user("leyla_m")
    client = api_for(author)
    used, unused = (upload(client, png_bytes(), "a.png").get_json()["url"] for _ in range(2))
    client.post(f"/threads/{make_thread(author).id}/posts", json={"body": f"![a]({used})"})
    mydata.delete_account(author, "leyla_m")
    assert [image.file_name for image in db.session.query(PostImage)] == [used.rsplit("/", 1)[1]]
    assert storage.path_for(media.AREA, unused.rsplit("/", 1)[1]) is None
