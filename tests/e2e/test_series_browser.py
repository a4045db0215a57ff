"""A repeating event in the browser: the organiser makes "every month on the
second Tuesday" from the create form and cancels one date; a member finds it
once in the list, goes to every date, and downloads the series' .ics with
the cancelled date left out; the page fits a phone."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from tests.e2e.conftest import educator, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

RULE_WORDS = "Repeats every month on the second Tuesday at 19:00 (Europe/Madrid), 6 dates."


def test_a_monthly_series_from_the_form_to_every_date_going(live_server, page, new_page, shot):
    with live_server.app.app_context():
        educator("amira_h", "Amira Haddad", country="ES", timezone="Europe/Madrid")
        educator("gary_w", "Gary Williams")

    sign_in(page, "amira_h")
    page.goto("/events/new")
    page.get_by_label("Title").fill("Second-Tuesday maths TweetMeet")
    page.get_by_label("Date", exact=True).fill("2027-01-12")
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("Time zone of that time").select_option("Europe/Madrid")
    page.get_by_label("Repeats").select_option("monthly_weekday")
    page.get_by_label("Number of dates").fill("6")
    shot(page, "18-series-form-1280")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second-Tuesday maths TweetMeet")
    expect(page.get_by_text(RULE_WORDS)).to_be_visible()
    dates = page.get_by_role("list", name="Next dates").get_by_role("listitem")
    expect(dates).to_have_count(6)

    # Cancel the third date (9 March) only.
    dates.nth(2).get_by_role("link").click()
    page.get_by_role("link", name="Cancel this date").click()
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.get_by_text("This date is cancelled.")).to_be_visible()
    shot(page, "18-series-date-cancelled-1280")
    page.get_by_role("link", name="Edit every date ahead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit every date ahead")
    page.get_by_label("Description").fill("Bring one *question* about fractions.")
    shot(page, "18-series-edit-1280")
    page.get_by_role("button", name="Save for every date ahead").click()
    expect(page.get_by_role("status")).to_contain_text("Saved for every date ahead")
    expect(page.get_by_text("Bring one question about fractions.")).to_be_visible()

    gary = new_page()
    sign_in(gary, "gary_w")
    gary.goto("/events")
    cards = gary.locator(".event-card", has_text="Second-Tuesday maths TweetMeet")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Repeats every month on the second Tuesday")
    shot(gary, "18-series-in-list-1280")
    cards.get_by_role("link", name="Second-Tuesday maths TweetMeet").click()
    gary.get_by_role("button", name="Going to every date").click()
    expect(gary.get_by_role("status")).to_contain_text("You are going to every date")
    expect(gary.get_by_text("You are going to every date.", exact=True)).to_be_visible()
    going = gary.get_by_role("list", name="Next dates").get_by_text("Going", exact=True)
    expect(going).to_have_count(5)  # every date but the cancelled one
    shot(gary, "18-series-going-1280")

    with gary.expect_download() as download:
        gary.get_by_role("link", name="Add every date to your calendar (.ics)").click()
    (master,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert master["rrule"].to_ical() == b"FREQ=MONTHLY;COUNT=6;BYDAY=2TU"
    assert [value.dt.strftime("%Y-%m-%d %H:%M") for value in master["exdate"].dts] == ["2027-03-09 19:00"]

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(phone, "gary_w")
    phone.goto(gary.url)
    expect(phone.get_by_text(RULE_WORDS)).to_be_visible()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(phone, "18-series-going-390")
    phone.goto("/events")
    expect(phone.locator(".event-card", has_text="Second-Tuesday maths TweetMeet")).to_have_count(1)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(phone, "18-series-in-list-390")
    gary.get_by_role("button", name="Stop going to every date").click()
    expect(gary.get_by_role("button", name="Going to every date")).to_be_visible()
