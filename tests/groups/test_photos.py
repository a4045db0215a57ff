"""Photos on activities: checked by content, re-encoded without EXIF or
GPS, at most six, shown to exactly whoever may see the activity (members-
only and private activities' photos are not public), deleted by the owner
alone, with their files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.groups import activities, photos, services
from app.groups.models import ActivityPhoto
from app.people import mydata
from tests.helpers import csrf_from


def camera_jpeg(size=(2400, 1200)) -> bytes:
    """A JPEG as a phone writes it: camera make and a GPS position in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCamCo"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 10.0, 1.0)})
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def photo_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / "photos"
    return sorted(folder.glob("*.jpg")) if folder.exists() else []


def post_photo(api, activity_id, data=None, alt="Frost on the towpath"):
    return api.post(f"/activities/{activity_id}/photos", content_type="multipart/form-data",
                    data={"photo": (io.BytesIO(data if data is not None else camera_jpeg()), "IMG_0001.JPG"),
                          "alt_text": alt})


@pytest.fixture
def runner(make_user):
    return make_user(timezone="Europe/London")


def test_a_photo_is_resized_and_loses_its_exif_and_gps(app, runner, api_for, log_run):
    activity = log_run(runner, visibility="public")
    response = post_photo(api_for(runner), activity.id)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["width"], body["height"]) == (1600, 800) and body["alt_text"] == "Frost on the towpath"
    [stored] = photo_files(app)
    data = stored.read_bytes()
    assert b"SecretCamCo" not in data and b"Exif" not in data
    with Image.open(stored) as image:
        assert image.size == (1600, 800) and not image.getexif()
    assert body["url"] == f"/activities/{activity.id}/photos/{body['id']}.jpg"


def test_the_activity_page_shows_the_gallery_with_alt_text(runner, api_for, client_for, client, log_run):
    activity = log_run(runner, visibility="public", title="Canal run")
    photo_id = post_photo(api_for(runner), activity.id).get_json()["id"]
    post_photo(api_for(runner), activity.id, alt="")
    html = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert f'src="/activities/{activity.id}/photos/{photo_id}.jpg" alt="Frost on the towpath"' in html
    assert 'alt="Photo 2 from “Canal run”"' in html
    assert "Add photo" not in html and "Delete photo" not in html  # visitors only look
    own = client_for(runner).get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "Add photo" in own and own.count(">Delete photo<") == 2 and "4 places left" in own
    image = client.get(f"/activities/{activity.id}/photos/{photo_id}.jpg")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.headers["Cache-Control"].startswith("public")


@pytest.mark.parametrize("visibility", ["groups", "private"])
def test_photos_of_a_non_public_activity_are_not_public(visibility, runner, make_user, make_group, api_for,
                                                        client, client_for, log_run):
    group = make_group(runner)
    teammate, stranger = make_user(), make_user()
    services.join(group, teammate)
    activity = log_run(runner, visibility=visibility)
    photo_id = post_photo(api_for(runner), activity.id).get_json()["id"]
    url = f"/activities/{activity.id}/photos/{photo_id}.jpg"
    assert client.get(url).status_code == 404
    assert client_for(stranger).get(url).status_code == 404
    assert api_for(stranger).get(f"/activities/{activity.id}/photos").status_code == 404
    own = client_for(runner).get(url)
    assert own.status_code == 200 and "private" in own.headers["Cache-Control"]
    assert client_for(teammate).get(url).status_code == (200 if visibility == "groups" else 404)
    listed = api_for(teammate).get(f"/activities/{activity.id}/photos")
    assert listed.status_code == (200 if visibility == "groups" else 404)


def test_only_the_owner_adds_or_deletes_photos(app, runner, make_user, api_for, log_run):
    activity = log_run(runner, visibility="public")
    photo_id = post_photo(api_for(runner), activity.id).get_json()["id"]
    other = api_for(make_user())
    assert post_photo(other, activity.id).status_code == 403
    assert other.delete(f"/activities/{activity.id}/photos/{photo_id}").status_code == 403
    assert len(photo_files(app)) == 1
    assert api_for(runner).delete(f"/activities/{activity.id}/photos/{photo_id}").status_code == 204
    assert photo_files(app) == [] and db.session.scalar(select(func.count(ActivityPhoto.id))) == 0
    assert api_for(runner).delete(f"/activities/{activity.id}/photos/{photo_id}").status_code == 404


def test_at_most_six_photos(app, runner, api_for, log_run):
    activity = log_run(runner)
    api = api_for(runner)
    small = camera_jpeg((40, 30))
    for _ in range(photos.MAX_PHOTOS):
        assert post_photo(api, activity.id, small).status_code == 201
    response = post_photo(api, activity.id, small)
    assert response.status_code == 422
    assert "up to 6 photos" in response.get_json()["error"]["fields"]["photo"]
    assert len(photo_files(app)) == 6


@pytest.mark.parametrize("data, status, words", [
    (b"GIF89a but not really an image", 415, "could not be read"),
    (b"%PDF-1.7 a document", 415, "not a PNG, JPEG, GIF or WebP"),
    (b"", 415, "not a PNG, JPEG, GIF or WebP"),
])
def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_kept(app, runner, api_for, log_run, data, status,
                                                                     words):
    activity = log_run(runner)
    response = post_photo(api_for(runner), activity.id, data)
    assert response.status_code == status, response.get_json()
    assert words in response.get_json()["error"]["fields"]["photo"]
    assert photo_files(app) == [] and db.session.scalar(select(func.count(ActivityPhoto.id))) == 0


def test_a_long_description_and_a_missing_file_are_422(runner, api_for, log_run):
    activity = log_run(runner)
    api = api_for(runner)
    assert "alt_text" in post_photo(api, activity.id, alt="x" * 201).get_json()["error"]["fields"]
    response = api.post(f"/activities/{activity.id}/photos", content_type="multipart/form-data",
                        data={"alt_text": "no file"})
    assert response.status_code == 422 and "photo" in response.get_json()["error"]["fields"]
    assert api.post(f"/activities/{activity.id}/photos", json={}).status_code == 415


def test_the_page_form_adds_and_deletes_and_says_what_went_wrong(app, runner, client_for, log_run):
    activity = log_run(runner, visibility="private")
    browser = client_for(runner)
    page = f"/activities/{activity.id}"
    response = browser.submit(f"{page}/photos", {"photo": (io.BytesIO(b"not an image"), "x.jpg"),
                                                 "alt_text": "x"}, page=page, follow_redirects=True)
    assert "That file is not a PNG, JPEG, GIF or WebP image." in response.get_data(as_text=True)
    response = browser.submit(f"{page}/photos", {"photo": (io.BytesIO(camera_jpeg()), "x.jpg"),
                                                 "alt_text": "The bridge"}, page=page, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Photo added." in html and 'alt="The bridge"' in html
    photo = db.session.scalar(select(ActivityPhoto))
    response = browser.post(f"{page}/photos/{photo.id}/delete", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302 and photo_files(app) == []


def test_deleting_the_activity_or_the_account_deletes_the_photo_files(app, runner, make_user, api_for, log_run):
    activity = log_run(runner)
    api = api_for(runner)
    post_photo(api, activity.id)
    assert api.delete(f"/activities/{activity.id}").status_code == 204
    assert photo_files(app) == []
    other = make_user()
    post_photo(api_for(other), log_run(other).id)
    mydata.delete_account(other, other.username)
    assert photo_files(app) == [] and db.session.scalar(select(func.count(ActivityPhoto.id))) == 0


def test_my_data_export_holds_my_photos_and_my_weekly_goal(app, runner, make_user, api_for, client_for, log_run):
    activity = log_run(runner)
    post_photo(api_for(runner), activity.id, alt="The lock gates")
    other = make_user()
    post_photo(api_for(other), log_run(other, visibility="public").id)
    activities.set_settings(runner, weekly_goal_m=20_000)
    archive = zipfile.ZipFile(io.BytesIO(client_for(runner).get("/settings/data/export.zip").data))
    data = json.loads(archive.read("data.json"))
    [photo] = data["activity_photos"]
    assert photo["activity_id"] == activity.id and photo["alt_text"] == "The lock gates"
    stored = db.session.scalar(select(ActivityPhoto).where(ActivityPhoto.activity_id == activity.id))
    assert archive.read(photo["file"]) == (Path(app.config["UPLOAD_DIR"]) / "photos" / stored.file).read_bytes()
    assert data["settings"]["weekly_goal_m"] == 20_000
