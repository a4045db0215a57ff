"""The group's week in figures that add up: the whole group's distance and
its goal are the same thing over the same week, on the page and in the API;
and a public group shows its feed and totals before joining (a private one
shows nothing to outsiders)."""

from __future__ import annotations

from datetime import timedelta

from app.groups import services, stats
from tests.helpers import ApiClient


def eight_runners(make_user, make_group, log_run, **goals):
    """Eight members with a 25 km weekly goal each, and this week's runs."""
    members = [make_user(f"runner_{n}") for n in range(8)]
    group = make_group(members[0], weekly_goal_m=25_000, **goals)
    for member in members[1:]:
        services.join(group, member)
    log_run(members[0], km=5)
    log_run(members[1], km=7.25)
    log_run(members[2], km=3.1, visibility="public")
    # None of these is in the group's week: private, another sport, last week.
    log_run(members[3], km=10, visibility="private")
    log_run(members[4], km=20, sport="ride", minutes=50)
    log_run(members[5], km=12, ago=timedelta(days=8))
    return group, members


def test_the_group_total_is_set_against_the_members_goals_added_up(make_user, make_group, log_run):
    group, _members = eight_runners(make_user, make_group, log_run)
    board = stats.leaderboard(group, "week")
    assert board.total_m == 5_000 + 7_250 + 3_100
    goal = board.group_goal
    assert (goal.goal_m, goal.basis, goal.members, goal.members_goal_m) == (200_000, "members", 8, 200_000)
    assert board.goal_reached is False
    assert stats.leaderboard(group, "month").group_goal is None  # a goal is a week's


def test_the_groups_own_weekly_goal_wins_and_says_so(make_user, make_group, log_run, client):
    group, _members = eight_runners(make_user, make_group, log_run, group_goal_m=150_000)
    goal = stats.leaderboard(group, "week").group_goal
    assert (goal.goal_m, goal.basis, goal.members_goal_m) == (150_000, "group", 200_000)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "15.35 km <span class=\"muted\">of 150.00 km</span>" in page
    assert "What its 8 members logged this week, towards" in page
    assert "the group's weekly goal of 150.00 km (their own goals add up to 200.00 km)." in page


def test_together_the_group_passes_its_goal(make_user, make_group, log_run):
    group, members = eight_runners(make_user, make_group, log_run, group_goal_m=15_000)
    assert stats.goal_messages(stats.leaderboard(group, "week"))[0] == (
        "Together the group passed its goal of 15 km this week")
    services.update_group(group, members[0], weekly_goal_m=None, group_goal_m=None)
    assert stats.leaderboard(group, "week").group_goal is None


def test_the_api_gives_the_same_week_to_visitors_and_members(app, make_user, make_group, log_run, api_for):
    group, members = eight_runners(make_user, make_group, log_run)
    visitor = ApiClient(app.test_client())
    week = visitor.get(f"/groups/{group.id}").get_json()["week"]
    assert {k: week[k] for k in ("total_km", "goal_km", "goal_basis", "group_goal_km", "members", "my_km")} == {
        "total_km": 15.35, "goal_km": 200.0, "goal_basis": "members", "group_goal_km": None, "members": 8,
        "my_km": None}
    assert api_for(members[1]).get(f"/groups/{group.id}").get_json()["week"]["my_km"] == 7.25
    board = visitor.get(f"/groups/{group.id}/leaderboard").get_json()
    assert (board["total_km"], board["goal_km"], board["goal_basis"]) == (15.35, 200.0, "members")
    board = visitor.get(f"/groups/{group.id}/leaderboard?period=all").get_json()
    assert (board["goal_km"], board["goal_basis"]) == (None, None)


def test_days_left_in_the_week_are_counted_in_words(make_user, make_group, log_run, client_for):
    group, members = eight_runners(make_user, make_group, log_run)
    page = client_for(members[1]).get(f"/groups/{group.id}").get_data(as_text=True)
    assert "17.75 km to go," in page
    assert "day(s)" not in page
    assert any(f"{n} days left this week" in page for n in range(2, 8)) or "1 day left this week" in page


def test_a_public_group_shows_its_feed_and_totals_before_joining(app, make_user, make_group, log_run, client_for):
    group, members = eight_runners(make_user, make_group, log_run)
    outsider = make_user("outsider")
    for viewer in (app.test_client(), client_for(outsider)):
        page = viewer.get(f"/groups/{group.id}")
        assert page.status_code == 200
        text = " ".join(page.get_data(as_text=True).split())
        assert "15.35 km <span class=\"muted\">of 200.00 km</span>" in text  # every counted run, in the totals
        assert text.count('class="card activity-card"') == 1  # the one public run, in the feed
        assert "3 activities are shared with the group's members only." in text  # last week's too
        assert "No activities yet" not in text
    api = ApiClient(app.test_client())
    feed = api.get(f"/groups/{group.id}/activities").get_json()
    assert [item["distance_km"] for item in feed["items"]] == [3.1]
    assert api.get(f"/groups/{group.id}").get_json()["members_only_activities"] == 3
    member_page = client_for(members[1]).get(f"/groups/{group.id}").get_data(as_text=True)
    assert member_page.count('class="card activity-card"') == 4 and "members only" not in member_page


def test_a_private_group_shows_outsiders_nothing(app, make_user, make_group, log_run, client_for):
    group, _members = eight_runners(make_user, make_group, log_run, visibility="private")
    outsider = make_user("outsider")
    for viewer in (app.test_client(), client_for(outsider)):
        page = viewer.get(f"/groups/{group.id}")
        assert page.status_code == 403
        text = page.get_data(as_text=True)
        assert "km" not in text and "activity-card" not in text
    api = ApiClient(app.test_client())
    for path in ("", "/activities", "/leaderboard", "/members"):
        assert api.get(f"/groups/{group.id}{path}").status_code == 404
