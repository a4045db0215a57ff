"""A runner logs a run from the group page and watches the weekly progress bar
move; a visitor sees a public group's feed and figures that add up."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db
from app.groups import activities, periods
from app.groups import services as groups
from tests.e2e.conftest import educator, sign_in
from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


def make_group(app) -> int:
    with app.app_context():
        owner = educator("wanjiru_k", "Wanjiru Kamau", country="KE")
        group = groups.create_group(owner, name="Staffroom Runners", focus="running", weekly_goal_m=25_000,
                                    group_goal_m=100_000, timezone="Europe/London")
        group_id = group.id
        db.session.remove()
    return group_id


def test_log_a_run_and_watch_the_weekly_progress_bar_move(page: Page, live_server):
    group_id = make_group(live_server.app)
    csp_violations = []
    page.on("console", lambda message: csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    page.goto("/login")
    page.get_by_label("Username or email").fill("wanjiru_k")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"/groups/{group_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staffroom Runners")
    my_bar = page.get_by_label("You", exact=True)
    group_bar = page.get_by_label("Group total", exact=True)
    expect(my_bar).to_have_attribute("value", "0")
    expect(my_bar).to_have_attribute("max", "25000")
    expect(group_bar).to_have_attribute("value", "0")

    page.get_by_role("link", name="Log an activity").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an activity")
    page.get_by_label("Sport").select_option(label="Run")
    page.get_by_label("Distance (km)").fill("8.5")
    page.get_by_label("Duration").fill("45:00")
    page.get_by_label("Title").fill("Canal towpath run")
    page.get_by_role("button", name="Log activity").click()

    expect(page).to_have_url(re.compile(rf"/groups/{group_id}$"))
    expect(page.get_by_role("status")).to_contain_text("“Canal towpath run” is logged: 8.50 km.")
    expect(page.get_by_label("You", exact=True)).to_have_attribute("value", "8500")
    expect(page.get_by_label("Group total", exact=True)).to_have_attribute("value", "8500")
    expect(page.get_by_text("16.50 km to go")).to_be_visible()
    expect(page.get_by_role("link", name="Canal towpath run")).to_be_visible()

    # A second run past the goal: the bar fills and the message appears.
    page.get_by_role("link", name="Log an activity").first.click()
    page.get_by_label("Distance (km)").fill("17")
    page.get_by_label("Duration").fill("1:40:00")
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_label("You", exact=True)).to_have_attribute("value", "25000")
    expect(page.get_by_role("list", name="Goals reached this week")).to_contain_text(
        "Wanjiru Kamau reached 25 km this week")
    assert csp_violations == []


def test_a_public_group_adds_up_for_visitors_and_members(new_page, live_server, shot):
    """Four members with a 25 km goal each: the group total is set against
    100 km and says so; a visitor sees the public run in the feed and is told
    about the members-only ones; a member reads the days left in words."""
    with live_server.app.app_context():
        names = ["wanjiru_k", "chidi_o", "emma_c", "gary_w"]
        people = [accounts.register(email_verified=True, username=name, email=f"{name}@school.example",
                                    password=PASSWORD, display_name=name.replace("_", " ").title(), country="GB",
                                    timezone="Europe/London") for name in names]
        group = groups.create_group(people[0], name="Staffroom Runners", focus="running", weekly_goal_m=25_000,
                                    timezone="Europe/London")
        for person in people[1:]:
            groups.join(group, person)
        started = max(utcnow() - timedelta(minutes=5),
                      periods.period("week", "Europe/London").start + timedelta(seconds=1))
        for person, km, shared in ((people[0], 7.5, "public"), (people[1], 5, "groups"), (people[2], 3.25, "groups")):
            activities.log_activity(person, sport="run", distance_m=int(km * 1000), duration_s=int(km * 330),
                                    started_at=started, title=f"{person.display_name}'s run", visibility=shared)
        group_id = group.id
        db.session.remove()

    visitor = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    visitor.goto(f"/groups/{group_id}")
    total = visitor.get_by_label("Group total", exact=True)
    expect(total).to_have_attribute("value", "15750")
    expect(total).to_have_attribute("max", "100000")
    expect(visitor.locator("#group-goal-note")).to_have_text(
        "What its 4 members logged this week, towards their weekly goals added up: 4 × 25.00 km.")
    feed = visitor.get_by_role("region", name="Activities")
    expect(feed.get_by_role("link", name="Wanjiru K's run")).to_be_visible()
    expect(feed).not_to_contain_text("Chidi O's run")
    expect(feed).to_contain_text("2 activities are shared with the group's members only.")
    expect(feed).not_to_contain_text("No activities yet")
    shot(visitor, "5-group-390")

    member = new_page(viewport={"width": 1280, "height": 800})
    sign_in(member, "gary_w")
    member.goto(f"/groups/{group_id}")
    expect(member.locator(".activity-card")).to_have_count(3)
    expect(member.locator(".week-progress")).to_contain_text(re.compile(r"25.00 km to go, (1 day|[2-7] days) left"))
    expect(member.locator("main")).not_to_contain_text("(s)")
    shot(member, "5-group-1280")
