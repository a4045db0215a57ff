"""Challenges: set by admins, everyone's progress, badges on profiles that
follow the activities, and private groups' badges kept private."""

from __future__ import annotations

from datetime import date, timedelta

from app.groups import activities, challenges, services
from app.groups.periods import local_today


def _window():
    today = local_today("Europe/London")
    return today - timedelta(days=3), today + timedelta(days=3)


def test_a_distance_challenge_progress_and_badge(make_user, make_group, log_run, api_for, client_for, client):
    owner, runner = make_user(), make_user(display_name="Wanjiru Kamau")
    group = make_group(owner)
    api_for(runner).post(f"/groups/{group.id}/members")
    first, last = _window()
    owner_api = api_for(owner)
    assert api_for(runner).post(f"/groups/{group.id}/challenges", json={
        "title": "20 km this week", "kind": "distance", "target_km": 20, "starts_on": first.isoformat(),
        "ends_on": last.isoformat()}).status_code == 403
    response = owner_api.post(f"/groups/{group.id}/challenges", json={
        "title": "20 km this week", "kind": "distance", "target_km": 20, "starts_on": first.isoformat(),
        "ends_on": last.isoformat()})
    assert response.status_code == 201, response.get_json()
    challenge_id = response.get_json()["id"]
    assert response.get_json()["target"] == 20.0

    log_run(runner, km=12)
    run = log_run(runner, km=9)
    log_run(owner, km=5)
    detail = owner_api.get(f"/groups/{group.id}/challenges/{challenge_id}").get_json()
    assert [(p["user"]["username"], p["value"], p["completed"]) for p in detail["progress"]] == [
        (runner.username, 21.0, True), (owner.username, 5.0, False)]
    profile = client.get(f"/u/{runner.username}").get_data(as_text=True)
    assert "Challenge badges" in profile and "20 km this week" in profile
    assert "Challenge badges" not in client.get(f"/u/{owner.username}").get_data(as_text=True)
    page = client_for(runner).get(f"/groups/{group.id}/challenges/{challenge_id}").get_data(as_text=True)
    assert "Completed" in page and "21.00 km" in page

    activities.delete_activity(run, runner)  # the badge goes with the activity that earned it
    assert "20 km this week" not in client.get(f"/u/{runner.username}").get_data(as_text=True)


def test_a_days_challenge_counts_distinct_days_and_is_computed_when_set(make_user, make_group, log_run):
    owner = make_user(timezone="Europe/London")
    group = make_group(owner)
    for days_ago in (0, 1, 1, 2):
        log_run(owner, ago=timedelta(days=days_ago, minutes=30))
    first, last = _window()
    challenge = challenges.create_challenge(group, owner, title="Run 3 days", kind="days", target=3,
                                            starts_on=first, ends_on=last)
    rows = challenges.progress(challenge)
    assert rows[0]["value"] == 3 and rows[0]["completed"]
    assert [c.challenge.title for c in challenges.badges(owner, owner)] == ["Run 3 days"]


def test_challenge_rules(make_user, make_group, api_for):
    owner = make_user()
    group = make_group(owner)
    api = api_for(owner)

    def create(**fields):
        body = {"title": "Spring miles", "kind": "distance", "target_km": 50, "starts_on": "2026-03-01",
                "ends_on": "2026-03-31", **fields}
        return api.post(f"/groups/{group.id}/challenges", json=body)

    assert "ends_on" in create(ends_on="2026-02-01").get_json()["error"]["fields"]
    assert "target" in create(kind="days", target_days=40, target_km=None).get_json()["error"]["fields"]
    assert "sport" in create(sport="ride").get_json()["error"]["fields"]
    assert "target_km" in create(target_km=None).get_json()["error"]["fields"]
    interest = make_group(owner, focus="interest", name="Book club")
    response = api.post(f"/groups/{interest.id}/challenges", json={
        "title": "Read", "kind": "days", "target_days": 3, "starts_on": "2026-03-01", "ends_on": "2026-03-31"})
    assert response.status_code == 422
    made = create()
    assert made.status_code == 201
    assert made.get_json()["starts_at"] == "2026-03-01T00:00:00+00:00"  # London, before summer time
    assert made.get_json()["ends_at"] == "2026-03-31T23:00:00+00:00"  # ... and after it started


def test_badges_of_private_groups_stay_private(make_user, make_group, log_run, api_for, client_for, client):
    owner, member = make_user(), make_user()
    group = make_group(owner, name="Secret Squirrels", visibility="private")
    api_for(member).post(f"/groups/{group.id}/members")
    api_for(owner).post(f"/groups/{group.id}/requests/{member.username}/approve")
    first, last = _window()
    challenges.create_challenge(group, owner, title="Hidden hill challenge", kind="distance", target=1000,
                                starts_on=first, ends_on=last)
    log_run(member, km=2)
    assert "Hidden hill challenge" not in client.get(f"/u/{member.username}").get_data(as_text=True)
    assert "Hidden hill challenge" not in client_for(make_user()).get(f"/u/{member.username}").get_data(as_text=True)
    assert "Hidden hill challenge" in client_for(owner).get(f"/u/{member.username}").get_data(as_text=True)
    assert "Hidden hill challenge" in client_for(member).get(f"/u/{member.username}").get_data(as_text=True)


def test_challenges_keep_their_days_when_the_group_changes_time_zone(make_user, make_group):
    owner = make_user()
    group = make_group(owner, timezone="UTC")
    challenge = challenges.create_challenge(group, owner, title="March", kind="distance", target=1000,
                                            starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31))
    services.update_group(group, owner, timezone="Australia/Sydney")
    assert challenge.starts_at.isoformat() == "2026-02-28T13:00:00+00:00"
