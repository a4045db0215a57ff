"""The weekly charts show the goal as a dashed, labelled line: the member's
own weekly goal on their chart, the group's whole goal on the group's; both
say it in words too (the SVG's description and a sentence under it), and
both are in the API. Bad goals are refused on the form and in the API."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.groups import activities, charts, services, stats

MONDAY = date(2026, 11, 30)


def test_the_axis_reaches_the_goal_and_the_line_sits_at_its_height():
    weeks = [stats.Week(first_day=MONDAY, distance_m=m) for m in (0, 10_000, 30_000)]
    chart = charts.weekly_bars(weeks, "km", goal_m=25_000)
    assert chart["ticks"][-1]["value"] == "50"  # 30 km and the 25 km goal fit under 50
    assert chart["goal"]["label"] == "Goal 25 km" and chart["goal"]["met"] == 1
    assert chart["goal"]["y"] == (12 + 172 - Decimal(172) / 2).quantize(Decimal("0.1"))  # half way up
    assert [bar["met"] for bar in chart["bars"]] == [False, False, True]
    low = charts.weekly_bars([stats.Week(first_day=MONDAY, distance_m=1000)], "km", goal_m=40_000)
    assert low["ticks"][-1]["value"] == "50" and low["goal"]["y"] > 12  # the line is inside the plot
    assert charts.weekly_bars(weeks, "km")["goal"] is None


def goal_line(html: str, name: str) -> str:
    match = re.search(r'<g class="chart-goal">\s*<line [^>]*></line>\s*<text [^>]*>([^<]+)</text>', html)
    assert match, f"no goal line on the {name}"
    return match.group(1)


def test_my_chart_shows_my_own_weekly_goal(make_user, client_for, log_run):
    runner = make_user()
    log_run(runner, km=12)
    browser = client_for(runner)
    assert 'class="chart-goal"' not in browser.get("/me/fitness").get_data(as_text=True)
    response = browser.submit("/me/fitness/settings", {"distance_unit": "km", "weekly_goal": "20"},
                              page="/me/fitness", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "a weekly goal of 20.00 km" in html
    assert goal_line(html, "personal chart") == "Goal 20 km"
    assert "The dashed line is the goal, 20 km a week: reached in 0 of these 12 weeks." in html
    assert re.search(r'<input [^>]*name="weekly_goal"[^>]*value="20"', html)
    log_run(runner, km=9)
    html = browser.get("/me/fitness").get_data(as_text=True)
    assert "reached in 1 of these 12 weeks" in html
    browser.submit("/me/fitness/settings", {"distance_unit": "mi", "weekly_goal": "10"}, page="/me/fitness")
    assert activities.settings_of(runner).weekly_goal_m == 16093
    assert goal_line(browser.get("/me/fitness").get_data(as_text=True), "personal chart") == "Goal 10 mi"
    browser.submit("/me/fitness/settings", {"distance_unit": "mi", "weekly_goal": ""}, page="/me/fitness")
    assert activities.settings_of(runner).weekly_goal_m is None


@pytest.mark.parametrize("typed, message", [("0", "more than 0"), ("-5", "more than 0"),
                                            ("20000", "at most 10,000 km"), ("lots", "Give a number")])
def test_a_bad_goal_is_a_form_message_and_nothing_changes(make_user, client_for, typed, message):
    runner = make_user()
    browser = client_for(runner)
    response = browser.submit("/me/fitness/settings", {"distance_unit": "km", "weekly_goal": typed},
                              page="/me/fitness")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert activities.settings_of(runner).weekly_goal_m is None


def test_the_api_sets_reads_and_charts_my_goal(make_user, api_for, log_run):
    runner = make_user()
    log_run(runner, km=12)
    api = api_for(runner)
    assert api.get("/me/fitness-settings").get_json() == {"distance_unit": "km", "weekly_goal_km": None}
    response = api.request("PUT", "/me/fitness-settings", json={"weekly_goal_km": 10})
    assert response.status_code == 200 and response.get_json() == {"distance_unit": "km", "weekly_goal_km": 10.0}
    body = api.get("/me/fitness-weeks").get_json()
    assert body["goal_km"] == 10.0 and len(body["weeks"]) == 12
    assert body["weeks"][-1]["distance_km"] == 12.0 and body["weeks"][-1]["goal_met"] is True
    assert body["weeks"][0]["goal_met"] is False
    for bad in ({"weekly_goal_km": 0}, {"weekly_goal_km": -1}, {"weekly_goal_km": 20000}, {"weekly_goal_km": "x"}):
        response = api.request("PUT", "/me/fitness-settings", json=bad)
        assert response.status_code == 422, bad
        assert "weekly_goal" in next(iter(response.get_json()["error"]["fields"]))
    cleared = api.request("PUT", "/me/fitness-settings", json={"weekly_goal_km": None})
    assert cleared.get_json()["weekly_goal_km"] is None
    assert api.get("/me/fitness-weeks").get_json()["weeks"][-1]["goal_met"] is None


def test_the_group_chart_shows_the_groups_goal(make_user, make_group, log_run, client, api_for):
    owner, other = make_user(), make_user()
    group = make_group(owner, weekly_goal_m=25_000)
    services.join(group, other)
    log_run(owner, km=30)
    log_run(other, km=8, ago=timedelta(days=8))
    html = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "The group's last 12 weeks" in html
    assert goal_line(html, "group chart") == "Goal 50 km"  # two members' 25 km goals
    assert "The dashed line is the goal, 50 km a week: reached in 0 of these 12 weeks." in html
    body = api_for(other).get(f"/groups/{group.id}/weeks").get_json()
    assert body["goal_km"] == 50.0 and body["goal_basis"] == "members"
    assert body["weeks"][-1]["distance_km"] == 30.0 and body["weeks"][-2]["distance_km"] in (0.0, 8.0)


def test_a_private_groups_chart_is_for_members_only(make_user, make_group, api_for, client):
    owner = make_user()
    group = make_group(owner, visibility="private")
    assert api_for(make_user()).get(f"/groups/{group.id}/weeks").status_code == 404
    assert client.get(f"/api/v1/groups/{group.id}/weeks").status_code == 404
    assert api_for(owner).get(f"/groups/{group.id}/weeks").status_code == 200
