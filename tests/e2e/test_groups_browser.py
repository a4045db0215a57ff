"""A runner logs a run from the group page and watches the weekly progress bar move."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.accounts import services as accounts
from app.extensions import db
from app.groups import services as groups
from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


def make_group(app) -> int:
    with app.app_context():
        owner = accounts.register(email_verified=True, username="wanjiru_k", email="wanjiru@school.example", password=PASSWORD,
                                  display_name="Wanjiru Kamau", country="KE", timezone="Europe/London")
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
    group_bar = page.get_by_label("The whole group", exact=True)
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
    expect(page.get_by_label("The whole group", exact=True)).to_have_attribute("value", "8500")
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
