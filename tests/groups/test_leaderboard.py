"""Leaderboards: one aggregate query, stable order for ties, sports and
visibility that count, goals, and all-time totals that stay in step."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.groups import activities, services, stats, totals
from app.groups.models import Activity, ActivityTotal


def test_ties_are_ordered_by_distance_then_username_and_share_a_rank(make_user, make_group, log_run, api_for):
    names = ["zoe_runner", "adam_runner", "mia_runner", "ben_runner"]
    users = {name: make_user(name) for name in names}
    group = make_group(users["zoe_runner"])
    for name in names[1:]:
        api_for(users[name]).post(f"/groups/{group.id}/members")
    log_run(users["zoe_runner"], km=10)
    log_run(users["adam_runner"], km=10)
    log_run(users["mia_runner"], km=4)
    log_run(users["mia_runner"], km=4)
    api = api_for(users["adam_runner"])
    for _ in range(3):  # the same answer every time
        rows = api.get(f"/groups/{group.id}/leaderboard?period=week").get_json()["rows"]
        assert [(r["rank"], r["user"]["username"]) for r in rows] == [
            (1, "adam_runner"), (1, "zoe_runner"), (3, "mia_runner"), (4, "ben_runner")]
    rows = api.get(f"/groups/{group.id}/leaderboard?period=week&by=activities").get_json()["rows"]
    assert [(r["rank"], r["user"]["username"], r["activities"]) for r in rows] == [
        (1, "mia_runner", 2), (2, "adam_runner", 1), (2, "zoe_runner", 1), (4, "ben_runner", 0)]
    assert api.get(f"/groups/{group.id}/leaderboard?period=year").status_code == 422


def test_what_counts_for_a_group(make_user, make_group, log_run, api_for):
    runner = make_user()
    runners = make_group(runner, name="Runners", focus="running", weekly_goal_m=10_000)
    mixed = make_group(runner, name="Everything", focus="mixed")
    cyclists = make_group(runner, name="Cyclists", focus="cycling")
    log_run(runner, km=6)
    log_run(runner, km=5)
    log_run(runner, km=40, minutes=90, sport="ride")
    log_run(runner, km=3, visibility="private")  # private: only on the runner's own page
    log_run(runner, km=7, visibility="public")
    log_run(runner, km=9, ago=timedelta(days=400))  # long ago: all time only

    assert stats.leaderboard(runners, "week").rows[0].distance_m == 18_000
    assert stats.leaderboard(runners, "week").rows[0].goal_met is True
    assert stats.leaderboard(runners, "all").rows[0].distance_m == 27_000
    assert stats.leaderboard(runners, "all").rows[0].goal_met is None
    assert stats.leaderboard(mixed, "week").rows[0].distance_m == 58_000
    assert stats.leaderboard(cyclists, "week").rows[0].activities == 1
    body = api_for(runner).get(f"/groups/{runners.id}/leaderboard").get_json()
    assert body["rows"] == [{"rank": 1, "user": {"username": runner.username, "display_name": runner.display_name},
                             "distance_km": 18.0, "activities": 3, "moving_time_s": 6480, "goal_met": True}]
    assert body["period"] == "week" and body["timezone"] == "Europe/London" and body["total_km"] == 18.0


def _raw_totals() -> set:
    return set(db.session.execute(
        select(Activity.user_id, Activity.sport, func.count(), func.sum(Activity.distance_m),
               func.sum(Activity.duration_s))
        .where(Activity.visibility.in_(totals.COUNTED)).group_by(Activity.user_id, Activity.sport)).all())


def _kept_totals() -> set:
    return {tuple(row) for row in db.session.execute(
        select(ActivityTotal.user_id, ActivityTotal.sport, ActivityTotal.activities, ActivityTotal.distance_m,
               ActivityTotal.duration_s).where(ActivityTotal.activities > 0)).all()}


def test_all_time_totals_stay_in_step_with_every_change(make_user, log_run):
    runner, other = make_user(), make_user()
    first = log_run(runner, km=5)
    second = log_run(runner, km=8, visibility="private")
    log_run(other, km=12, sport="ride", minutes=40)
    assert _kept_totals() == _raw_totals()
    activities.update_activity(first, runner, distance_m=6000, sport="walk", duration_s=4000)
    activities.update_activity(second, runner, visibility="public")
    assert _kept_totals() == _raw_totals()
    activities.update_activity(second, runner, visibility="private")
    activities.delete_activity(first, runner)
    assert _kept_totals() == _raw_totals()
    before = _kept_totals()
    totals.rebuild()
    db.session.commit()
    assert _kept_totals() == before


def test_the_leaderboard_is_one_query_whatever_the_size(make_user, make_group, log_run, count_queries):
    owner = make_user()
    group = make_group(owner)
    log_run(owner)
    assert group.timezone  # loaded: only the leaderboard's own queries are counted
    one = {period: count_queries(lambda p=period: stats.leaderboard(group, p)) for period in ("week", "month", "all")}
    for _ in range(5):
        member = make_user()
        services.join(group, member)
        log_run(member)
        log_run(member, km=3)
    assert one == {"week": 1, "month": 1, "all": 1}
    assert group.timezone
    assert {period: count_queries(lambda p=period: stats.leaderboard(group, p)) for period in one} == one
    assert owner.timezone
    assert count_queries(lambda: stats.weekly_totals(owner, 12)) == 1
