"""The route map on the activity page: the GPX track over a light grid, with
distance marks in the viewer's unit, start and finish and a scale; inline
SVG with a title, a description and a text legend; no tiles, no other host."""

from __future__ import annotations

import io
import re

import pytest

from app.groups import activities, gpx, route_map
from tests.groups.conftest import gpx_fixture

pytestmark = pytest.mark.one_database  # drawing a track, not SQL


def fixture_map(unit: str):
    track = gpx.parse(gpx_fixture())
    return route_map.route_map(track.route_points, track.distance_m, unit)


def test_marks_every_kilometre_along_a_5_km_loop():
    drawn = fixture_map("km")
    assert drawn["every"] == "1" and [m.label for m in drawn["marks"]] == ["1", "2", "3", "4"]
    assert drawn["loop"] is True and drawn["start"] == drawn["finish"]
    # The loop is a 300 x 200 rectangle less padding: 1 km of 5 is a fifth of the way round.
    first = drawn["marks"][0]
    assert abs(first.x - 194.8) < 2 and first.y == 190.0
    # The longest round length that fits in a third of the width: 0.5 km (1 km would be 180 of 300).
    assert drawn["scale"] == {"label": "0.5 km", "length": 89.9}


def test_marks_and_scale_follow_the_members_unit():
    drawn = fixture_map("mi")
    assert drawn["every"] == "0.5" and [m.label for m in drawn["marks"]] == ["0.5", "1", "1.5", "2", "2.5"]
    assert drawn["scale"] == {"label": "0.25 mi", "length": 72.3}


def test_no_map_without_a_route():
    assert route_map.route_map(None, 5000, "km") is None
    assert route_map.route_map("10,10", 5000, "km") is None


def test_the_page_draws_the_map_with_its_text_equivalent(make_user, client_for, api_for):
    runner = make_user()
    created = api_for(runner).post("/activities", content_type="multipart/form-data",
                                   data={"gpx": (io.BytesIO(gpx_fixture()), "loop.gpx"), "title": "Park loop"})
    activity_id = created.get_json()["id"]
    browser = client_for(runner)
    html = browser.get(f"/activities/{activity_id}").get_data(as_text=True)
    figure = html.split('<figure class="route-figure">', 1)[1].split("</figure>", 1)[0]
    assert "5.01 km. Starts and finishes at the same place; 4 marks, one every 1 km." in figure
    assert len(re.findall(r'<line class="route-grid"', figure)) == 11 + 7
    assert re.findall(r'<g class="route-mark">.*?>(\d+)</text>', figure) == ["1", "2", "3", "4"]
    assert '<circle class="route-start"' in figure and '<rect class="route-finish"' in figure
    assert ">0.5 km</text>" in figure and "the bar is 0.5 km" in figure
    assert "Numbered marks every 1 km" in figure and "http" not in figure.replace("http://www.w3.org", "")
    activities.set_unit(runner, "mi")
    html = browser.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "Numbered marks every 0.5 mi" in html and "3.11 mi." in html
