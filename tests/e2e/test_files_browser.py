"""Files and what a member keeps: a chosen file survives a failed submit,
bookmarking leaves a resource's "Updated" time alone, and the data export
holds files under the names they were uploaded with."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

from playwright.sync_api import expect

from app.accounts import services as accounts
from app.db_types import utcnow
from app.demo.library import pdf_bytes
from app.extensions import db
from app.resources import collections
from app.resources import services as resources
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility_browser import AXE, BLOCKING, axe_violations, describe
from tests.helpers import PASSWORD

GPX_WITHOUT_TIMES = b"""<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="51.5000" lon="-0.1200"></trkpt><trkpt lat="51.5100" lon="-0.1200"></trkpt>
</trkseg></trk></gpx>"""
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _member(live_server, username="priya_n", display_name="Priya Nair"):
    with live_server.app.app_context():
        user = accounts.register(email_verified=True, username=username, email=f"{username}@school.example",
                                 password=PASSWORD, display_name=display_name, country="IN")
        return user.id


def test_a_chosen_file_survives_a_failed_submit(live_server, page, shot, tmp_path):
    _member(live_server)
    poster = tmp_path / "poster.pdf"
    poster.write_bytes(pdf_bytes("Water cycle poster", "Evaporation, condensation, precipitation."))
    page.set_viewport_size(DESKTOP)
    page.context.add_init_script(path=AXE)
    sign_in(page, "priya_n")

    page.goto("/resources/new")
    page.get_by_label("Title").fill("Water cycle poster")
    page.get_by_label("Subject").select_option("science")
    page.get_by_label("File", exact=True).set_input_files(str(poster))
    page.get_by_role("button", name="Share resource").click()  # no licence chosen

    expect(page.get_by_role("alert")).to_contain_text("Licence: Pick a licence from the list.")
    ready = page.locator(".held-file")
    expect(ready).to_contain_text("poster.pdf is ready — choose another to replace it.")
    expect(page.get_by_label("File", exact=True)).to_have_attribute("aria-describedby", "file-held file-hint")
    expect(page.get_by_label("Title")).to_have_value("Water cycle poster")
    violations = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not violations, describe(violations)
    shot(page, "01-held-file-1280")
    page.set_viewport_size(PHONE)
    shot(page, "01-held-file-390")
    page.set_viewport_size(DESKTOP)

    page.get_by_label("Licence").select_option("cc-by")
    page.get_by_role("button", name="Share resource").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Water cycle poster")
    expect(page.get_by_text("poster.pdf ·")).to_be_visible()

    # A GPX track without times needs the duration typed in: the track stays.
    track = tmp_path / "morning.gpx"
    track.write_bytes(GPX_WITHOUT_TIMES)
    page.goto("/activities/new")
    page.get_by_label("GPX or FIT file (optional)").set_input_files(str(track))
    page.get_by_label("Duration").fill("")
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_role("alert")).to_contain_text("Duration: This GPX file has no times: give the duration.")
    expect(page.locator(".held-file")).to_contain_text("morning.gpx is ready — choose another to replace it.")
    shot(page, "01-held-gpx-1280")
    page.set_viewport_size(PHONE)
    shot(page, "01-held-gpx-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Duration").fill("30:00")
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_role("status")).to_contain_text("is logged: 1.11 km")


def test_bookmarking_and_collecting_leave_updated_alone(live_server, page, shot):
    with live_server.app.app_context():
        owner = accounts.register(email_verified=True, username="amira_h", email="amira@school.example",
                                  password=PASSWORD, display_name="Amira Haddad", country="SA")
        reader = accounts.register(email_verified=True, username="gary_w", email="gary@school.example",
                                   password=PASSWORD, display_name="Gary Williams", country="GB")
        resource = resources.create_resource(owner, title="Phonics flashcards", subject="english",
                                             license="cc-by", url="https://example.org/phonics")
        resource.created_at = utcnow() - timedelta(days=3)
        resource.updated_at = utcnow() - timedelta(days=2)  # its owner edited it once
        collections.create_collection(reader, "Reading corner", "", False)
        db.session.commit()
        resource_id = resource.id
        db.session.remove()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "gary_w")
    page.goto(f"/resources/{resource_id}")
    updated = page.locator("dt", has_text="Updated").locator("xpath=following-sibling::dd[1]")
    edited = updated.inner_text()

    page.get_by_role("button", name="Bookmark").click()
    expect(page.get_by_role("status")).to_contain_text("Bookmarked")
    page.locator("details.collect-menu summary").click()
    page.get_by_label("Reading corner").check()
    expect(page.locator(".collect-status")).to_have_text("Added to “Reading corner”.")
    expect(page.locator("dt", has_text="Bookmarks").locator("xpath=following-sibling::dd[1]")).to_have_text("1")
    expect(updated).to_have_text(edited)
    shot(page, "11-updated-1280")
    page.set_viewport_size(PHONE)
    shot(page, "11-updated-390")


def test_the_export_holds_files_by_their_names_and_what_i_chose(live_server, page, shot):
    with live_server.app.app_context():
        me = accounts.register(email_verified=True, username="priya_n", email="priya@school.example",
                               password=PASSWORD, display_name="Priya Nair", country="IN")
        other = accounts.register(email_verified=True, username="gary_w", email="gary@school.example",
                                  password=PASSWORD, display_name="Gary Williams", country="GB")
        resources.create_resource(me, title="Fractions lesson", subject="mathematics", license="cc-by",
                                  upload=resources.Upload(pdf_bytes("Fractions", "Halves and quarters."),
                                                          "Lesson plan.pdf"))
        theirs = resources.create_resource(other, title="Times tables song", subject="mathematics",
                                           license="cc-by", url="https://example.org/song")
        resources.bookmark(me, theirs)
        collections.add_item(collections.create_collection(me, "Maths corner", "", False), theirs, me)
        db.session.remove()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "priya_n")
    page.goto("/settings/data")
    shot(page, "10-my-data-1280")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    archive = zipfile.ZipFile(download.value.path())
    assert "files/resources/Lesson plan.pdf" in archive.namelist()
    data = json.loads(archive.read("data.json"))
    assert data["resources"][0]["file"] == "files/resources/Lesson plan.pdf"
    assert [b["title"] for b in data["bookmarks"]] == ["Times tables song"]
    assert [(c["name"], [i["title"] for i in c["items"]]) for c in data["collections"]] == [
        ("Maths corner", ["Times tables song"])]
    page.set_viewport_size(PHONE)
    shot(page, "10-my-data-390")
