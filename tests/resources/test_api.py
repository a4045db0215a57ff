"""The library's JSON API: resources, files, bookmarks and collections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.resources import services
from app.resources.models import Resource, StoredFile
from tests.helpers import ApiClient, count_queries
from tests.resources.samples import exe_bytes, pdf_bytes, png_bytes, upload_form

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")
LINK = {
    "title": "Fractions with paper strips",
    "description": "Fold **strips** to compare fractions. <script>alert(1)</script>",
    "url": "https://maths.example.org/fraction-strips",
    "subject": "mathematics",
    "age_ranges": ["7-11", "11-14"],
    "tags": ["Fractions", "hands on"],
    "license": "cc-by",
    "language": "en",
}


def create_link(client: ApiClient, **fields) -> dict:
    response = client.post("/resources", json={**LINK, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def resource_count() -> int:
    return db.session.scalar(select(func.count(Resource.id)))


def files_on_disk(app) -> list[Path]:
    return [path for path in Path(app.config["UPLOAD_DIR"]).rglob("*") if path.is_file()]


# Creating ----------------------------------------------------------------------------

def test_create_link_by_json(owner):
    body = create_link(owner)
    assert body["title"] == LINK["title"]
    assert body["kind"] == "link"
    assert body["url"] == LINK["url"]
    assert body["file"] is None and body["thumbnail_url"] is None
    assert body["tags"] == ["fractions", "hands-on"]
    assert sorted(body["age_ranges"]) == ["11-14", "7-11"]
    assert body["status"] == "published"
    assert body["owner"] == {"username": "amara_o", "display_name": owner.user.display_name, "country": "GB"}
    assert body["description"] == LINK["description"]
    assert "<strong>strips</strong>" in body["description_html"]
    assert "<script>" not in body["description_html"]
    assert ISO_WITH_OFFSET.match(body["created_at"]) and ISO_WITH_OFFSET.match(body["updated_at"])
    assert body["links"] == {"html": f"/resources/{body['id']}", "file": None}
    assert body["download_count"] == 0 and body["bookmark_count"] == 0
    assert owner.get(f"/resources/{body['id']}").get_json() == body


def test_upload_pdf_and_download_it_back(owner, app, index_now):
    data = pdf_bytes()
    response = owner.post("/resources", data=upload_form(data, tags=["Plants, Light", "year 9"]))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "pdf" and body["url"] is None
    assert body["tags"] == ["light", "plants", "year-9"]
    assert sorted(body["age_ranges"]) == ["11-14", "14-16"]
    assert body["file"]["name"] == "photosynthesis.pdf"
    assert body["file"]["mime"] == "application/pdf"
    assert body["file"]["size"] == len(data)
    assert body["text_status"] == "pending"  # read after the upload is answered
    assert body["links"]["file"] == body["file"]["download_url"] == f"/api/v1/resources/{body['id']}/file"

    download = owner.client.get(body["file"]["download_url"])
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("inline")
    index_now()
    assert owner.get(f"/resources/{body['id']}").get_json()["text_status"] == "indexed"
    assert "photosynthesis.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in download.headers["Content-Security-Policy"]
    assert owner.get(f"/resources/{body['id']}").get_json()["download_count"] == 1


def test_a_link_has_no_file_to_download(owner, api):
    body = create_link(owner)
    response = api.get(f"/resources/{body['id']}/file")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/plan.pdf", "http://",
                                 "data:text/html,<b>x</b>", "x" * 2001])
def test_only_http_links_are_accepted(owner, url):
    response = owner.post("/resources", json={**LINK, "url": url})
    assert response.status_code == 422
    assert "url" in response.get_json()["error"]["fields"]
    assert resource_count() == 0


def test_a_resource_is_a_file_or_a_link_not_both_nor_neither(owner):
    without_url = {key: value for key, value in LINK.items() if key != "url"}
    response = owner.post("/resources", json=without_url)
    assert response.status_code == 422
    assert "url" in response.get_json()["error"]["fields"]

    both = owner.post("/resources", data=upload_form(pdf_bytes(), url="https://example.org/x"))
    assert both.status_code == 422
    assert "url" in both.get_json()["error"]["fields"]

    form = upload_form(b"")
    del form["file"]
    neither = owner.post("/resources", data=form, content_type="multipart/form-data")
    assert neither.status_code == 422
    assert "file" in neither.get_json()["error"]["fields"]
    assert resource_count() == 0


def test_unknown_fields_are_refused(owner):
    response = owner.post("/resources", json={**LINK, "colour": "blue"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"colour": "Unknown field."}

    multipart = owner.post("/resources", data=upload_form(pdf_bytes(), colour="blue"))
    assert multipart.status_code == 422
    assert "colour" in multipart.get_json()["error"]["fields"]


@pytest.mark.parametrize(("change", "field"), [
    ({"tags": "x" * 5000}, "tags"),
    ({"tags": ["x" * 41]}, "tags"),
    ({"tags": [f"tag{n}" for n in range(13)]}, "tags"),
    ({"age_ranges": ["99-100"]}, "age_ranges"),
    ({"age_ranges": "11-14"}, "age_ranges"),
    ({"title": "x" * 201}, "title"),
    ({"title": 42}, "title"),
    ({"description": "x" * 10_001}, "description"),
    ({"subject": "astrology"}, "subject"),
    ({"license": "wtfpl"}, "license"),
    ({"language": "english"}, "language"),
    ({"language": "qq"}, "language"),
    ({"status": "hidden"}, "status"),
])
def test_wrong_types_and_values_are_422_naming_the_field(owner, change, field):
    response = owner.post("/resources", json={**LINK, **change})
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert any(name == field or name.startswith(f"{field}.") for name in error["fields"]), error
    assert resource_count() == 0


@pytest.mark.parametrize(("query", "field"), [
    ("per_page=1000", "per_page"),
    ("page=0", "page"),
    ("per_page=many", "per_page"),
    ("sort=random", "sort"),
    ("subject=astrology", "subject"),
    ("kind=video", "kind"),
])
def test_list_arguments_are_validated(api, query, field):
    response = api.get(f"/resources?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_invalid_json_is_400(owner):
    response = owner.post("/resources", data='{"title": "Fractions",', content_type="application/json")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and "JSON" in error["message"]


def test_other_content_types_are_415(owner):
    response = owner.post("/resources", data="title=Fractions", content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_an_executable_renamed_pdf_is_refused_and_nothing_saved(owner, app):
    response = owner.post("/resources", data=upload_form(exe_bytes(), "lesson.pdf"))
    assert response.status_code == 415
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_media_type" and "file" in error["fields"]
    assert resource_count() == 0
    assert db.session.scalar(select(func.count(StoredFile.id))) == 0
    assert not files_on_disk(app)


@pytest.mark.parametrize("app_settings", [{"MAX_UPLOAD_MB": 1}])
def test_a_file_over_max_upload_mb_is_413(owner, app):
    response = owner.post("/resources", data=upload_form(b"a" * (1024 * 1024 + 1), "big.txt"))
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "payload_too_large" and "file" in error["fields"]
    assert resource_count() == 0
    assert not files_on_disk(app)


@pytest.mark.parametrize("app_settings", [{"MAX_CONTENT_LENGTH": 4096}])
def test_a_body_over_max_content_length_is_413_json(owner):
    response = owner.post("/resources", data=upload_form(b"a" * 10_000, "notes.txt"))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_a_path_in_the_file_name_never_reaches_the_disk(owner, app):
    response = owner.post("/resources", data=upload_form(pdf_bytes(), "../../etc/passwd.pdf"))
    assert response.status_code == 201
    assert response.get_json()["file"]["name"] == "passwd.pdf"
    stored = [path.name for path in files_on_disk(app)]
    assert len(stored) == 1 and "passwd" not in stored[0]


def test_an_image_gets_a_thumbnail(owner, api, index_now):
    body = owner.post("/resources", data=upload_form(png_bytes(1200, 900), "display.png")).get_json()
    assert body["kind"] == "image" and body["text_status"] == "none"
    assert body["thumbnail_url"] is None  # made after the upload is answered
    index_now()
    body = owner.get(f"/resources/{body['id']}").get_json()
    assert body["thumbnail_url"].startswith(f"/api/v1/resources/{body['id']}/thumbnail?v=")
    thumbnail = api.client.get(body["thumbnail_url"])
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/png"
    image = api.client.get(body["file"]["download_url"])
    assert image.mimetype == "image/png" and image.headers["Content-Disposition"].startswith("inline")
    pdf = owner.post("/resources", data=upload_form(pdf_bytes())).get_json()
    assert pdf["thumbnail_url"] is None  # its first page is drawn after the upload is answered
    assert api.get(f"/resources/{pdf['id']}/thumbnail").status_code == 404


# Changing and deleting ---------------------------------------------------------------

def test_patch_changes_only_given_fields(owner):
    body = create_link(owner)
    response = owner.patch(f"/resources/{body['id']}", json={"title": "Fraction strips, revised", "tags": ["Halves"]})
    assert response.status_code == 200
    changed = response.get_json()
    assert changed["title"] == "Fraction strips, revised"
    assert changed["tags"] == ["halves"]
    assert changed["url"] == LINK["url"] and changed["subject"] == "mathematics"
    assert changed["created_at"] == body["created_at"]


def test_patch_validates(owner):
    body = create_link(owner)
    for change, field in [({"url": "javascript:alert(1)"}, "url"), ({"owner_id": 1}, "owner_id"),
                          ({"tags": "x" * 5000}, "tags")]:
        response = owner.patch(f"/resources/{body['id']}", json=change)
        assert response.status_code == 422, change
        assert field in response.get_json()["error"]["fields"]
    assert owner.get(f"/resources/{body['id']}").get_json()["url"] == LINK["url"]


def test_patch_by_someone_else_is_403_and_by_a_moderator_200(owner, login_as):
    body = create_link(owner)
    other = login_as("bilal_k")
    response = other.patch(f"/resources/{body['id']}", json={"title": "Mine now"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert other.delete(f"/resources/{body['id']}").status_code == 403

    moderator = login_as("mod_mira", role="moderator")
    response = moderator.patch(f"/resources/{body['id']}", json={"title": "Fixed by a moderator"})
    assert response.status_code == 200
    assert response.get_json()["title"] == "Fixed by a moderator"
    assert response.get_json()["owner"]["username"] == "amara_o"


def test_the_owner_cannot_republish_a_resource_a_moderator_hid(owner, login_as, api):
    body = create_link(owner)
    moderator = login_as("mod_mira", role="moderator")
    resource = db.session.get(Resource, body["id"])
    services.set_hidden(resource, moderator.user, True)
    path = f"/resources/{body['id']}"

    for status in ("published", "draft"):
        response = owner.patch(path, json={"status": status})
        assert response.status_code == 403, status
        assert "moderator" in response.get_json()["error"]["message"]
    assert owner.get(path).get_json()["status"] == "hidden"
    assert api.get(path).status_code == 404

    # Other fixes stay the owner's to make; bringing it back is the moderator's.
    assert owner.patch(path, json={"title": "Fraction strips, corrected"}).status_code == 200
    response = moderator.patch(path, json={"status": "published"})
    assert response.status_code == 200 and response.get_json()["status"] == "published"
    assert api.get(path).get_json()["title"] == "Fraction strips, corrected"


def test_delete_then_404(owner, api, app):
    response = owner.post("/resources", data=upload_form(pdf_bytes()))
    resource_id = response.get_json()["id"]
    deleted = owner.delete(f"/resources/{resource_id}")
    assert deleted.status_code == 204 and deleted.data == b""
    assert owner.get(f"/resources/{resource_id}").status_code == 404
    assert api.get(f"/resources/{resource_id}/file").status_code == 404
    assert owner.delete(f"/resources/{resource_id}").status_code == 404
    assert not files_on_disk(app)


# Lists -----------------------------------------------------------------------------

def test_list_paginates(api, make_resource):
    for _ in range(25):
        make_resource()
    pages = [api.get(f"/resources?per_page=10&page={page}").get_json() for page in (1, 2, 3)]
    assert [len(page["items"]) for page in pages] == [10, 10, 5]
    assert all(page["total"] == 25 and page["per_page"] == 10 for page in pages)
    assert pages[2]["page"] == 3
    ids = [item["id"] for page in pages for item in page["items"]]
    assert len(set(ids)) == 25
    assert ids == sorted(ids, reverse=True)  # newest first
    beyond = api.get("/resources?per_page=10&page=4").get_json()
    assert beyond["items"] == [] and beyond["total"] == 25
    default = api.get("/resources").get_json()
    assert default["per_page"] == 20 and default["page"] == 1 and len(default["items"]) == 20


def test_list_query_count_does_not_grow_with_the_page(api, make_resource, make_pdf_resource):
    def add(count: int) -> None:
        for n in range(count):
            make_resource(tags=[f"tag{n}", "shared"], age_ranges=["7-11", "11-14"])
            make_pdf_resource(text=f"Worksheet {n}")

    def list_page() -> None:
        assert api.get("/resources?per_page=50").status_code == 200

    add(2)
    with_four = count_queries(list_page)
    add(10)
    assert count_queries(list_page) == with_four
    assert with_four <= 6


def test_list_filters(owner, login_as, api):
    fractions = create_link(owner)
    rivers = create_link(owner, title="Rivers of the world", subject="geography", tags=["Maps"],
                         license="cc0", age_ranges=["14-16"], url="https://geo.example.org/rivers")
    pdf = owner.post("/resources", data=upload_form(pdf_bytes(), tags="Fractions")).get_json()
    other = create_link(login_as("bilal_k"), title="Long division by hand", url="https://m.example.org/div",
                        tags=["Division", "Hands On"])

    def ids(query: str) -> set[int]:
        response = api.get(f"/resources?{query}")
        assert response.status_code == 200, response.get_json()
        return {item["id"] for item in response.get_json()["items"]}

    assert ids("subject=geography") == {rivers["id"]}
    assert ids("tag=FRACTIONS") == {fractions["id"], pdf["id"]}
    assert ids("tag=%23Hands%20On") == {fractions["id"], other["id"]}
    assert ids("kind=pdf") == {pdf["id"]}
    assert ids("kind=link&subject=mathematics") == {fractions["id"], other["id"]}
    assert ids("license=cc0") == {rivers["id"]}
    assert ids("age_range=14-16") == {rivers["id"], pdf["id"]}
    assert ids("owner=bilal_k") == {other["id"]}
    assert ids("owner=nobody_here") == set()
    assert ids("") == {fractions["id"], rivers["id"], pdf["id"], other["id"]}


def test_list_sorts_by_bookmarks(owner, login_as, api):
    first = create_link(owner, title="First resource")
    second = create_link(owner, title="Second resource", url="https://example.org/2")
    login_as("reader").post(f"/resources/{first['id']}/bookmark")
    items = api.get("/resources?sort=bookmarked").get_json()["items"]
    assert [item["id"] for item in items] == [first["id"], second["id"]]
    items = api.get("/resources?sort=newest").get_json()["items"]
    assert [item["id"] for item in items] == [second["id"], first["id"]]


def test_drafts_are_visible_to_their_owner_only(owner, login_as, api):
    draft = create_link(owner, status="draft")
    published = create_link(owner, title="Out in the open", url="https://example.org/open")
    other = login_as("bilal_k")
    for client in (other, api):
        assert client.get(f"/resources/{draft['id']}").status_code == 404
        listed = client.get("/resources").get_json()
        assert [item["id"] for item in listed["items"]] == [published["id"]] and listed["total"] == 1
        assert draft["id"] not in {item["id"] for item in client.get("/resources?owner=amara_o").get_json()["items"]}
    assert other.patch(f"/resources/{draft['id']}", json={"title": "Sneaky"}).status_code == 404
    assert other.post(f"/resources/{draft['id']}/bookmark").status_code == 404

    assert owner.get(f"/resources/{draft['id']}").get_json()["status"] == "draft"
    mine = owner.get("/me/resources").get_json()
    assert {item["id"] for item in mine["items"]} == {draft["id"], published["id"]} and mine["total"] == 2
    assert other.get("/me/resources").get_json()["total"] == 0

    response = owner.patch(f"/resources/{draft['id']}", json={"status": "published"})
    assert response.get_json()["status"] == "published"
    assert other.get(f"/resources/{draft['id']}").status_code == 200


# Bookmarks ---------------------------------------------------------------------------

def test_bookmarks_count_up_and_down_and_are_idempotent(owner, login_as):
    resource = create_link(owner)
    path = f"/resources/{resource['id']}/bookmark"
    reader = login_as("bilal_k")
    assert reader.post(path).get_json() == {"bookmarked": True, "bookmark_count": 1}
    assert reader.post(path).get_json() == {"bookmarked": True, "bookmark_count": 1}
    assert owner.post(path).get_json() == {"bookmarked": True, "bookmark_count": 2}
    assert reader.get(f"/resources/{resource['id']}").get_json()["bookmark_count"] == 2

    listed = reader.get("/me/bookmarks").get_json()
    assert [item["id"] for item in listed["items"]] == [resource["id"]] and listed["total"] == 1

    assert reader.delete(path).get_json() == {"bookmarked": False, "bookmark_count": 1}
    assert reader.delete(path).get_json() == {"bookmarked": False, "bookmark_count": 1}
    assert reader.get("/me/bookmarks").get_json()["total"] == 0
    assert owner.get(f"/resources/{resource['id']}").get_json()["bookmark_count"] == 1
    assert reader.post("/resources/999999/bookmark").status_code == 404


# Collections ---------------------------------------------------------------------------

def test_collections_crud_ordering_and_privacy(owner, login_as, api):
    a = create_link(owner, title="Resource A", url="https://example.org/a")
    b = create_link(owner, title="Resource B", url="https://example.org/b")
    c = create_link(owner, title="Resource C", url="https://example.org/c")

    response = owner.post("/collections", json={"name": "Year 7 maths", "description": "Autumn term"})
    assert response.status_code == 201
    collection = response.get_json()
    assert collection["is_public"] is False and collection["items"] == []
    assert collection["share_url"].startswith("/collections/shared/")
    assert ISO_WITH_OFFSET.match(collection["created_at"])
    assert collection["html_url"] == f"/collections/{collection['id']}"
    path = f"/collections/{collection['id']}"

    for resource in (c, a, b):
        added = owner.post(f"{path}/items", json={"resource_id": resource["id"]})
        assert added.status_code == 201, added.get_json()
        assert added.get_json()["resource"]["id"] == resource["id"]
    duplicate = owner.post(f"{path}/items", json={"resource_id": a["id"]})
    assert duplicate.status_code == 409
    assert duplicate.get_json()["error"]["code"] == "conflict"
    assert owner.post(f"{path}/items", json={"resource_id": 999999}).status_code == 422
    assert owner.post(f"{path}/items", json={"resource_id": "1"}).status_code == 422

    shown = owner.get(path).get_json()
    assert [item["id"] for item in shown["items"]] == [c["id"], a["id"], b["id"]]

    other = login_as("bilal_k")
    assert other.get(path).status_code == 404
    assert api.get(path).status_code == 404
    assert other.patch(path, json={"name": "Mine"}).status_code == 404
    assert other.post(f"{path}/items", json={"resource_id": a["id"]}).status_code == 404

    assert owner.delete(f"{path}/items/{a['id']}").status_code == 204
    assert owner.delete(f"{path}/items/{a['id']}").status_code == 404
    response = owner.patch(path, json={"is_public": True, "name": "Year 7 maths (shared)"})
    assert response.status_code == 200
    assert response.get_json()["name"] == "Year 7 maths (shared)" and response.get_json()["is_public"] is True

    public = other.get(path).get_json()
    assert [item["id"] for item in public["items"]] == [c["id"], b["id"]]
    assert public["share_url"] is None  # the share link is the owner's to give
    assert other.patch(path, json={"name": "Mine"}).status_code == 403
    assert other.delete(path).status_code == 403
    assert other.post(f"{path}/items", json={"resource_id": a["id"]}).status_code == 403

    mine = owner.get("/collections").get_json()
    assert [item["id"] for item in mine["items"]] == [collection["id"]] and mine["total"] == 1
    assert other.get("/collections").get_json()["total"] == 0

    assert owner.delete(path).status_code == 204
    assert owner.get(path).status_code == 404
    assert owner.get(f"/resources/{a['id']}").status_code == 200  # the resources stay


def test_a_collection_hides_items_the_viewer_cannot_open(owner, login_as):
    public = create_link(owner, title="Everyone can see this")
    draft = create_link(owner, title="Not ready yet", url="https://example.org/draft", status="draft")
    collection = owner.post("/collections", json={"name": "Shared", "is_public": True}).get_json()
    path = f"/collections/{collection['id']}"
    for resource in (draft, public):
        assert owner.post(f"{path}/items", json={"resource_id": resource["id"]}).status_code == 201
    assert [item["id"] for item in owner.get(path).get_json()["items"]] == [draft["id"], public["id"]]
    assert [item["id"] for item in login_as("bilal_k").get(path).get_json()["items"]] == [public["id"]]


def test_collections_validate(owner):
    for body, field in [({}, "name"), ({"name": ""}, "name"), ({"name": "x" * 121}, "name"),
                        ({"name": "Ok", "description": "x" * 1001}, "description"),
                        ({"name": "Ok", "is_public": "perhaps"}, "is_public"),
                        ({"name": "Ok", "colour": "red"}, "colour")]:
        response = owner.post("/collections", json=body)
        assert response.status_code == 422, body
        assert field in response.get_json()["error"]["fields"], body


# Authentication and the spec ---------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/resources"),
    ("PATCH", "/resources/1"),
    ("DELETE", "/resources/1"),
    ("POST", "/resources/1/bookmark"),
    ("DELETE", "/resources/1/bookmark"),
    ("GET", "/me/bookmarks"),
    ("GET", "/me/resources"),
    ("GET", "/collections"),
    ("POST", "/collections"),
    ("PATCH", "/collections/1"),
    ("DELETE", "/collections/1"),
    ("POST", "/collections/1/items"),
    ("DELETE", "/collections/1/items/1"),
])
def test_writes_need_a_signed_in_user(api, method, path):
    response = api.request(method, path, json={"title": "x"})
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_bad_token_is_401_even_for_reads(api):
    response = api.get("/resources", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


def test_openapi_lists_every_library_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    expected = [
        ("/api/v1/resources", "get"),
        ("/api/v1/resources", "post"),
        ("/api/v1/resources/{resource_id}", "get"),
        ("/api/v1/resources/{resource_id}", "patch"),
        ("/api/v1/resources/{resource_id}", "delete"),
        ("/api/v1/resources/{resource_id}/file", "get"),
        ("/api/v1/resources/{resource_id}/thumbnail", "get"),
        ("/api/v1/resources/{resource_id}/bookmark", "post"),
        ("/api/v1/resources/{resource_id}/bookmark", "delete"),
        ("/api/v1/me/bookmarks", "get"),
        ("/api/v1/me/resources", "get"),
        ("/api/v1/collections", "get"),
        ("/api/v1/collections", "post"),
        ("/api/v1/collections/{collection_id}", "get"),
        ("/api/v1/collections/{collection_id}", "patch"),
        ("/api/v1/collections/{collection_id}", "delete"),
        ("/api/v1/collections/{collection_id}/items", "post"),
        ("/api/v1/collections/{collection_id}/items/{resource_id}", "delete"),
    ]
    for path, method in expected:
        assert method in paths.get(path, {}), (path, method)

    create = paths["/api/v1/resources"]["post"]
    content = create["requestBody"]["content"]
    assert content["application/json"]["schema"]["$ref"].endswith("/ResourceCreate")
    assert content["multipart/form-data"]["schema"]["$ref"].endswith("/ResourceUpload")
    assert {"413", "415", "422"} <= set(create["responses"])
    schemas = spec["components"]["schemas"]
    assert schemas["ResourceUpload"]["properties"]["file"]["format"] == "binary"
    assert set(schemas["ResourceCreate"]["required"]) == {"title", "url", "subject", "license"}
    assert schemas["ResourceCreate"]["properties"]["title"]["maxLength"] == 200
    assert schemas["Resource"]["properties"]["created_at"]["format"] == "date-time"
    assert set(schemas["ResourcePage"]["properties"]) == {"items", "page", "per_page", "total"}
    query = {param["name"] for param in paths["/api/v1/resources"]["get"]["parameters"]}
    assert query >= {"subject", "age_range", "tag", "kind", "license", "owner", "sort", "page", "per_page"}
