"""The group pages through the browser's eyes: creating, the directory,
progress bars and goal messages, members' pages, covers, and a group page
that loads in the same number of queries however busy the group is."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.groups import access, challenges, services, social
from app.groups.models import Group
from app.groups.periods import local_today
from tests.helpers import forget_badges, png_bytes


def test_start_a_group_through_the_form(make_user, client_for):
    owner = make_user(timezone="Africa/Nairobi")
    browser = client_for(owner)
    page = browser.get("/groups/new").get_data(as_text=True)
    assert '<option selected value="Africa/Nairobi">' in page
    response = browser.submit("/groups/new", {"name": "Nairobi Hill Runners", "focus": "running",
                                              "visibility": "public", "weekly_goal": "25", "group_goal": "",
                                              "timezone": "Africa/Nairobi", "description": "We run *hills*"})
    assert response.status_code == 302, response.get_data(as_text=True)
    group = db.session.scalar(select(Group))
    assert group.weekly_goal_m == 25_000 and group.group_goal_m is None and access.role_of(group, owner) == "owner"
    shown = browser.get(response.location).get_data(as_text=True)
    assert "<h1>Nairobi Hill Runners</h1>" in shown and "<em>hills</em>" in shown
    bad = browser.submit("/groups/new", {"name": "", "focus": "flying", "visibility": "public", "weekly_goal": "-4",
                                         "timezone": "Africa/Nairobi"})
    assert bad.status_code == 422


def test_progress_bars_and_goal_messages(make_user, make_group, log_run, client_for):
    owner = make_user(display_name="Wanjiru Kamau")
    member = make_user(display_name="Gary Williams")
    group = make_group(owner, weekly_goal_m=25_000, group_goal_m=40_000)
    services.join(group, member)
    log_run(owner, km=26)
    log_run(member, km=7.5)
    page = client_for(member).get(f"/groups/{group.id}").get_data(as_text=True)
    assert re.search(r'<progress id="group-goal" class="goal-bar" max="40000" value="33500"', page)
    assert re.search(r'<progress id="my-goal" class="goal-bar" max="25000" value="7500"', page)
    assert "Wanjiru Kamau reached 25 km this week" in page
    assert "Gary Williams reached" not in page
    assert "17.50 km to go" in page
    assert "style=" not in page.split("<main", 1)[1]


def test_directory_join_and_leave_through_pages(make_user, make_group, client_for):
    owner, visitor = make_user(), make_user()
    public = make_group(owner, name="Lunchtime Walkers", focus="walking")
    make_group(owner, name="Hidden Harriers", visibility="private")
    browser = client_for(visitor)
    listing = browser.get("/groups").get_data(as_text=True)
    assert "Lunchtime Walkers" in listing and "Hidden Harriers" not in listing
    assert "Lunchtime Walkers" in browser.get("/groups?focus=walking").get_data(as_text=True)
    assert "Lunchtime Walkers" not in browser.get("/groups?focus=running").get_data(as_text=True)
    response = browser.submit(f"/groups/{public.id}/join", {}, page=f"/groups/{public.id}")
    assert response.status_code == 302 and access.membership(public, visitor) is not None
    assert "Leave group" in browser.get(f"/groups/{public.id}").get_data(as_text=True)
    browser.submit(f"/groups/{public.id}/leave", {}, page=f"/groups/{public.id}")
    assert access.membership(public, visitor) is None


def test_members_page_approve_and_roles(make_user, make_group, client_for):
    owner, asker, member = make_user(), make_user(display_name="Asha Patel"), make_user()
    group = make_group(owner, visibility="private")
    services.join(group, asker)
    services.join(group, member)
    services.approve(group, owner, member)
    browser = client_for(owner)
    page = browser.get(f"/groups/{group.id}/members").get_data(as_text=True)
    assert "Asking to join" in page and "Approve<span class=\"visually-hidden\"> Asha Patel" in page
    response = browser.submit(f"/groups/{group.id}/requests/{asker.id}/approve", {}, page=f"/groups/{group.id}/members")
    assert response.status_code == 302 and access.role_of(group, asker) == "member"
    browser.submit(f"/groups/{group.id}/members/{asker.id}/role", {"role": "admin"}, page=f"/groups/{group.id}/members")
    assert access.role_of(group, asker) == "admin"
    browser.submit(f"/groups/{group.id}/members/{member.id}/remove", {}, page=f"/groups/{group.id}/members")
    assert access.membership(group, member) is None
    browser.submit(f"/groups/{group.id}/transfer", {"username": asker.username}, page=f"/groups/{group.id}/members")
    assert access.role_of(group, asker) == "owner" and access.role_of(group, owner) == "admin"
    other = client_for(make_user())
    assert other.get(f"/groups/{group.id}/members").status_code == 404


def test_cover_image_is_checked_by_content(make_user, make_group, client_for, client):
    owner = make_user()
    group = make_group(owner)
    browser = client_for(owner)
    response = browser.submit(f"/groups/{group.id}/cover", {"cover": (io.BytesIO(png_bytes(1600, 900)), "c.png")},
                              page=f"/groups/{group.id}/edit")
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.cover_file and group.cover_file.endswith(".jpg")
    image = client.get(f"/groups/{group.id}/cover")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    browser.submit(f"/groups/{group.id}/cover", {"cover": (io.BytesIO(b"MZ\x90\x00not an image"), "c.png")},
                   page=f"/groups/{group.id}/edit")
    db.session.refresh(group)
    assert group.cover_file.endswith(".jpg")  # unchanged
    assert "not a PNG, JPEG, GIF or WebP" in browser.get(f"/groups/{group.id}/edit").get_data(as_text=True)
    assert client_for(make_user()).get(f"/groups/{group.id}/edit").status_code == 403


def test_the_group_page_loads_in_a_fixed_number_of_queries(make_user, make_group, log_run, client_for,
                                                           count_queries):
    owner = make_user()
    group = make_group(owner, group_goal_m=100_000)
    today = local_today("Europe/London")
    challenges.create_challenge(group, owner, title="Big week", kind="distance", target=50_000,
                                starts_on=today, ends_on=today)
    browser = client_for(owner)

    def add(count: int) -> None:
        for _ in range(count):
            member = make_user()
            services.join(group, member)
            activity = log_run(member, km=6)
            log_run(member, km=3)
            social.give_kudos(activity, owner)
            social.add_comment(activity, owner, "Well run!")

    def queries(path: str) -> int:
        def load():
            forget_badges(owner.id)
            assert browser.get(path).status_code == 200

        return count_queries(load)

    add(2)
    small = {path: queries(path) for path in (f"/groups/{group.id}", f"/groups/{group.id}?period=all&by=time")}
    add(8)
    assert {path: queries(path) for path in small} == small
    assert small[f"/groups/{group.id}"] <= 20, small
