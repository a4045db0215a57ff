"""The collaboration board: requests with a weekly window, offers, and
matches by language, subject and working hours overlapping in UTC."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.exceptions import Conflict, ValidationFailed
from app.programmes import collaborate, hours
from tests.helpers import ApiClient, csrf_from
from tests.programmes.conftest import NOW

WINTER_MONDAY = date(2026, 1, 12)
SUMMER_MONDAY = date(2026, 7, 13)


def test_overlap_is_computed_in_utc_for_both_zones():
    riyadh = hours.utc_intervals("Asia/Riyadh", [0], 10 * 60, 13 * 60, WINTER_MONDAY)  # 07:00-10:00 UTC
    london = hours.utc_intervals("Europe/London", [0], 8 * 60, 16 * 60, WINTER_MONDAY)  # 08:00-16:00 UTC
    shared = hours.overlap(riyadh, london)
    assert shared == [(datetime(2026, 1, 12, 8, tzinfo=timezone.utc), datetime(2026, 1, 12, 10, tzinfo=timezone.utc))]
    assert hours.overlap_minutes(shared) == 120
    # In summer London is UTC+1: 07:00-15:00 UTC, so three hours are shared.
    summer = hours.overlap(hours.utc_intervals("Asia/Riyadh", [0], 600, 780, SUMMER_MONDAY),
                           hours.utc_intervals("Europe/London", [0], 480, 960, SUMMER_MONDAY))
    assert hours.overlap_minutes(summer) == 180
    # Tokyo evening against Chicago morning of the *previous* local day: same UTC instant.
    tokyo = hours.utc_intervals("Asia/Tokyo", [1], 22 * 60, 23 * 60, WINTER_MONDAY)  # Tue 13:00-14:00 UTC
    chicago = hours.utc_intervals("America/Chicago", [1], 7 * 60, 9 * 60, WINTER_MONDAY)  # Tue 13:00-15:00 UTC
    assert hours.overlap_minutes(hours.overlap(tokyo, chicago)) == 60
    # Shown on another clock, a window keeps its zone's name and can move to other days.
    assert hours.window_in_zone("Asia/Riyadh", [0, 1, 2, 3, 4], 840, 900, WINTER_MONDAY, "Europe/Berlin") == \
        "Weekdays 12:00-13:00 CET"
    assert hours.window_in_zone("Asia/Tokyo", [0, 1], 8 * 60, 9 * 60, WINTER_MONDAY, "America/Chicago") == \
        "Mon, Sun 17:00-18:00 CST"
    assert hours.window_in_zone("Europe/London", [0], 22 * 60, 23 * 60 + 30, SUMMER_MONDAY, "Europe/Berlin") == \
        "Mon 23:00-00:30 next day CEST"
    assert hours.parse_minute("24:00") == 1440 and hours.parse_minute("9:5") is None
    assert hours.parse_minute(" 9:05 ") == 545


@pytest.mark.parametrize("text", ["9" * 5000 + ":00", "99999999999999999999:00", "12:²²", "²:00", "24:01", "-1:00"])
def test_a_time_no_clock_shows_is_not_a_time(text, make_user, api):
    assert hours.parse_minute(text) is None
    api.login(make_user().username)
    made = api.post("/collaboration/requests", json={"title": "Pen pals wanted", "subject": "english",
                                                      "age_range": "11-14", "language": "en", "weekdays": [0],
                                                      "start": text, "end": "23:00"})
    assert made.status_code == 422 and "start" in made.get_json()["error"]["fields"]


@pytest.fixture
def guest_request(make_user):
    amira = make_user("amira", country="SA", timezone="Asia/Riyadh", subjects=["english"])
    return collaborate.create_request(
        amira, title="A guest native English speaker for my Year 9 class, 30 minutes by video",
        subject="english", age_range="11-14", language="en", weekdays=[0, 1, 2, 3], start_minute=600,
        end_minute=780)


def test_matches_need_shared_hours_and_a_shared_language_or_subject(guest_request, make_user):
    london = make_user("london_t", timezone="Europe/London", subjects=["english"])
    tokyo = make_user("tokyo_t", timezone="Asia/Tokyo", subjects=["english"])  # 19:00-... no overlap with 08-16
    paris = make_user("paris_t", timezone="Europe/Paris", subjects=["chemistry"])
    for user, languages in ((london, ["en"]), (tokyo, ["en"]), (paris, ["fr"])):
        collaborate.set_availability(user, languages=languages, weekdays=[0, 1, 2, 3, 4], start_minute=480,
                                     end_minute=960)
    helpers = collaborate.suggestions_for_request(guest_request, now=NOW)
    assert [m.user.username for m in helpers] == ["london_t"]
    assert helpers[0].overlap_minutes == 4 * 120 and helpers[0].same_language and helpers[0].same_subject
    assert [m.request.id for m in collaborate.suggestions_for_member(london, now=NOW)] == [guest_request.id]
    assert collaborate.suggestions_for_member(tokyo, now=NOW) == []
    assert collaborate.suggestions_for_member(paris, now=NOW) == []


def test_posting_offering_and_closing_through_the_pages(make_user, client_for, client):
    poster, helper = make_user(timezone="Asia/Baku"), make_user(timezone="Europe/London")
    browser = client_for(poster)
    token = csrf_from(browser.get("/collaborate/new").get_data(as_text=True))
    form = {"csrf_token": token, "title": "Exchange on teachers' professional development", "body": "Coaching?",
            "subject": "leadership", "age_range": "18+", "language": "en", "timezone": "Asia/Baku",
            "weekdays": ["0", "2"], "start": "14:00", "end": "17:00"}
    refused = browser.post("/collaborate/new", data={**form, "start": "2pm"})
    assert refused.status_code == 422 and "HH:MM" in refused.get_data(as_text=True)
    response = browser.post("/collaborate/new", data=form)
    assert response.status_code == 302
    path = response.location
    # Each reader sees the hours on their own clock (visitors: UTC), and the poster's beside them.
    page = client.get(path).get_data(as_text=True)
    assert "Mon, Wed 10:00-13:00 UTC (Mon, Wed 14:00-17:00 in Asia/Baku, the poster&#39;s time)" in page
    assert "Mon, Wed 14:00-17:00 +04</dd>" in browser.get(path).get_data(as_text=True)
    london_page = client_for(helper).get(path).get_data(as_text=True)
    assert "Mon, Wed 10:00-13:00 GMT (Mon, Wed 14:00-17:00 in Asia/Baku" in london_page
    assert "Mon, Wed 10:00-13:00 UTC (Mon, Wed 14:00-17:00" in client.get("/collaborate").get_data(as_text=True)

    helping = client_for(helper)
    token = csrf_from(helping.get(path).get_data(as_text=True))
    assert "overlap with this window" in helping.get(path).get_data(as_text=True)
    helping.post(f"{path}/offers", data={"csrf_token": token, "message": "We run coaching triads; happy to share."})
    again = helping.post(f"{path}/offers", data={"csrf_token": token, "message": "Me again, twice."},
                         follow_redirects=True)
    assert "already offered" in again.get_data(as_text=True)
    own = browser.get(path).get_data(as_text=True)
    assert "We run coaching triads" in own
    assert "We run coaching triads" not in client.get(path).get_data(as_text=True)  # offers are the poster's
    token = csrf_from(own)
    browser.post(f"{path}/close", data={"csrf_token": token})
    assert "Exchange on teachers" not in client.get("/collaborate").get_data(as_text=True)


def test_requests_and_offers_in_the_api(guest_request, make_user, api):
    helper = make_user(timezone="Europe/London")
    api.login(helper.username)
    listed = api.get("/collaboration/requests").get_json()
    assert (
        listed["total"] == 1
        and listed["items"][0]["start"] == "10:00"
        and listed["items"][0]["weekdays"] == [0, 1, 2, 3]
    )
    bad = api.post("/collaboration/requests", json={"title": "Pen pals wanted", "subject": "english",
                                                     "age_range": "11-14", "language": "en", "weekdays": [0],
                                                     "start": "16:00", "end": "15:00"})
    assert bad.status_code == 422 and "start_minute" in bad.get_json()["error"]["fields"]
    made = api.post("/collaboration/requests", json={"title": "Pen pals wanted", "subject": "english",
                                                      "age_range": "11-14", "language": "en", "weekdays": [0, 4],
                                                      "start": "09:00", "end": "10:30"})
    assert made.status_code == 201 and made.get_json()["timezone"] == "Europe/London"
    offer = api.post(f"/collaboration/requests/{guest_request.id}/offers", json={"message": "Count me in!"})
    assert offer.status_code == 201
    assert api.post(f"/collaboration/requests/{guest_request.id}/offers", json={"message": "Again"}).status_code == 409
    assert api.get(f"/collaboration/requests/{guest_request.id}/matches").status_code == 403


def test_offers_in_the_api_are_for_the_poster_and_moderators_only(guest_request, make_user, app):
    helper = make_user("helper_h")
    collaborate.offer_help(guest_request, helper, "Happy to join your class on Tuesdays.")
    path = f"/collaboration/requests/{guest_request.id}"

    def offers_seen_by(user=None) -> list[str]:
        client = ApiClient(app.test_client())
        if user is not None:
            client.login(user.username)
        response = client.get(path)
        assert response.status_code == 200
        return [offer["message"] for offer in response.get_json()["offers"]]

    assert offers_seen_by() == []
    assert offers_seen_by(make_user("bystander")) == []
    assert offers_seen_by(guest_request.author) == ["Happy to join your class on Tuesdays."]
    assert offers_seen_by(make_user("mod_m", role="moderator")) == ["Happy to join your class on Tuesdays."]


def test_bad_requests_are_refused_field_by_field(make_user):
    with pytest.raises(ValidationFailed) as refused:
        collaborate.create_request(make_user(), title="Hi", subject="cooking", age_range="all", language="xx",
                                   weekdays=[], start_minute=600, end_minute=500, timezone="Mars/Olympus")
    assert set(refused.value.fields) == {"title", "subject", "age_range", "language", "weekdays", "start_minute",
                                         "timezone"}
    item = collaborate.create_request(make_user(), title="A partner class", subject="art", age_range="5-7",
                                      language="en", weekdays=[0], start_minute=600, end_minute=660)
    with pytest.raises(ValidationFailed):
        collaborate.offer_help(item, item.author, "Helping myself?")
    collaborate.close_request(item, item.author)
    with pytest.raises(Conflict):
        collaborate.offer_help(item, make_user(), "Too late, it is closed.")
