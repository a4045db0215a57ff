"""GPX uploads: the fixture's known distance, moving time, climb and start;
the route drawn as inline SVG; bad files refused with 422 and nothing saved."""

from __future__ import annotations

import base64
import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.groups import gpx
from app.groups.models import Activity
from tests.groups.conftest import gpx_fixture

pytestmark = pytest.mark.one_database  # parsing tracks, not SQL

KNOWN_DISTANCE_M = 5000  # see the comment in fixtures/loop_5km.gpx


def activity_count() -> int:
    return db.session.scalar(select(func.count(Activity.id)))


def test_the_fixture_gives_its_known_distance_within_one_percent():
    track = gpx.parse(gpx_fixture())
    assert abs(track.distance_m - KNOWN_DISTANCE_M) / KNOWN_DISTANCE_M < 0.01
    assert track.moving_s == 1500  # 500 steps of 3 s
    assert track.elevation_gain_m == 20
    assert track.started_at.isoformat() == "2026-11-02T06:30:00+00:00"
    points = track.route_points.split()
    assert 2 <= len(points) <= gpx.ROUTE_POINTS + 1
    xs = [float(p.split(",")[0]) for p in points]
    ys = [float(p.split(",")[1]) for p in points]
    assert 0 <= min(xs) and max(xs) <= 300 and 0 <= min(ys) and max(ys) <= 200


def test_upload_through_the_api_and_see_the_route_on_the_page(make_user, api_for, client_for):
    runner = make_user(timezone="Europe/London")
    api = api_for(runner)
    response = api.post("/activities", data={"gpx": (io.BytesIO(gpx_fixture()), "loop.gpx"), "sport": "run",
                                             "title": "Park loop"}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert abs(body["distance_km"] - 5.0) < 0.05
    assert body["duration_s"] == 1500 and body["elevation_gain_m"] == 20
    assert body["source"] == "gpx" and body["has_route"] is True
    assert body["started_at"] == "2026-11-02T06:30:00+00:00"
    html = client_for(runner).get(f"/activities/{body['id']}").get_data(as_text=True)
    assert re.search(r'<svg class="route route-map" viewBox="0 0 300 200" role="img" aria-labelledby="route-title-\d+ '
                     r'route-desc-\d+">\s*<title id="route-title-\d+">Route of Park loop</title>', html)
    assert re.search(r'<polyline class="route-line" points="[0-9., ]+">', html)
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles
    assert "5:00 /km" in html  # 5.006 km in 25:00


def test_upload_through_the_form(make_user, client_for):
    runner = make_user()
    browser = client_for(runner)
    response = browser.submit("/activities/new", {"sport": "run", "visibility": "groups",
                                                  "gpx": (io.BytesIO(gpx_fixture()), "loop.gpx")})
    assert response.status_code == 302, response.get_data(as_text=True)
    activity = db.session.scalar(select(Activity))
    assert activity.source == "gpx" and abs(activity.distance_m - 5000) < 50 and activity.route_points


NO_TIMES = b"""<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">
<trk><trkseg><trkpt lat="51.5" lon="-0.17"></trkpt><trkpt lat="51.51" lon="-0.17"></trkpt></trkseg></trk></gpx>"""
BOMB = b"""<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
<gpx version="1.1" creator="&b;"><trk><trkseg></trkseg></trk></gpx>"""


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"<gpx><trk><trkseg><trkpt lat='51' lon='0'>", "could not be read"),
    (b"not xml at all", "not a GPX or FIT file"),
    (b"\xff\xfe\x00\x01binary", "not a GPX or FIT file"),
    (BOMB, "DTD or entities"),
    (b"<?xml version='1.0'?><gpx version='1.1' creator='t'><trk><trkseg>"
     b"<trkpt lat='51.5' lon='-0.17'/></trkseg></trk></gpx>", "at least two points"),
    (b"<?xml version='1.0'?><gpx version='1.1' creator='t'><trk><trkseg><trkpt lat='95' lon='0'/>"
     b"<trkpt lat='51' lon='0'/></trkseg></trk></gpx>", "could not be read|outside the globe"),
])
def test_bad_gpx_is_a_422_naming_the_field_and_nothing_is_saved(make_user, api_for, data, message):
    api = api_for(make_user())
    response = api.post("/activities", data={"gpx": (io.BytesIO(data), "x.gpx")}, content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert re.search(message, error["fields"]["gpx"])
    assert activity_count() == 0


TRACK = (b'<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&a;</name><trkseg>'
         b'<trkpt lat="51.5" lon="-0.17"><time>2026-01-10T07:00:00Z</time></trkpt>'
         b'<trkpt lat="51.51" lon="-0.17"><time>2026-01-10T07:08:00Z</time></trkpt></trkseg></trk></gpx>')
PLAIN_TRACK = TRACK.replace(b"&a;", b"Morning")
FAR = b"\n" * 2500  # past the first 2,000 characters
LONG_COMMENT = b"<!-- " + b"exported by <gpx-tools> " * 100 + b" -->\n"


def hidden_in_utf7(markup: str) -> bytes:
    """Markup that a UTF-7 reader finds inside what a UTF-8 reader takes for a comment."""
    encoded = base64.b64encode(f"--> {markup} <!--".encode("utf-16-be")).decode().rstrip("=")
    return f'<?xml version="1.0" encoding="UTF-7"?><!-- +{encoded}- -->\n'.encode()


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?>' + FAR + b'<!DOCTYPE gpx [<!ENTITY a "x">]>' + TRACK,
    b'<?xml version="1.0"?>' + LONG_COMMENT + b'<!DOCTYPE gpx SYSTEM "http://example.org/gpx.dtd">' + PLAIN_TRACK,
    b'<?xml version="1.0"?>' + LONG_COMMENT + b"<!DOCTYPE gpx>" + PLAIN_TRACK,
    b'<!DOCTYPE gpx [<!ENTITY a SYSTEM "file:///etc/passwd">]>' + TRACK,
    b'<!DOCTYPE gpx [<!ENTITY % p SYSTEM "http://example.org/p.dtd"> %p;]>' + TRACK,
    b'<!DOCTYPE gpx [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    + TRACK.replace(b"&a;", b"&c;"),
])
def test_a_dtd_anywhere_is_refused_and_nothing_is_loaded(make_user, api_for, data):
    api = api_for(make_user())
    response = api.post("/activities", data={"gpx": (io.BytesIO(data), "x.gpx")}, content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    assert "DTD or entities" in response.get_json()["error"]["fields"]["gpx"]
    assert activity_count() == 0


def test_a_dtd_only_another_encoding_would_see_is_refused(make_user, api_for):
    data = hidden_in_utf7('<!DOCTYPE gpx [<!ENTITY a "x">]>') + TRACK
    api = api_for(make_user())
    response = api.post("/activities", data={"gpx": (io.BytesIO(data), "x.gpx")}, content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    assert activity_count() == 0


def test_markup_inside_a_processing_instruction_stays_inside_it(make_user, api_for):
    # Cutting the instruction's xmlns="q" (as gpxpy's own parse would cut the
    # first one it finds) would close it early and leave a DOCTYPE behind.
    data = b'<?xml version="1.0"?><?note a ? xmlns="q"> <!DOCTYPE gpx SYSTEM "http://example.org/x.dtd"> <?end ?>\n'
    api = api_for(make_user())
    response = api.post("/activities", data={"gpx": (io.BytesIO(data + PLAIN_TRACK), "x.gpx")},
                        content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    assert 1100 < response.get_json()["distance_km"] * 1000 < 1125


def test_a_long_comment_before_the_track_is_fine(make_user, api_for):
    api = api_for(make_user())
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- ' + b"Exported by a watch. " * 150 + b"-->\n" + PLAIN_TRACK
    response = api.post("/activities", data={"gpx": (io.BytesIO(data), "x.gpx")}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    assert 1100 < response.get_json()["distance_km"] * 1000 < 1125


def test_too_large_gpx_is_a_422(make_user, api_for, monkeypatch):
    monkeypatch.setattr(gpx, "MAX_GPX_BYTES", 2048)
    api = api_for(make_user())
    response = api.post("/activities", data={"gpx": (io.BytesIO(gpx_fixture()), "x.gpx")},
                        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "up to" in response.get_json()["error"]["fields"]["gpx"]
    assert activity_count() == 0


def test_a_track_without_times_needs_the_date_and_duration(make_user, api_for):
    api = api_for(make_user())
    response = api.post("/activities", data={"gpx": (io.BytesIO(NO_TIMES), "x.gpx")},
                        content_type="multipart/form-data")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"duration", "date"}
    response = api.post("/activities", data={"gpx": (io.BytesIO(NO_TIMES), "x.gpx"), "duration_min": "8",
                                             "date": "2026-01-10", "start_time": "07:00"},
                        content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    assert 1100 < response.get_json()["distance_km"] * 1000 < 1125  # 0.01 degree of latitude
