"""Profiles: editing through the form and the API, the public page, avatars."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from app import storage
from app.extensions import db
from tests.helpers import png_bytes

PROFILE = {
    "display_name": "Rafael Souza",
    "country": "BR",
    "school": "Colégio Horizonte",
    "timezone": "America/Sao_Paulo",
    "subjects": ["geography", "history"],
    "age_ranges": ["14-16"],
    "bio": "I run **virtual field trips**. <script>alert('x')</script> [site](javascript:alert(1))",
}


def test_profile_form_saves_and_public_page_shows_it(client, auth):
    user = auth.as_role()
    response = client.submit("/settings/profile", PROFILE)
    assert response.status_code == 302
    page = client.get(f"/u/{user.username}").get_data(as_text=True)
    assert "Rafael Souza" in page
    assert "Brazil" in page and "\U0001F1E7\U0001F1F7" in page  # name and flag
    assert "Colégio Horizonte" in page
    assert "Geography" in page and "Ages 14-16" in page
    assert "<strong>virtual field trips</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "America/Sao_Paulo" in page


def test_profile_form_prefills_current_values(client, auth):
    auth.as_role(school="Lagos Model College", subjects=["physics"])
    page = client.get("/settings/profile").get_data(as_text=True)
    assert 'value="Lagos Model College"' in page
    assert re.search(r'<input checked id="subjects-\d+" name="subjects" type="checkbox" value="physics">', page)
    assert not re.search(r'<input checked [^>]*value="chemistry"', page)


def test_profile_form_rejects_bad_timezone_and_keeps_old_values(client, auth):
    user = auth.as_role(timezone="Europe/London")
    response = client.submit("/settings/profile", {**PROFILE, "timezone": "Mars/Base"})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.timezone == "Europe/London" and user.display_name != "Rafael Souza"


def test_api_patch_me_updates_only_given_fields(api, make_user):
    make_user("rafael_s", school="Old School")
    api.login("rafael_s")
    response = api.patch("/me", json={"timezone": "Asia/Baku", "subjects": ["mathematics"]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["timezone"] == "Asia/Baku"
    assert body["subjects"] == ["mathematics"]
    assert body["school"] == "Old School"


def test_api_patch_me_validates(api, make_user):
    make_user("rafael_s")
    api.login("rafael_s")
    for body, field in [
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"country": "QQ"}, "country"),
        ({"bio": "x" * 2001}, "bio"),
        ({"role": "admin"}, "role"),
        ({"display_name": ""}, "display_name"),
        ({"subjects": "maths"}, "subjects"),
    ]:
        response = api.patch("/me", json=body)
        assert response.status_code == 422, body
        assert field in response.get_json()["error"]["fields"], body
    assert api.get("/me").get_json()["role"] == "member"


def test_public_profile_api_hides_private_fields(api, make_user):
    make_user("rafael_s", email="rafael@school.example")
    body = api.get("/users/rafael_s").get_json()
    assert body["username"] == "rafael_s"
    assert "email" not in body and "password_hash" not in body
    assert api.get("/users/nobody").status_code == 404


def test_unknown_profile_is_a_404_page(client):
    response = client.get("/u/nobody")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def upload(client, data: bytes, name: str):
    return client.submit(
        "/settings/avatar",
        {"avatar": (io.BytesIO(data), name)},
        page="/settings/profile",
        content_type="multipart/form-data",
    )


def test_avatar_upload_is_resized_and_served(client, auth):
    user = auth.as_role()
    response = upload(client, png_bytes(900, 600), "me.png")
    assert response.status_code == 302
    db.session.refresh(user)
    served = client.get(f"/u/{user.username}/avatar")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(served.data))
    assert image.size == (256, 256)
    # Stored under a random name, not the uploaded one.
    assert user.avatar_file != "me.png" and user.avatar_file.endswith(".png")


def test_replacing_avatar_removes_the_old_file(app, client, auth):
    user = auth.as_role()
    upload(client, png_bytes(), "one.png")
    db.session.refresh(user)
    first = storage.path_for("avatars", user.avatar_file)
    upload(client, png_bytes(color=(200, 10, 10)), "two.png")
    db.session.refresh(user)
    assert first is not None and not first.exists()
    assert storage.path_for("avatars", user.avatar_file).exists()


def test_non_image_named_png_is_refused(client, auth):
    user = auth.as_role()
    response = upload(client, b"MZ\x90\x00\x03\x00\x00\x00 this is a windows program", "cute-cat.png")
    assert response.status_code == 415
    page = response.get_data(as_text=True)
    assert '<p class="error" id="avatar-error">That file is not a PNG, JPEG, GIF or WebP image.</p>' in page
    db.session.refresh(user)
    assert user.avatar_file is None


def test_truncated_image_is_refused(client, auth):
    user = auth.as_role()
    response = upload(client, png_bytes()[:60], "broken.png")
    assert response.status_code == 415
    db.session.refresh(user)
    assert user.avatar_file is None


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(client, auth):
    user = auth.as_role()
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # 17 KB; 576 MB once made RGBA for the avatar
    with pytest.warns(Image.DecompressionBombWarning):  # Pillow only warns below 179 megapixels
        response = upload(client, out.getvalue(), "huge.png")
    assert response.status_code == 415
    assert "That image is 12,000 × 12,000 pixels. Use one of at most 16 megapixels." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.avatar_file is None


def test_a_large_jpeg_photo_is_decoded_scaled_down_and_accepted(client, auth):
    user = auth.as_role()
    out = io.BytesIO()
    Image.new("RGB", (6_000, 4_500), (20, 120, 200)).save(out, "JPEG", quality=70)  # 27 megapixels
    assert upload(client, out.getvalue(), "phone.jpg").status_code == 302
    db.session.refresh(user)
    served = Image.open(io.BytesIO(client.get(f"/u/{user.username}/avatar").data))
    assert served.size == (256, 256)


def test_oversized_avatar_is_refused(app, client, auth):
    app.config["MAX_AVATAR_MB"] = 0
    user = auth.as_role()
    response = upload(client, png_bytes(), "big.png")
    assert response.status_code == 422
    assert "up to 0 MB" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.avatar_file is None


def test_avatar_route_rejects_path_tricks(client, make_user):
    make_user("rafael_s")
    assert client.get("/u/rafael_s/avatar").status_code == 404
    assert client.get("/u/..%2F..%2Fetc%2Fpasswd/avatar").status_code == 404
