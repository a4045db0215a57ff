"""Logging activities by hand: units, validation, editing and deleting your
own, kudos and comments, the Me page and the CSV export."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.groups import activities
from app.groups.models import Activity


def activity_count() -> int:
    return db.session.scalar(select(func.count(Activity.id)))


def errors_on(response) -> list[str]:
    return [html.unescape(text) for text in
            re.findall(r'<p class="error" id="[^"]+">([^<]+)</p>', response.get_data(as_text=True))]


def form(**fields) -> dict:
    data = {"sport": "run", "distance": "5", "duration": "30:00", "date": "2026-01-10", "start_time": "07:15",
            "title": "", "notes": "", "visibility": "groups"}
    data.update(fields)
    return data


def test_log_a_run_by_hand_in_the_members_time_zone(make_user, client_for):
    runner = make_user(timezone="Australia/Sydney")
    browser = client_for(runner)
    response = browser.submit("/activities/new", form(notes="Felt *great*"))
    assert response.status_code == 302, errors_on(response)
    activity = db.session.scalar(select(Activity))
    assert activity.distance_m == 5000 and activity.duration_s == 1800
    assert activity.started_at == datetime(2026, 1, 9, 20, 15, tzinfo=timezone.utc)  # 07:15 AEDT
    assert str(activity.started_on) == "2026-01-10" and activity.timezone == "Australia/Sydney"
    assert activity.title == "Morning run"
    page = browser.get(response.location).get_data(as_text=True)
    assert "Morning run" in page and "5.00 km" in page and "6:00 /km" in page and "<em>great</em>" in page


def test_distances_are_entered_and_shown_in_the_members_unit(make_user, client_for):
    runner = make_user()
    browser = client_for(runner)
    assert "Distance (km)" in browser.get("/activities/new").get_data(as_text=True)
    assert browser.submit("/me/fitness/settings", {"distance_unit": "mi"}, page="/me/fitness").status_code == 302
    page = browser.get("/activities/new").get_data(as_text=True)
    assert "Distance (mi)" in page
    response = browser.submit("/activities/new", form(distance="3.1", duration="27:54"))
    assert response.status_code == 302
    activity = db.session.scalar(select(Activity))
    assert activity.distance_m == 4989  # 3.1 x 1,609.344 = 4,988.97 m
    shown = browser.get(response.location).get_data(as_text=True)
    assert "3.10 mi" in shown and "9:00 /mi" in shown
    assert activities.unit_of(runner) == "mi"


@pytest.mark.parametrize("fields, field, message", [
    ({"distance": "900"}, "distance", "A 900 km run is not plausible: the most we accept for one run is 250 km"),
    ({"distance": "-3"}, "distance", "can't be negative"),
    ({"distance": "five"}, "distance", "Give a number"),
    ({"duration": "0"}, "duration", "more than zero"),
    ({"duration": "ten"}, "duration", "Write the duration"),
    ({"distance": "42", "duration": "20:00"}, "duration", "faster than anyone can run"),
    ({"sport": "ride", "distance": "1500", "duration": "60:00:00"}, "distance", "the most we accept for one ride"),
])
def test_implausible_activities_are_refused_with_a_clear_message(make_user, client_for, fields, field, message):
    browser = client_for(make_user())
    response = browser.submit("/activities/new", form(**fields))
    assert response.status_code == 422
    assert any(message in error for error in errors_on(response)), errors_on(response)
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert activity_count() == 0


def test_no_dates_in_the_future_in_the_members_time_zone(make_user, client_for, api_for):
    runner = make_user(timezone="Pacific/Kiritimati")  # UTC+14: its "today" is ahead of most of the world
    local_today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    browser = client_for(runner)
    tomorrow = (local_today + timedelta(days=1)).isoformat()
    response = browser.submit("/activities/new", form(date=tomorrow))
    assert response.status_code == 422
    assert any("in the future in your time zone (Pacific/Kiritimati)" in e for e in errors_on(response))
    # Today in Kiritimati is fine at 00:01, even where it is still yesterday in UTC.
    assert browser.submit("/activities/new", form(date=local_today.isoformat(), start_time="00:01")).status_code == 302
    api = api_for(runner)
    later = (datetime.now(timezone.utc) + timedelta(hours=2)).isoformat()
    response = api.post("/activities", json={"sport": "run", "distance_km": 5, "duration_min": 30, "started_at": later})
    assert response.status_code == 422 and "future" in " ".join(response.get_json()["error"]["fields"].values())
    assert activity_count() == 1


def test_api_create_list_edit_delete_and_only_the_owner_may_change(make_user, api_for):
    owner, other = make_user(), make_user()
    api = api_for(owner)
    created = api.post("/activities", json={"sport": "run", "distance_mi": 10, "duration_min": 80,
                                            "date": "2026-01-05", "start_time": "06:30", "title": "Ten miler",
                                            "visibility": "public"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["distance_km"] == 16.093 and body["distance_mi"] == 10.0 and body["duration_s"] == 4800
    assert body["date"] == "2026-01-05" and body["started_at"] == "2026-01-05T06:30:00+00:00"
    listing = api.get("/activities").get_json()
    assert listing["total"] == 1 and listing["items"][0]["title"] == "Ten miler"

    stranger = api_for(other)
    assert stranger.get(f"/activities/{body['id']}").status_code == 200  # public
    assert stranger.get("/activities").get_json()["total"] == 0  # "mine" only
    assert stranger.patch(f"/activities/{body['id']}", json={"title": "Mine now"}).status_code == 403
    assert stranger.delete(f"/activities/{body['id']}").status_code == 403

    changed = api.patch(f"/activities/{body['id']}", json={"distance_km": 900})
    assert changed.status_code == 422 and "not plausible" in changed.get_json()["error"]["fields"]["distance"]
    changed = api.patch(f"/activities/{body['id']}", json={"title": "Ten miles", "visibility": "private"})
    assert changed.status_code == 200 and changed.get_json()["title"] == "Ten miles"
    assert stranger.get(f"/activities/{body['id']}").status_code == 404  # private now
    assert api.delete(f"/activities/{body['id']}").status_code == 204
    assert activity_count() == 0


def test_api_refuses_bad_bodies_by_field(make_user, api_for):
    api = api_for(make_user())
    response = api.post("/activities", json={"sport": "skate", "distance_km": -1})
    assert response.status_code == 422
    assert {"sport", "distance_km"} <= set(response.get_json()["error"]["fields"])
    response = api.post("/activities", json={"sport": "run", "distance_km": 5, "distance_mi": 3, "duration_min": 30,
                                             "date": "2026-01-05"})
    assert response.status_code == 422 and "distance_mi" in response.get_json()["error"]["fields"]
    response = api.post("/activities", data="x", content_type="text/plain")
    assert response.status_code == 415


def test_kudos_and_comments(make_user, make_group, log_run, client_for, api_for):
    runner, friend = make_user(), make_user()
    group = make_group(runner)
    api_for(friend).post(f"/groups/{group.id}/members")
    activity = log_run(runner, title="Sunrise 10k", km=10, minutes=55)
    friend_api = api_for(friend)
    assert friend_api.post(f"/activities/{activity.id}/kudos").get_json() == {"kudos": True, "kudos_count": 1}
    assert friend_api.post(f"/activities/{activity.id}/kudos").get_json() == {"kudos": True, "kudos_count": 1}
    assert api_for(runner).post(f"/activities/{activity.id}/kudos").status_code == 409  # not to yourself
    comment = friend_api.post(f"/activities/{activity.id}/comments", json={"body": "**Brilliant** <script>x</script>"})
    assert comment.status_code == 201
    assert comment.get_json()["body_html"].startswith("<p><strong>Brilliant</strong> &lt;script&gt;")
    assert friend_api.post(f"/activities/{activity.id}/comments", json={"body": ""}).status_code == 422

    page = client_for(runner).get(f"/groups/{group.id}").get_data(as_text=True)
    assert "1 kudos" in page and "<strong>Brilliant</strong>" in page and "<script>x" not in page
    notes = client_for(runner).get("/notifications").get_data(as_text=True)
    assert "gave kudos to “Sunrise 10k”" in notes and "commented on “Sunrise 10k”" in notes

    browser = client_for(friend)
    response = browser.submit(f"/activities/{activity.id}/kudos", {"undo": "1", "group_id": str(group.id)},
                              page=f"/groups/{group.id}")
    assert response.status_code == 302 and response.location.endswith(f"/groups/{group.id}#activity-{activity.id}")
    assert friend_api.get(f"/activities/{activity.id}/comments").get_json()[0]["user"]["username"] == friend.username
    comment_id = comment.get_json()["id"]
    assert api_for(make_user()).delete(f"/activities/{activity.id}/comments/{comment_id}").status_code == 404
    assert api_for(runner).delete(f"/activities/{activity.id}/comments/{comment_id}").status_code == 204


def test_me_page_chart_streaks_bests_and_csv(make_user, log_run, client_for):
    runner = make_user(timezone="UTC")
    now = datetime.now(timezone.utc)
    for days_ago, km in ((0, 5), (1, 8), (2, 6), (9, 21.1), (10, 3)):
        log_run(runner, km=km, minutes=km * 5.5, started_at=now - timedelta(days=days_ago, minutes=5),
                title="=HYPERLINK(\"x\")" if km == 3 else None)
    browser = client_for(runner)
    page = browser.get("/me/fitness").get_data(as_text=True)
    assert page.count('class="chart-bar') == 12
    assert "Current streak</dt><dd>3 days" in page and "Longest streak</dt><dd>3 days" in page
    assert "21.10 km" in page and "5:30 /km" in page
    assert "style=" not in page.split("<main", 1)[1]
    response = browser.get("/me/fitness/activities.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["distance_km"] for row in rows][-1] == "5.000" and len(rows) == 5
    assert any(row["title"].startswith("'=HYPERLINK") for row in rows)  # no formulas in spreadsheets
