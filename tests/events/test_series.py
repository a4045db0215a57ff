"""Repeating events: a rule expanded in the organiser's zone (19:00 in
Madrid on both sides of a DST change), a series listed once, bad rules
refused with a clear 400 and nothing written, going to one date or to every
date (places per date kept, dates made later included), cancelling one
date (told, EXDATE in the series .ics), editing every date ahead, and the
personal feed without duplicates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from sqlalchemy import func, select

from app.db_types import utcnow
from app.events import calendar, series, services
from app.events import rsvp as rsvps
from app.events.models import Event, EventSeries, SeriesRsvp
from app.extensions import db
from app.notifications.models import Notification

MADRID = ZoneInfo("Europe/Madrid")
SECOND_TUESDAYS = "FREQ=MONTHLY;BYDAY=2TU;COUNT=6"


def madrid_series(organiser, rule: str = SECOND_TUESDAYS, **fields) -> Event:
    """The first date is Tue 12 Jan 2027, 19:00 in Madrid (the second Tuesday)."""
    defaults = {"title": "Second-Tuesday TweetMeet", "kind": "tweetmeet", "duration_min": 60,
                "local_start": datetime(2027, 1, 12, 19, 0), "timezone": "Europe/Madrid", "rrule": rule}
    return services.create_event(organiser, **{**defaults, **fields})


def test_second_tuesday_at_19_in_madrid_stays_at_19_across_the_clock_change(make_user):
    first = madrid_series(make_user(timezone="Europe/Madrid"))
    dates = series.dates(first.series)
    local = [event.starts_at.astimezone(MADRID) for event in dates]
    assert [(d.month, d.day) for d in local] == [(1, 12), (2, 9), (3, 9), (4, 13), (5, 11), (6, 8)]
    assert all(d.weekday() == 1 and (d.hour, d.minute) == (19, 0) for d in local)
    # The clocks go forward on 28 March: 18:00 UTC before, 17:00 UTC after.
    assert [event.starts_at.hour for event in dates] == [18, 18, 18, 17, 17, 17]
    assert all(event.occurrence_start == event.starts_at and event.ends_at - event.starts_at == timedelta(hours=1)
               for event in dates)
    assert series.describe(first.series) == (
        "every month on the second Tuesday at 19:00 (Europe/Madrid), 6 dates")


def test_dates_are_made_twelve_ahead_and_more_as_they_pass(make_user):
    organiser = make_user()
    first = services.create_event(organiser, title="Weekly check-in", kind="connection_call", duration_min=30,
                                  starts_at=utcnow() + timedelta(days=1), rrule="FREQ=WEEKLY;COUNT=30")
    assert len(series.dates(first.series)) == series.HORIZON
    member = make_user()
    series.rsvp_series(first.series, member)
    later = utcnow() + timedelta(weeks=3)
    assert series.extend_all(now=later) == 3
    dates = series.dates(first.series)
    assert len(dates) == 15 and len({event.starts_at for event in dates}) == 15
    # Going to every date seats the member on the dates made later too.
    assert rsvps.statuses_for(member, [dates[-1].id]) == {dates[-1].id: "going"}
    assert series.extend_all(now=later) == 0  # nothing twice


def test_the_events_list_shows_a_series_once_at_its_next_date(make_user, client, make_event):
    organiser = make_user()
    first = madrid_series(organiser)
    single = make_event(organiser, title="A one-off webinar", kind="webinar")
    listed = list(db.session.scalars(services.upcoming_query(None)))
    assert [event.id for event in listed] == [single.id, first.id]
    services.cancel_event(first, organiser)
    listed = list(db.session.scalars(services.upcoming_query(None)))
    assert listed[-1].id == series.dates(first.series)[1].id  # the next date that happens
    page = client.get("/events").get_data(as_text=True)
    assert page.count("Second-Tuesday TweetMeet") == 1
    assert "Repeats every month on the second Tuesday" in page
    body = client.get("/api/v1/events").get_json()
    assert [item["title"] for item in body["items"]].count("Second-Tuesday TweetMeet") == 1


@pytest.mark.parametrize(("rule", "words"), [
    ("FREQ=HOURLY;COUNT=3", "daily, weekly, monthly or yearly"),
    ("FREQ=WEEKLY", "Say when the series ends"),
    ("garbage", "needs a FREQ"),
    ("FREQ=WEEKLY;BYDAY=XX;COUNT=3", "not valid"),
    ("FREQ=WEEKLY;COUNT=101", "at most 100"),
    ("FREQ=WEEKLY;COUNT=3;UNTIL=20270301T000000Z", "not both"),
    ("FREQ=DAILY;UNTIL=20400101T000000Z", "within 2 years"),
    ("FREQ=MONTHLY;BYDAY=1MO;COUNT=3", "must be one of the rule's dates"),
    ("FREQ=WEEKLY;BYDAY=TU;COUNT=60;BYMONTH=1", "60 dates do not fit within 2 years"),
    # Rules no date fits are refused before dateutil would search up to the year 9999.
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5", "BYMONTHDAY takes days 1 to 29"),
    ("FREQ=WEEKLY;COUNT=3;BYMONTH=13", "BYMONTH takes months 1 to 12"),
    ("FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=15;COUNT=3", "not both"),
    ("FREQ=YEARLY;BYWEEKNO=60;COUNT=2", "not BYWEEKNO"),
    ("FREQ=WEEKLY;INTERVAL=0;COUNT=3", "INTERVAL is a whole number"),
    ("FREQ=WEEKLY;COUNT=3\nRRULE:FREQ=DAILY", "one RFC 5545 RRULE value"),
    ("FREQ=WEEKLY;WHATEVER=1;COUNT=3", "not WHATEVER"),
])
def test_a_rule_we_cannot_use_is_a_400_naming_rrule_and_writes_nothing(api, make_user, rule, words):
    make_user("amira_h", timezone="Europe/Madrid")
    api.login("amira_h")
    start = datetime(2027, 1, 12, 19, 0, tzinfo=MADRID).isoformat()
    response = api.post("/events", json={"title": "Repeating call", "kind": "webinar", "starts_at": start,
                                         "duration_min": 60, "timezone": "Europe/Madrid", "rrule": rule})
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert words in error["message"] and error["fields"]["rrule"] == error["message"]
    assert db.session.scalar(select(func.count(Event.id))) == 0
    assert db.session.scalar(select(func.count(EventSeries.id))) == 0


def test_the_api_makes_reads_and_edits_a_series(api, make_user):
    make_user("amira_h", timezone="Europe/Madrid")
    api.login("amira_h")
    start = datetime(2027, 1, 12, 19, 0, tzinfo=MADRID).isoformat()
    created = api.post("/events", json={"title": "Repeating call", "kind": "webinar", "starts_at": start,
                                        "duration_min": 60, "timezone": "Europe/Madrid",
                                        "rrule": "RRULE:freq=monthly;byday=2TU;until=20270430"})
    assert created.status_code == 201, created.get_json()
    brief = created.get_json()["series"]
    assert brief["rrule"] == "FREQ=MONTHLY;UNTIL=20270430T215959Z;BYDAY=2TU"  # end of that day in Madrid, in UTC
    assert brief["repeats"].startswith("every month on the second Tuesday at 19:00 (Europe/Madrid), until Fri 30 Apr")
    body = api.get(f"/event-series/{brief['id']}").get_json()
    assert [d["starts_at"][:16] for d in body["dates"]] == [
        "2027-01-12T18:00", "2027-02-09T18:00", "2027-03-09T18:00", "2027-04-13T17:00"]
    assert body["going_to_every_date"] is False and body["dates"][0]["going"] == 1  # the organiser hosts
    changed = api.patch(f"/event-series/{brief['id']}", json={"title": "Renamed call", "description": "*New*"})
    assert changed.status_code == 200
    titles = {api.get(f"/events/{d['id']}").get_json()["title"] for d in body["dates"]}
    assert titles == {"Renamed call"}
    assert api.patch(f"/event-series/{brief['id']}", json={"title": "x"}).status_code == 422


def test_going_to_this_date_or_every_date_keeps_each_dates_places(make_user, api):
    organiser = make_user()
    first = madrid_series(organiser, capacity=2)
    dates = series.dates(first.series)
    early, late, solo = make_user("early_e"), make_user("late_l"), make_user()
    assert rsvps.rsvp(dates[1], solo) == "going"  # one date only: that date is now full (host + solo)
    answers = series.rsvp_series(first.series, early)
    assert answers[dates[1].id] == "waitlisted" and answers[dates[0].id] == "going"
    assert set(answers) == {event.id for event in dates}
    api.login("late_l")
    response = api.post(f"/event-series/{first.series_id}/rsvp")
    assert response.status_code == 200
    assert {d["status"] for d in response.get_json()["dates"]} == {"waitlisted"}  # every date is full now
    for event in dates:
        counts = rsvps.rsvp_counts([event.id])[event.id]
        assert counts["going"] <= 2
    # Stopping frees each place for the first waiting.
    series.cancel_series_rsvp(first.series, early)
    assert db.session.get(SeriesRsvp, (first.series_id, early.id)) is None
    assert rsvps.statuses_for(early, [event.id for event in dates]) == {}
    assert rsvps.statuses_for(late, [dates[0].id]) == {dates[0].id: "going"}
    assert api.delete(f"/event-series/{first.series_id}/rsvp").get_json()["status"] == "not_going"


def test_cancelling_one_date_tells_its_attendees_and_the_series_ics_skips_it(make_user, client):
    organiser = make_user()
    first = madrid_series(organiser, description="Bring a *question*.")
    member = make_user()
    series.rsvp_series(first.series, member)
    dates = series.dates(first.series)
    services.cancel_event(dates[2], organiser)
    told = db.session.scalars(select(Notification).where(Notification.user_id == member.id,
                                                         Notification.kind == "event_cancelled")).all()
    assert len(told) == 1 and told[0].url == f"/events/{dates[2].id}"
    response = client.get(f"/events/series/{first.series_id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert "DTSTART;TZID=Europe/Madrid:20270112T190000" in text
    assert "RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=2TU" in text
    assert "EXDATE;TZID=Europe/Madrid:20270309T190000" in text and "BEGIN:VTIMEZONE" in text
    (master,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(master["uid"]) == calendar.series_uid(first.series)
    # Expanded back by another library: every date but the cancelled one, at 19:00 Madrid time.
    start = master.decoded("dtstart")
    rule = rrulestr(master["rrule"].to_ical().decode(), dtstart=start)
    skipped = {value.dt for value in master["exdate"].dts}
    expanded = [d.astimezone(timezone.utc) for d in rule if d not in skipped]
    assert expanded == [event.starts_at for event in dates if not event.is_cancelled]
    assert len(expanded) == 5
    # The date's own file still works, and says it is cancelled.
    (own,) = Calendar.from_ical(client.get(f"/events/{dates[2].id}/calendar.ics").data).walk("VEVENT")
    assert str(own["status"]) == "CANCELLED"


def test_a_date_moved_on_its_own_is_an_override_in_the_series_ics(make_user, client):
    organiser = make_user()
    first = madrid_series(organiser)
    moved = series.dates(first.series)[1]
    services.update_event(moved, organiser, local_start=datetime(2027, 2, 10, 19, 0), timezone="Europe/Madrid")
    cal = Calendar.from_ical(client.get(f"/events/series/{first.series_id}/calendar.ics").data)
    master, override = cal.walk("VEVENT")
    assert override.decoded("recurrence-id") == datetime(2027, 2, 9, 19, 0, tzinfo=MADRID)
    assert override.decoded("dtstart") == datetime(2027, 2, 10, 19, 0, tzinfo=MADRID)
    assert str(override["uid"]) == str(master["uid"])


def test_editing_the_series_changes_the_dates_ahead_and_those_made_later(make_user):
    organiser = make_user()
    first = services.create_event(organiser, title="Weekly check-in", kind="connection_call", duration_min=30,
                                  starts_at=utcnow() + timedelta(hours=2), rrule="FREQ=WEEKLY;COUNT=20")
    dates = series.dates(first.series)
    dates[0].starts_at = utcnow() - timedelta(hours=1)  # this one has happened
    db.session.commit()
    series.update_series(first.series, organiser, title="Weekly staffroom", description="New *words*")
    assert dates[0].title == "Weekly check-in"
    assert {event.title for event in dates[1:]} == {"Weekly staffroom"}
    assert all(event.sequence == 1 and "<em>words</em>" in event.description_html for event in dates[1:])
    (made,) = series.extend(first.series, now=utcnow() + timedelta(weeks=1))
    assert made.title == "Weekly staffroom" and "<em>words</em>" in made.description_html


def test_who_may_see_and_run_a_series(make_user, api, client):
    organiser = make_user("org_o")
    make_user("someone_s")
    first = madrid_series(organiser, visibility="members")
    path = f"/event-series/{first.series_id}"
    assert api.get(path).status_code == 404  # members only
    assert client.get(f"/events/series/{first.series_id}/calendar.ics").status_code == 404
    api.login("someone_s")
    assert api.get(path).status_code == 200
    assert api.patch(path, json={"title": "Mine now"}).status_code == 403
    assert api.post(f"{path}/cancel").status_code == 403
    assert api.get("/event-series/999999").status_code == 404


def test_cancelling_every_date_ahead_tells_attendees_and_makes_no_more(make_user, api):
    make_user("org_o")
    member = make_user()
    api.login("org_o")
    start = (utcnow() + timedelta(days=1)).replace(microsecond=0).isoformat()
    created = api.post("/events", json={"title": "Weekly", "kind": "webinar", "starts_at": start,
                                        "duration_min": 30, "rrule": "FREQ=WEEKLY;COUNT=40"}).get_json()
    found = db.session.get(EventSeries, created["series"]["id"])
    series.rsvp_series(found, member)
    body = api.post(f"/event-series/{found.id}/cancel").get_json()
    assert body["cancelled"] is True and {d["status"] for d in body["dates"]} == {"cancelled"}
    told = db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == member.id,
                                                                        Notification.kind == "event_cancelled"))
    assert told == series.HORIZON
    assert series.extend_all(now=utcnow() + timedelta(weeks=5)) == 0
    assert api.post(f"/event-series/{found.id}/rsvp").status_code == 409


def test_the_feed_has_each_date_once(make_user, client_for):
    organiser = make_user()
    first = madrid_series(organiser)
    member = make_user()
    series.rsvp_series(first.series, member)
    rsvps.rsvp(series.dates(first.series)[0], member)  # already going: nothing twice
    feed = calendar.feed_ics(member, "http://staffroom.test")
    items = Calendar.from_ical(feed).walk("VEVENT")
    assert len(items) == 6 and len({str(item["uid"]) for item in items}) == 6
    assert len({item.decoded("dtstart") for item in items}) == 6


def test_the_create_form_makes_a_series_and_says_what_is_wrong(make_user, client_for):
    organiser = make_user(timezone="Europe/Madrid")
    browser = client_for(organiser)
    form = {"title": "Monthly meetup of maths teachers", "kind": "webinar", "start_date": "2027-01-12",
            "start_time": "19:00", "timezone": "Europe/Madrid", "duration_min": "60", "is_online": "1",
            "visibility": "public", "status": "published", "repeat": "monthly_weekday", "repeat_count": "5",
            "country": "ES"}
    refused = browser.submit("/events/new", {**form, "repeat_until": "2031-01-01"})
    assert refused.status_code == 422
    assert 'id="repeat-error">A series ends within 2 years of its first date' in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Event.id))) == 0
    response = browser.submit("/events/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    found = db.session.scalar(select(EventSeries))
    assert found.rrule == "FREQ=MONTHLY;COUNT=5;BYDAY=2TU"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Repeats every month on the second Tuesday at 19:00 (Europe/Madrid), 5 dates." in page
    assert "As a host you are going to every date you host." in page
    page = client_for(make_user()).get(response.headers["Location"]).get_data(as_text=True)
    assert "Going to every date" in page and "Going to this date" in page
    assert page.count('<li') > 5 and page.count('class="series-dates"') == 1


def test_the_series_pages_work_without_javascript(make_user, client_for, client):
    organiser = make_user()
    first = madrid_series(organiser)
    dates = series.dates(first.series)
    base = f"/events/series/{first.series_id}"
    assert client.get(base).headers["Location"].endswith(f"/events/{dates[0].id}")  # its next date
    member = client_for(make_user())
    response = member.submit(f"{base}/rsvp", {"event_id": str(dates[3].id)}, page=f"/events/{dates[3].id}")
    assert response.headers["Location"].endswith(f"/events/{dates[3].id}")  # back where it was sent from
    page = member.get(f"/events/{dates[3].id}").get_data(as_text=True)
    assert "You are going to every date." in page and page.count(">Going</span>") == 6
    assert member.get(f"{base}/edit").status_code == 403
    host = client_for(organiser)
    form = host.get(f"{base}/edit").get_data(as_text=True)
    assert "Edit every date ahead" in form and 'value="Second-Tuesday TweetMeet"' in form
    assert "changes this date only" in host.get(f"/events/{dates[1].id}/edit").get_data(as_text=True)
    assert host.submit(f"{base}/edit", {"title": "x", "description": ""}).status_code == 422
    assert host.submit(f"{base}/edit", {"title": "Maths TweetMeet", "description": ""}).status_code == 302
    assert {event.title for event in series.dates(first.series)} == {"Maths TweetMeet"}
    assert "6 dates ahead are cancelled" in host.get(f"{base}/cancel").get_data(as_text=True)
    assert host.submit(f"{base}/cancel", {}).status_code == 302
    page = host.get(f"/events/{dates[0].id}").get_data(as_text=True)
    assert "The organiser has cancelled every date ahead." in page and "Going to every date" not in page
