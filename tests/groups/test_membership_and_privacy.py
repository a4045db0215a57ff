"""Joining, private groups and their requests, roles, removal, handing
over; and what non-members of a private group never see."""

from __future__ import annotations

from app.groups import access, services


def test_a_join_request_is_approved_and_then_counted(make_user, make_group, log_run, api_for, client_for):
    owner, asker = make_user(), make_user(display_name="Wanjiru Kamau")
    group = make_group(owner, visibility="private")
    log_run(asker, km=12)
    asker_api, owner_api = api_for(asker), api_for(owner)

    assert asker_api.post(f"/groups/{group.id}/members").get_json() == {"status": "pending"}
    assert asker_api.post(f"/groups/{group.id}/members").get_json() == {"status": "pending"}  # once
    assert asker_api.get(f"/groups/{group.id}/leaderboard").status_code == 404
    board = owner_api.get(f"/groups/{group.id}/leaderboard?period=week").get_json()
    assert [row["user"]["username"] for row in board["rows"]] == [owner.username]
    requests = owner_api.get(f"/groups/{group.id}/requests").get_json()
    assert [r["user"]["username"] for r in requests] == [asker.username]
    assert "asked to join" in client_for(owner).get("/notifications").get_data(as_text=True)
    assert asker_api.get(f"/groups/{group.id}/requests").status_code == 404

    approved = owner_api.post(f"/groups/{group.id}/requests/{asker.username}/approve")
    assert approved.status_code == 200 and approved.get_json()["role"] == "member"
    board = asker_api.get(f"/groups/{group.id}/leaderboard?period=week").get_json()
    assert board["rows"][0]["user"]["username"] == asker.username
    assert board["rows"][0]["distance_km"] == 12.0 and board["rows"][0]["activities"] == 1
    assert owner_api.get(f"/groups/{group.id}/requests").get_json() == []


def test_rejected_and_withdrawn_requests(make_user, make_group, api_for):
    owner, asker = make_user(), make_user()
    group = make_group(owner, visibility="private")
    api = api_for(asker)
    api.post(f"/groups/{group.id}/members")
    assert api_for(owner).delete(f"/groups/{group.id}/requests/{asker.username}").status_code == 204
    assert access.membership(group, asker) is None and not access.has_requested(group, asker)
    api.post(f"/groups/{group.id}/members")
    assert api.delete(f"/groups/{group.id}/members").status_code == 204  # withdraw
    assert not access.has_requested(group, asker)


def test_a_private_group_is_invisible_to_non_members(make_user, make_group, log_run, api_for, client_for,
                                                     client, index_now):
    owner, outsider = make_user(), make_user()
    group = make_group(owner, name="Zanzibar Night Owls", visibility="private",
                       description="Secret sunrise intervals")
    activity = log_run(owner, title="Quokka tempo run", visibility="groups")
    index_now()
    outsider_api = api_for(outsider)
    for path in (f"/groups/{group.id}", f"/groups/{group.id}/leaderboard", f"/groups/{group.id}/activities",
                 f"/groups/{group.id}/members", f"/groups/{group.id}/challenges", f"/activities/{activity.id}"):
        assert outsider_api.get(path).status_code == 404, path
        assert api_for(owner).get(path).status_code == 200, path
    assert outsider_api.get("/groups").get_json()["total"] == 0
    assert outsider_api.get("/activities").get_json()["total"] == 0
    for who in (outsider_api, api_for(make_user())):
        results = who.get("/search?q=Zanzibar").get_json()
        assert results["total"] == 0
        assert who.get("/search?q=Quokka").get_json()["total"] == 0
    found = api_for(owner).get("/search?q=Zanzibar").get_json()
    assert [(r["type"], r["id"]) for r in found["results"]] == [("group", group.id)]

    page = client_for(outsider).get(f"/groups/{group.id}")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "Zanzibar Night Owls" in text and "Ask to join" in text
    assert "Quokka" not in text and "Secret sunrise" not in text and "Leaderboard" not in text
    assert client.get(f"/groups/{group.id}").status_code == 403  # signed out too
    assert "Zanzibar" not in client_for(outsider).get("/groups").get_data(as_text=True)
    assert client_for(outsider).get(f"/activities/{activity.id}").status_code == 404


def test_public_groups_are_found_by_everyone(make_user, make_group, api, index_now):
    make_group(name="Harbourside Paddlers", focus="swimming", description="Open water on Saturdays")
    index_now()
    results = api.get("/search?q=Paddlers").get_json()
    assert results["total"] == 1 and results["results"][0]["url"].startswith("/groups/")


def test_roles_removal_and_handing_over(make_user, make_group, api_for):
    owner, admin, member, other = make_user(), make_user(), make_user(), make_user()
    group = make_group(owner)
    for user in (admin, member, other):
        assert api_for(user).post(f"/groups/{group.id}/members").get_json() == {"status": "member"}
    owner_api, admin_api, member_api = api_for(owner), api_for(admin), api_for(member)
    assert member_api.patch(f"/groups/{group.id}/members/{admin.username}", json={"role": "admin"}).status_code == 403
    promoted = owner_api.patch(f"/groups/{group.id}/members/{admin.username}", json={"role": "admin"})
    assert promoted.get_json()["role"] == "admin"
    assert owner_api.patch(f"/groups/{group.id}/members/{admin.username}", json={"role": "owner"}).status_code == 422
    assert member_api.delete(f"/groups/{group.id}/members/{other.username}").status_code == 403
    assert admin_api.delete(f"/groups/{group.id}/members/{other.username}").status_code == 204
    assert admin_api.delete(f"/groups/{group.id}/members/{owner.username}").status_code == 403
    assert owner_api.delete(f"/groups/{group.id}/members").status_code == 409  # the owner can't just leave
    assert owner_api.post(f"/groups/{group.id}/owner", json={"username": other.username}).status_code == 422
    handed = owner_api.post(f"/groups/{group.id}/owner", json={"username": member.username})
    assert handed.status_code == 200 and handed.get_json()["role"] == "owner"
    roles = {row["user"]["username"]: row["role"] for row in member_api.get(f"/groups/{group.id}/members").get_json()}
    assert roles == {owner.username: "admin", admin.username: "admin", member.username: "owner"}
    assert owner_api.delete(f"/groups/{group.id}/members").status_code == 204  # now they may leave
    assert services.member_count(group) == 2


def test_group_api_create_validation_and_update(make_user, api_for):
    api = api_for(make_user(timezone="Asia/Tokyo"))
    response = api.post("/groups", json={"name": "Sakura Striders", "sport": "running", "weekly_goal_km": 20,
                                         "visibility": "public"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["focus"] == "running" and body["weekly_goal_km"] == 20.0 and body["timezone"] == "Asia/Tokyo"
    assert body["my_role"] == "owner" and body["member_count"] == 1 and body["week"]["total_km"] == 0
    bad = api.post("/groups", json={"name": "x", "focus": "running", "timezone": "Mars/Olympus", "weekly_goal_km": 0})
    assert bad.status_code == 422
    assert {"name", "timezone", "weekly_goal"} <= set(bad.get_json()["error"]["fields"])
    changed = api.patch(f"/groups/{body['id']}", json={"group_goal_km": 150.5, "visibility": "private"})
    assert changed.get_json()["group_goal_km"] == 150.5 and changed.get_json()["visibility"] == "private"
    assert api_for(make_user()).patch(f"/groups/{body['id']}", json={"name": "Mine"}).status_code == 404
