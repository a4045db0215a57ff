"""The fitness club in a browser: a FIT file from a watch becomes an activity
with a route map (grid, distance marks, start, finish, scale); photos go on
the activity as a small gallery with alt text, and stay with who may see the
activity; the weekly charts carry the goal as a dashed, labelled line."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from app.db_types import utcnow
from app.extensions import db
from app.groups import activities
from app.groups import services as groups
from tests.e2e.conftest import educator, sign_in
from tests.groups.fit_writer import activity_fit
from tests.groups.test_photos import camera_jpeg

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}


def no_page_wider_than_the_phone(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_fit_file_becomes_an_activity_with_a_route_map(page: Page, live_server, shot, tmp_path):
    with live_server.app.app_context():
        educator("amara_o", "Amara Okafor")
        db.session.remove()
    watch_file = tmp_path / "Morning_Ride.fit"
    watch_file.write_bytes(activity_fit(sport="ride", start=utcnow().replace(microsecond=0) - timedelta(hours=2)))
    cut_short = tmp_path / "cut.fit"
    cut_short.write_bytes(watch_file.read_bytes()[:600])
    sign_in(page, "amara_o")

    page.goto("/activities/new")
    page.get_by_label("GPX or FIT file (optional)").set_input_files(str(cut_short))
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_role("alert")).to_contain_text("That FIT file could not be read: it is damaged or cut short.")
    shot(page, "01-cut-short-fit-1280")

    page.get_by_label("GPX or FIT file (optional)").set_input_files(str(watch_file))
    page.get_by_label("Title").fill("Ride to school")
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_role("status")).to_contain_text("“Ride to school” is logged: 5.00 km.")
    expect(page.locator(".sport")).to_have_text("Ride")  # the file's sport, over the form's "Run"
    expect(page.get_by_text("FIT", exact=True)).to_be_visible()
    route = page.get_by_role("img", name="Route of Ride to school")
    expect(route).to_be_visible()
    expect(route.locator(".route-mark")).to_have_count(4)
    expect(page.locator(".route-legend")).to_contain_text("Numbered marks every 1 km; the bar is 0.5 km.")
    shot(page, "02-fit-route-map-1280")
    page.set_viewport_size(PHONE)
    page.reload()
    no_page_wider_than_the_phone(page)
    shot(page, "03-fit-route-map-390")


def test_photos_on_an_activity_are_seen_by_who_may_see_it(new_page, live_server, shot, tmp_path):
    with live_server.app.app_context():
        owner = educator("amara_o", "Amara Okafor")
        educator("lucas_m", "Lucas Martin")
        run = activities.log_activity(owner, sport="run", distance_m=6000, duration_s=1800,
                                      started_at=utcnow() - timedelta(hours=1), title="Frosty canal run",
                                      visibility="groups")
        run_id = run.id
        db.session.remove()
    picture = tmp_path / "IMG_2041.JPG"
    picture.write_bytes(camera_jpeg())

    page = new_page()
    sign_in(page, "amara_o")
    page.goto(f"/activities/{run_id}")
    photos = page.get_by_role("region", name="Photos")
    expect(photos.get_by_text("No photos yet.")).to_be_visible()
    page.get_by_label("Photo", exact=True).set_input_files(str(picture))
    page.get_by_label("Describe it").fill("Frost on the towpath by the lock")
    page.get_by_role("button", name="Add photo").click()
    expect(page.get_by_role("status")).to_contain_text("Photo added.")
    image = page.get_by_role("img", name="Frost on the towpath by the lock")
    expect(image).to_be_visible()
    # Visible is the box; the picture itself may still be on its way (or lazily not yet asked for).
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 1600  # resized from 2400
    page.get_by_label("Photo", exact=True).set_input_files(str(picture))
    page.get_by_role("button", name="Add photo").click()
    expect(page.get_by_role("img", name="Photo 2 from “Frosty canal run”")).to_be_visible()
    expect(photos).to_contain_text("Only those who can see this activity can see its photos.")
    shot(page, "01-photo-gallery-1280")
    page.set_viewport_size(PHONE)
    page.reload()
    no_page_wider_than_the_phone(page)
    shot(page, "02-photo-gallery-390")
    photo_url = image.get_attribute("src")

    # Shared with members of the owner's groups: a member of no shared group sees neither page nor photo.
    stranger = new_page()
    sign_in(stranger, "lucas_m")
    assert stranger.goto(f"/activities/{run_id}").status == 404
    assert stranger.goto(photo_url).status == 404

    page.get_by_role("button", name="Delete photo 1: Frost on the towpath by the lock").click()
    expect(page.get_by_role("status")).to_contain_text("Photo deleted.")
    expect(page.get_by_role("img", name="Frost on the towpath by the lock")).to_have_count(0)


def test_the_weekly_charts_show_the_goal_line(page: Page, live_server, shot):
    with live_server.app.app_context():
        owner = educator("wanjiru_k", "Wanjiru Kamau")
        group = groups.create_group(owner, name="Staffroom Runners", focus="running", weekly_goal_m=25_000,
                                    timezone="Europe/London")
        group_id = group.id
        for weeks_ago, km in ((0, 12), (1, 22), (2, 27), (4, 18)):
            activities.log_activity(owner, sport="run", distance_m=km * 1000, duration_s=km * 330,
                                    started_at=utcnow() - timedelta(weeks=weeks_ago, minutes=5), visibility="groups")
        db.session.remove()
    sign_in(page, "wanjiru_k")

    page.goto("/me/fitness")
    expect(page.get_by_text("Set yourself a weekly goal")).to_be_visible()
    page.get_by_label("My weekly goal").fill("20")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("a weekly goal of 20.00 km")
    chart = page.get_by_role("img", name="Weekly distance")
    expect(chart.locator(".chart-goal-label")).to_have_text("Goal 20 km")
    expect(page.locator("#weeks-goal")).to_have_text(
        "The dashed line is the goal, 20 km a week: reached in 2 of these 12 weeks.")
    shot(page, "01-my-chart-goal-1280")

    page.goto(f"/groups/{group_id}")
    group_chart = page.get_by_role("img", name="The group's last 12 weeks")
    expect(group_chart.locator(".chart-goal-label")).to_have_text("Goal 25 km")
    shot(page, "02-group-chart-goal-1280")

    page.set_viewport_size(PHONE)
    page.goto("/me/fitness")
    page.get_by_label("My weekly goal").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("My weekly goal: A weekly goal is more than 0")
    no_page_wider_than_the_phone(page)
    shot(page, "03-my-chart-goal-390")
    page.goto(f"/groups/{group_id}")
    no_page_wider_than_the_phone(page)
    shot(page, "04-group-chart-goal-390")
