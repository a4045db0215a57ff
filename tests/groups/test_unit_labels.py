"""A distance's unit in the reader's language: Arabic writes "كم", where a
Latin "km" stood out in every figure of a group's page; English keeps "km"
and "mi"."""

from __future__ import annotations

import pytest

from app.groups import units
from app.groups.views import distance_filter
from app.i18n import COOKIE

pytestmark = pytest.mark.one_database  # words, not SQL


def in_language(app, locale: str):
    return app.test_request_context("/", headers={"Cookie": f"{COOKIE}={locale}"})


def test_distances_pace_and_route_scale_write_the_readers_unit(app):
    with app.app_context(), in_language(app, "ar"):
        assert distance_filter(25_000, "km") == "25.00 كم"
        assert units.format_distance(150_000, "km", compact=True) == "150 كم"
        assert units.format_pace("run", 5_000, 1_500, "km") == "5:00 /كم"
        assert units.unit_label("mi") == "ميل"
    with app.app_context(), in_language(app, "fr"):
        assert distance_filter(25_000, "km") == "25,00 km"
    with app.app_context(), in_language(app, "en"):
        assert distance_filter(25_000, "km") == "25.00 km"
        assert units.format_distance(4_989, "mi") == "3.10 mi"


def test_a_group_page_in_arabic_writes_its_distances_in_arabic(make_user, make_group, log_run, client_for):
    member = make_user(display_name="Wanjiru Kamau")
    member.locale = "ar"
    group = make_group(member, weekly_goal_m=25_000)
    log_run(member, km=5)
    page = client_for(member).get(f"/groups/{group.id}").get_data(as_text=True)
    assert "5.00 كم" in page and '<text class="chart-axis" x="4" y="10">كم</text>' in page
    assert " km" not in page
    assert 'class="goal-label" dir="auto">Wanjiru Kamau</label>' in page  # a Latin name cut at its end
