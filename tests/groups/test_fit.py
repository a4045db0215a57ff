"""FIT uploads (what most watches export), read like GPX files: the known
distance, moving time, climb, start and sport of a fixture written by
`fit_writer`; the route drawn as inline SVG; damaged, cut-short and
non-FIT files refused with the field named and nothing saved. Which kind
a file is comes from its bytes, never its name."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.groups import fit, tracks
from app.groups.models import Activity
from tests.groups.conftest import gpx_fixture
from tests.groups.fit_writer import activity_fit

pytestmark = pytest.mark.one_database  # reading FIT files, not SQL


def activity_count() -> int:
    return db.session.scalar(select(func.count(Activity.id)))


def upload(api, data: bytes, name: str = "morning.fit", **fields):
    return api.post("/activities", data={"gpx": (io.BytesIO(data), name), **fields},
                    content_type="multipart/form-data")


def test_a_fit_file_gives_distance_time_start_sport_climb_and_route():
    track = fit.parse(activity_fit(sport="ride"))
    assert track.distance_m == 5000 and track.moving_s == 1500 and track.elevation_gain_m == 12
    assert track.started_at.isoformat() == "2026-11-02T06:30:00+00:00"
    assert track.sport == "ride"
    points = [tuple(map(float, p.split(","))) for p in track.route_points.split()]
    assert len(points) == 101
    assert all(0 <= x <= 300 and 0 <= y <= 200 for x, y in points)


def test_without_a_session_the_records_give_the_figures():
    track = fit.parse(activity_fit(with_session=False))
    assert track.distance_m == 5000 and track.moving_s == 1500 and track.sport is None
    assert track.started_at.isoformat() == "2026-11-02T06:30:00+00:00"


def test_an_indoor_file_without_positions_has_no_route():
    track = fit.parse(activity_fit(with_positions=False))
    assert track.distance_m == 5000 and track.route_points is None


def test_the_kind_of_file_comes_from_its_bytes_not_its_name():
    assert tracks.read(activity_fit()).sport == "run"  # read as FIT
    assert tracks.read(gpx_fixture()).sport is None  # read as GPX


def test_upload_through_the_api_takes_the_files_sport_and_shows_the_route(make_user, api_for, client_for):
    runner = make_user(timezone="Europe/London")
    response = upload(api_for(runner), activity_fit(sport="ride"), name="track.gpx", sport="run",
                      title="Commute")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["sport"] == "ride" and body["source"] == "fit" and body["has_route"] is True
    assert body["distance_km"] == 5.0 and body["duration_s"] == 1500 and body["elevation_gain_m"] == 12
    assert body["started_at"] == "2026-11-02T06:30:00+00:00"
    html = client_for(runner).get(f"/activities/{body['id']}").get_data(as_text=True)
    assert '<span class="badge badge-quiet">FIT</span>' in html and 'class="route-line"' in html


def test_upload_through_the_form(make_user, client_for):
    browser = client_for(make_user())
    response = browser.submit("/activities/new", {"sport": "run", "visibility": "groups",
                                                  "gpx": (io.BytesIO(activity_fit()), "watch.FIT")})
    assert response.status_code == 302, response.get_data(as_text=True)
    activity = db.session.scalar(select(Activity))
    assert activity.source == "fit" and activity.distance_m == 5000 and activity.route_points


def corrupted(data: bytes) -> bytes:
    broken = bytearray(data)
    broken[400] ^= 0x5A
    return bytes(broken)


@pytest.mark.parametrize("data, message", [
    (activity_fit()[:700], "damaged or cut short"),
    (activity_fit()[:13], "damaged or cut short"),
    (corrupted(activity_fit()), "damaged or cut short"),
    (activity_fit(points=1, with_session=False), "no distance or track"),
    (b"\x0e\x20\x54\x08" + b"\x00" * 10 + b"random bytes, no FIT header", "not a GPX or FIT file"),
    (bytes(range(256)) * 4, "not a GPX or FIT file"),
])
def test_bad_fit_is_a_422_naming_the_field_and_nothing_is_saved(make_user, api_for, data, message):
    response = upload(api_for(make_user()), data)
    assert response.status_code == 422, response.get_json()
    assert message in response.get_json()["error"]["fields"]["gpx"]
    assert activity_count() == 0


def test_a_bad_fit_file_is_a_form_message_and_nothing_is_saved(make_user, client_for):
    browser = client_for(make_user())
    response = browser.submit("/activities/new", {"sport": "run", "visibility": "groups",
                                                  "gpx": (io.BytesIO(activity_fit()[:500]), "watch.fit")})
    assert response.status_code == 422
    assert "That FIT file could not be read: it is damaged or cut short." in response.get_data(as_text=True)
    assert activity_count() == 0


def test_a_fit_file_is_held_when_another_field_fails(make_user, client_for):
    browser = client_for(make_user())
    form = {"sport": "run", "visibility": "groups", "title": "x" * 121}
    first = browser.submit("/activities/new", {**form, "gpx": (io.BytesIO(activity_fit()), "watch.fit")})
    assert first.status_code == 422
    page = first.get_data(as_text=True)
    assert "<strong>watch.fit</strong> is ready" in page
    token = re.search(r'name="held_token" type="hidden" value="([^"]+)"', page).group(1)
    done = browser.submit("/activities/new", {**form, "title": "Long run", "held_token": token})
    assert done.status_code == 302, done.get_data(as_text=True)
    activity = db.session.scalar(select(Activity))
    assert activity.source == "fit" and activity.title == "Long run" and activity.distance_m == 5000
