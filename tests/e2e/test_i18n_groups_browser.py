"""A runner who reads Arabic: the group page (progress, chart, leaderboard,
challenges) and an activity's route map read right to left in Arabic, and
nothing is wider than a phone."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from app.db_types import utcnow
from app.extensions import db
from app.groups import activities, challenges, periods
from app.groups import services as groups
from tests.e2e.conftest import educator, sign_in
from tests.groups.conftest import gpx_fixture

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page


def runners_group(app) -> tuple[int, int]:
    """Layla's group with her GPX run, a colleague's run and a five-day challenge."""
    with app.app_context():
        owner = educator("layla_h", "Layla Haddad", country="JO", timezone="Asia/Amman")
        colleague = educator("omar_k", "Omar Khalil", country="JO", timezone="Asia/Amman")
        group = groups.create_group(owner, name="Amman Teachers Run", focus="running", weekly_goal_m=20_000,
                                    timezone="Asia/Amman")
        groups.join(group, colleague)
        week_start = periods.period("week", "Asia/Amman").start
        started = max(utcnow() - timedelta(hours=1), week_start + timedelta(minutes=1))
        run = activities.log_activity(owner, sport="run", gpx_data=gpx_fixture(), title="Citadel loop")
        activities.log_activity(colleague, sport="run", distance_m=21_500, duration_s=7200, started_at=started)
        today = periods.local_today("Asia/Amman")
        challenges.create_challenge(group, owner, title="Five days", kind="days", target=5, starts_on=today,
                                    ends_on=today + timedelta(days=6))
        ids = group.id, run.id
        db.session.remove()
    return ids


def choose_arabic(page: Page) -> None:
    switcher = page.locator("form.language-switcher")
    switcher.locator("select").select_option("ar")
    switcher.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_the_group_and_a_route_in_arabic(page: Page, live_server, shot):
    group_id, run_id = runners_group(live_server.app)
    sign_in(page, "layla_h")
    choose_arabic(page)

    page.goto(f"/groups/{group_id}")
    expect(page.get_by_role("heading", name="لوحة الصدارة")).to_be_visible()
    expect(page.get_by_role("heading", name="آخر 12 أسبوعًا للمجموعة")).to_be_visible()
    expect(page.locator(".page-head .muted").first).to_contain_text("عضوان")
    expect(page.locator(".goal-messages")).to_contain_text("بلغ Omar Khalil")
    expect(page.get_by_role("link", name="هذا الشهر")).to_be_visible()
    assert "Leaderboard" not in page.content()
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "i18n-groups-ar-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "i18n-groups-ar-390")

    page.goto(f"/activities/{run_id}")
    legend = page.locator(".route-legend")
    expect(legend).to_contain_text("البداية")
    expect(legend).to_contain_text("مرسوم من المسار وحده")
    expect(page.get_by_role("img", name="مسار Citadel loop")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "i18n-groups-activity-ar-390")
