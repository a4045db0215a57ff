"""The library's pages through the browser's eyes: sharing files and links,
downloads, escaping, drafts and hiding, filters, bookmarks, query counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.resources import services
from app.resources.models import Resource, StoredFile
from tests.helpers import count_queries, forget_badges
from tests.resources.samples import (
    SAMPLES,
    broken_docx_bytes,
    docx_bytes,
    exe_bytes,
    pdf_bytes,
    png_bytes,
    share_form,
    txt_bytes,
)

RANDOM_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}\.[a-z0-9]{1,5}$")


def resource_count() -> int:
    return db.session.scalar(select(func.count(Resource.id)))


def resource_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/resources/(\d+)$", response.location).group(1))


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# Sharing ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(SAMPLES))
def test_each_file_type_is_shared_through_the_form(client, auth, kind, index_now):
    auth.as_role()
    filename, generate, mime = SAMPLES[kind]
    title = f"Zebrafinch {kind} resource"
    response = client.submit("/resources/new", share_form(title=title, file=(generate("zebrafinch"), filename)))
    rid = resource_id(response)
    index_now()  # the text and the preview are read after the upload is answered

    shown = page(client, f"/resources/{rid}")
    assert f"<h1>{title}</h1>" in shown
    assert services.files.KIND_LABELS[kind] in shown
    assert f'href="/resources/{rid}/file"' in shown and "Download" in shown
    assert "<em>share</em>" in shown  # the markdown description
    assert "#fractions" in shown and "#group-work" in shown
    if kind == "pdf":
        assert f'<iframe class="pdf-preview" src="/resources/{rid}/preview" title="Preview of {title}"' in shown
    if kind == "image":
        assert re.search(rf'src="/resources/{rid}/thumb\?v=[\w-]+" alt="Preview of {title}"', shown)
        thumb = client.get(f"/resources/{rid}/thumb")
        assert thumb.status_code == 200 and thumb.mimetype == "image/png"

    library = page(client, "/library")
    assert title in library and services.files.KIND_LABELS[kind] in library
    download = client.get(f"/resources/{rid}/file")
    assert download.status_code == 200 and download.mimetype == mime


def test_a_link_is_shared_and_opens_in_a_new_tab(client, auth):
    auth.as_role()
    rid = resource_id(client.submit("/resources/new", share_form(url="https://example.org/volcano-video")))
    shown = page(client, f"/resources/{rid}")
    assert re.search(r'<a class="button button-large" href="https://example.org/volcano-video" '
                     r'rel="noopener nofollow ugc" target="_blank">Open link', shown)
    assert "Download" not in shown and f"/resources/{rid}/file" not in shown
    assert client.get(f"/resources/{rid}/file").status_code == 404


def test_share_page_needs_sign_in_and_library_offers_the_button_to_members(client, auth):
    response = client.get("/resources/new")
    assert response.status_code == 302 and "/login" in response.location
    assert "Share a resource" not in page(client, "/library")
    auth.as_role()
    assert 'href="/resources/new">Share a resource</a>' in page(client, "/library")
    form = page(client, "/resources/new")
    assert 'enctype="multipart/form-data"' in form
    for label in ("Title", "Description", "Subject", "Age ranges", "Tags", "Licence", "Language", "File", "Link"):
        assert re.search(rf"<(label|legend)[^>]*>{label}</", form), label
    assert "Publish now" in form and "Save as a draft" in form


def test_form_errors_show_on_their_fields_with_422(client, auth):
    auth.as_role()
    response = client.submit("/resources/new", share_form(title="ab", subject="", url=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "at least 3 characters" in html and "Pick a subject" in html
    assert resource_count() == 0

    both = share_form(url="https://example.org/x", file=(pdf_bytes(), "a.pdf"))
    response = client.submit("/resources/new", both)
    assert response.status_code == 422 and "Share either a file or a link." in response.get_data(as_text=True)
    assert resource_count() == 0


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_saved(client, auth, stored_files):
    auth.as_role()
    response = client.submit("/resources/new", share_form(file=(exe_bytes(), "lesson-plan.pdf")))
    assert response.status_code == 415
    html = response.get_data(as_text=True)
    assert re.search(r'<p class="error" id="file-error">Upload PDF, Word', html)
    assert resource_count() == 0
    assert db.session.scalar(select(func.count(StoredFile.id))) == 0
    assert stored_files() == []


def test_a_path_in_the_filename_never_reaches_the_file_system(client, auth, app, stored_files, tmp_path):
    auth.as_role()
    rid = resource_id(client.submit("/resources/new", share_form(file=(txt_bytes(), "../../etc/passwd"))))
    names = stored_files()
    assert len(names) == 1 and RANDOM_NAME.match(names[0]) and "passwd" not in names[0]
    assert not any(p.name == "passwd" for p in tmp_path.rglob("*"))
    assert not (Path(app.config["UPLOAD_DIR"]).parent / "etc").exists()
    download = client.get(f"/resources/{rid}/file")
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename=passwd" in disposition
    assert "/" not in disposition and ".." not in disposition


def test_script_is_escaped_on_every_library_page(client, auth):
    auth.as_role()
    rid = resource_id(client.submit("/resources/new", share_form(
        title="<script>alert('t')</script> Fractions",
        description="Look <script>alert('d')</script> **here**",
        tags="<script>alert('g')</script>, fractions", url="https://example.org/<script>",
    )))
    for path in ("/library", f"/resources/{rid}", "/my/resources", f"/resources/{rid}/edit"):
        html = page(client, path)
        assert "<script>alert" not in html, path
        assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; Fractions" in html, path
    shown = page(client, f"/resources/{rid}")
    assert "&lt;script&gt;alert('d')&lt;/script&gt;" in shown and "<strong>here</strong>" in shown


def test_oversize_uploads_get_the_413_page_and_nothing_is_saved(client, auth, app, stored_files):
    auth.as_role()
    app.config["MAX_UPLOAD_MB"] = 1
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024 + 64 * 1024
    just_over = b"a" * (1024 * 1024 + 1024)  # inside the body limit's headroom: the view refuses it
    far_over = b"a" * (3 * 1024 * 1024)  # refused before any view runs
    for data in (just_over, far_over):
        response = client.submit("/resources/new", share_form(file=(data, "notes.txt")))
        assert response.status_code == 413
        assert "That file is too large" in response.get_data(as_text=True)
    assert resource_count() == 0 and stored_files() == []


def test_downloads_have_safe_headers_and_are_counted(client, auth):
    auth.as_role()
    ids = {
        name: resource_id(client.submit("/resources/new", share_form(title=f"File {name}", file=(data, name))))
        for name, data in [("plan.docx", docx_bytes()), ("sheet.pdf", pdf_bytes()), ("display.png", png_bytes())]
    }
    expected = {
        "plan.docx": ("attachment", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "sheet.pdf": ("inline", "application/pdf"),
        "display.png": ("inline", "image/png"),
    }
    for name, (disposition, mime) in expected.items():
        response = client.get(f"/resources/{ids[name]}/file")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith(disposition), name
        assert f"filename={name}" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == mime
    client.get(f"/resources/{ids['plan.docx']}/file")
    shown = page(client, f"/resources/{ids['plan.docx']}")
    assert "<dt>Downloads</dt><dd>2</dd>" in shown
    # The page's own preview frame is not a download.
    client.get(f"/resources/{ids['sheet.pdf']}/preview")
    assert "<dt>Downloads</dt><dd>1</dd>" in page(client, f"/resources/{ids['sheet.pdf']}")
    assert client.get(f"/resources/{ids['plan.docx']}/preview").status_code == 404


def test_same_bytes_are_stored_once_and_removed_with_the_last_resource(client, auth, stored_files):
    auth.as_role()
    data = pdf_bytes("Identical worksheet")
    first = resource_id(client.submit("/resources/new", share_form(title="First copy", file=(data, "a.pdf"))))
    second = resource_id(client.submit("/resources/new", share_form(title="Second copy", file=(data, "b.pdf"))))
    assert db.session.scalar(select(func.count(StoredFile.id))) == 1
    assert len(stored_files()) == 1

    confirm = page(client, f"/resources/{first}/delete")
    assert "Delete “First copy”?" in confirm
    assert client.submit(f"/resources/{first}/delete", {}).status_code == 302
    assert client.get(f"/resources/{first}").status_code == 404
    assert len(stored_files()) == 1
    assert client.get(f"/resources/{second}/file").data == data

    client.submit(f"/resources/{second}/delete", {})
    assert stored_files() == []
    assert db.session.scalar(select(func.count(StoredFile.id))) == 0


def test_a_file_whose_text_cannot_be_read_is_shared_marked_text_not_searchable(client, auth, index_now):
    auth.as_role()
    response = client.submit("/resources/new", share_form(title="Broken plan", file=(broken_docx_bytes(), "x.docx")))
    rid = resource_id(response)
    shown = client.get(f"/resources/{rid}").get_data(as_text=True)  # the flash shows on this page
    assert "Its text is being prepared for search" in shown and "Preparing the text for search" in shown
    index_now()
    shown = page(client, f"/resources/{rid}")
    assert "Text not searchable: we could not read the words inside this file" in shown
    assert "<h1>Broken plan</h1>" in shown and "Preparing the text" not in shown
    assert "Text not searchable" in page(client, "/library")


def test_dates_show_in_the_viewers_time_zone(client, auth, make_resource):
    auth.as_role(timezone="Asia/Tokyo")
    resource = make_resource(title="Tokyo time")
    assert " JST" in page(client, f"/resources/{resource.id}")


# Drafts, hiding, editing, deleting -------------------------------------------------

def test_drafts_are_seen_only_by_their_owner(client, auth, make_user, make_resource, client_for):
    owner = make_user()
    draft = make_resource(owner, title="Unfinished plan", status="draft", upload=(pdf_bytes(), "d.pdf"))
    assert client.get(f"/resources/{draft.id}").status_code == 404
    assert client.get(f"/resources/{draft.id}/file").status_code == 404
    auth.as_role()
    assert client.get(f"/resources/{draft.id}").status_code == 404
    assert "Unfinished plan" not in page(client, "/library")

    browser = client_for(owner)
    shown = page(browser, f"/resources/{draft.id}")
    assert "This is a draft" in shown
    mine = page(browser, "/my/resources")
    assert "Unfinished plan" in mine and "Draft" in mine
    assert "Unfinished plan" not in page(browser, "/library")


def test_moderators_hide_and_unhide(client, auth, make_user, make_resource, client_for):
    owner = make_user()
    resource = make_resource(owner, title="Questionable post")
    auth.as_role("moderator")
    assert "Hide</button>" in page(client, f"/resources/{resource.id}")
    client.submit(f"/resources/{resource.id}/hide", {}, page=f"/resources/{resource.id}")
    assert "A moderator has hidden this resource" in page(client, f"/resources/{resource.id}")

    stranger = client_for(make_user())
    assert stranger.get(f"/resources/{resource.id}").status_code == 404
    assert "Questionable post" not in page(stranger, "/library")
    assert "Hide</button>" not in page(client_for(owner), f"/resources/{resource.id}")
    assert stranger.post(f"/resources/{resource.id}/hide", data={}).status_code in (400, 404)

    client.submit(f"/resources/{resource.id}/unhide", {}, page=f"/resources/{resource.id}")
    assert stranger.get(f"/resources/{resource.id}").status_code == 200


def test_members_cannot_hide(client, auth, make_resource):
    resource = make_resource()
    auth.as_role()
    assert "Hide</button>" not in page(client, f"/resources/{resource.id}")
    response = client.submit(f"/resources/{resource.id}/hide", {}, page=f"/resources/{resource.id}")
    assert response.status_code == 403


def test_owner_edits_with_the_form_prefilled(client, auth, make_resource):
    owner = auth.as_role()
    resource = make_resource(owner, title="Old title", tags=["maths", "starter"], upload=(pdf_bytes("old"), "o.pdf"))
    form = page(client, f"/resources/{resource.id}/edit")
    assert 'value="Old title"' in form and 'value="maths, starter"' in form
    assert "Replace the file (optional)" in form and "Now: o.pdf" in form
    assert 'name="url"' not in form

    response = client.submit(f"/resources/{resource.id}/edit", share_form(
        title="New title", tags="geometry", url=None, file=(docx_bytes("new words"), "new.docx")))
    assert response.status_code == 302
    shown = page(client, f"/resources/{resource.id}")
    assert "<h1>New title</h1>" in shown and "#geometry" in shown and "Word document" in shown
    assert "new.docx" in shown


def test_a_link_is_edited_and_a_bad_link_refused(client, auth, make_resource):
    owner = auth.as_role()
    resource = make_resource(owner, url="https://example.org/old")
    form = page(client, f"/resources/{resource.id}/edit")
    assert 'value="https://example.org/old"' in form and 'name="file"' not in form
    response = client.submit(f"/resources/{resource.id}/edit", share_form(url="javascript:alert(1)"))
    assert response.status_code == 422 and "Links must start with http" in response.get_data(as_text=True)
    client.submit(f"/resources/{resource.id}/edit", share_form(url="https://example.org/new"))
    assert 'href="https://example.org/new"' in page(client, f"/resources/{resource.id}")


def test_editing_or_deleting_someone_elses_resource_is_forbidden(client, auth, make_resource):
    resource = make_resource(title="Not yours")
    auth.as_role()
    shown = page(client, f"/resources/{resource.id}")
    assert "/edit" not in shown and "/delete" not in shown
    assert client.get(f"/resources/{resource.id}/edit").status_code == 403
    assert client.get(f"/resources/{resource.id}/delete").status_code == 403
    response = client.submit(f"/resources/{resource.id}/edit", share_form(title="Mine now"),
                             page=f"/resources/{resource.id}")
    assert response.status_code == 403
    response = client.submit(f"/resources/{resource.id}/delete", {}, page=f"/resources/{resource.id}")
    assert response.status_code == 403
    assert "<h1>Not yours</h1>" in page(client, f"/resources/{resource.id}")


def test_moderators_edit_and_delete_anyones_resource(client, auth, make_resource):
    rid = make_resource(title="Spam resource").id
    auth.as_role("moderator")
    assert client.get(f"/resources/{rid}/edit").status_code == 200
    response = client.submit(f"/resources/{rid}/delete", {})
    assert response.status_code == 302 and response.location.endswith("/library")
    assert client.get(f"/resources/{rid}").status_code == 404


# Bookmarks --------------------------------------------------------------------------

def test_bookmarking_toggles_and_updates_the_count(client, auth, make_resource):
    resource = make_resource(title="Worth keeping")
    auth.as_role()
    path = f"/resources/{resource.id}"
    assert "<dt>Bookmarks</dt><dd>0</dd>" in page(client, path)
    client.submit(f"{path}/bookmark", {}, page=path)
    shown = page(client, path)
    assert "<dt>Bookmarks</dt><dd>1</dd>" in shown and "Remove bookmark</button>" in shown
    assert "Worth keeping" in page(client, "/my/bookmarks")
    client.submit(f"{path}/bookmark", {}, page=path)  # a second click changes nothing
    assert "<dt>Bookmarks</dt><dd>1</dd>" in page(client, path)
    client.submit(f"{path}/unbookmark", {}, page=path)
    shown = page(client, path)
    assert "<dt>Bookmarks</dt><dd>0</dd>" in shown and ">Bookmark</button>" in shown
    assert "Worth keeping" not in page(client, "/my/bookmarks")


def test_bookmarking_needs_sign_in(client, make_resource):
    resource = make_resource()
    assert "Sign in</a> to bookmark" in page(client, f"/resources/{resource.id}")


# The library ---------------------------------------------------------------------------

def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title"><a href="/resources/\d+">([^<]+)</a>', html)


def test_filters_narrow_the_library(client, make_user, make_resource):
    owner = make_user(country="BR")
    make_resource(owner, title="Algebra tiles", subject="mathematics", age_ranges=["11-14"], tags=["algebra"],
                  license="cc0")
    make_resource(owner, title="Cell diagram", subject="biology", age_ranges=["14-16"], tags=["cells"],
                  upload=(png_bytes(), "cell.png"))
    make_resource(owner, title="Poetry deck", subject="english", age_ranges=["11-14"], tags=["poetry", "algebra"],
                  upload=(pdf_bytes("poems"), "poems.pdf"), license="cc-by-sa")
    assert titles(page(client, "/library")) == ["Poetry deck", "Cell diagram", "Algebra tiles"]
    assert titles(page(client, "/library?subject=biology")) == ["Cell diagram"]
    assert titles(page(client, "/library?age_range=11-14")) == ["Poetry deck", "Algebra tiles"]
    assert titles(page(client, "/library?tag=algebra")) == ["Poetry deck", "Algebra tiles"]
    assert titles(page(client, "/library?type=image")) == ["Cell diagram"]
    assert titles(page(client, "/library?type=link")) == ["Algebra tiles"]
    assert titles(page(client, "/library?type=pdf&license=cc-by-sa")) == ["Poetry deck"]
    assert titles(page(client, "/library?subject=nonsense")) == ["Poetry deck", "Cell diagram", "Algebra tiles"]
    html = page(client, "/library?tag=cells")
    assert "1 resource tagged #cells" in html and "Clear filters" in html
    assert 'href="/library?tag=cells">#cells</a>' in html  # tags link to their filter
    assert 'aria-label="Brazil"' in html  # the owner's flag
    filters = page(client, "/library?subject=biology")
    assert '<label for="subject">Subject</label>' in filters
    assert '<option selected value="biology">' in filters


def test_sorting_by_bookmarks_and_downloads(client, make_user, make_resource):
    fans = [make_user() for _ in range(2)]
    quiet = make_resource(title="Quiet one", upload=(txt_bytes("q"), "q.txt"))
    liked = make_resource(title="Much liked", upload=(txt_bytes("l"), "l.txt"))
    fetched = make_resource(title="Often fetched", upload=(txt_bytes("f"), "f.txt"))
    for fan in fans:
        services.bookmark(fan, liked)
    services.bookmark(fans[0], quiet)
    for _ in range(3):
        client.get(f"/resources/{fetched.id}/file")
    assert titles(page(client, "/library?sort=bookmarked")) == ["Much liked", "Quiet one", "Often fetched"]
    assert titles(page(client, "/library?sort=downloaded"))[0] == "Often fetched"
    html = page(client, "/library?sort=bookmarked")
    assert "2 bookmarks" in html and "3 downloads" in html


def test_library_paginates_twenty_a_page(client, make_user, make_resource):
    owner = make_user()
    for n in range(25):
        make_resource(owner, title=f"Resource number {n:02d}", subject="history")
    first = page(client, "/library?subject=history")
    assert len(titles(first)) == 20 and "Page 1 of 2" in first
    assert titles(first)[0] == "Resource number 24"
    assert 'rel="next" href="/library?page=2&amp;subject=history"' in first
    second = page(client, "/library?subject=history&page=2")
    assert titles(second) == [f"Resource number {n:02d}" for n in range(4, -1, -1)]
    assert "Page 2 of 2" in second and 'aria-current="page"' in second
    assert "There is no page 9" in page(client, "/library?page=9")
    assert client.get("/library?page=abc").status_code == 200


def test_library_query_count_does_not_grow_with_the_page(client, auth, make_resource):
    viewer = auth.as_role()

    def add(count: int) -> None:
        for _ in range(count):
            n = resource_count()
            upload = (png_bytes(color=(n, 10, 10)), f"p{n}.png") if n % 3 == 0 else None
            make_resource(viewer if n % 2 else None, tags=[f"tag{n}", "shared"], age_ranges=["7-11", "11-14"],
                          upload=upload)

    def load() -> None:
        forget_badges(viewer.id)
        assert client.get("/library").status_code == 200

    def queries() -> int:
        return count_queries(load)

    add(5)
    with_five = queries()
    add(20)
    with_twenty_five = queries()
    assert len(titles(page(client, "/library"))) == 20
    assert with_five == with_twenty_five
    assert with_five <= 8


def test_library_pages_have_no_inline_scripts_or_styles(client, auth, make_resource):
    """The CSP forbids them: every page must work with our own CSS alone."""
    owner = auth.as_role()
    pdf = make_resource(owner, upload=(pdf_bytes(), "a.pdf"))
    image = make_resource(owner, upload=(png_bytes(), "a.png"))
    link = make_resource(owner)
    cid = int(re.search(r"/collections/(\d+)$", client.submit("/collections", {"name": "Mine"}).location).group(1))
    paths = ["/library", "/library?page=2&tag=x", "/resources/new", "/my/resources", "/my/bookmarks", "/collections",
             f"/collections/{cid}"]
    for resource in (pdf, image, link):
        paths += [f"/resources/{resource.id}", f"/resources/{resource.id}/edit", f"/resources/{resource.id}/delete"]
    for path in paths:
        html = page(client, path)
        assert not re.search(r"<script(?![^>]*\ssrc=)", html) and " style=" not in html, path
        assert not re.search(r"<[^>]+\son[a-z]+=", html), path
