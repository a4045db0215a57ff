"""Event pages: lists and filters, creating and editing through the form,
who sees what, notifications of changes, the room page without JavaScript."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.db_types import utcnow
from app.events import chat, tweetmeet
from app.events import rsvp as rsvps
from app.events.models import Event
from app.extensions import db
from app.notifications.models import Notification
from tests.events.fixtures import move
from tests.helpers import count_queries


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def event_form(**overrides) -> dict:
    data = {"title": "Connection call: celebrating your work", "kind": "connection_call",
            "description": "Bring *one* thing to share.", "start_date": "2027-02-03", "start_time": "17:30",
            "timezone": "Asia/Riyadh", "duration_min": "60", "hosts": "", "hashtag": "#EduCall",
            "is_online": "1", "location": "", "city": "", "country": "", "capacity": "",
            "visibility": "public", "status": "published"}
    data.update(overrides)
    return data


def test_create_through_the_form_in_the_organisers_zone(client, auth, make_user):
    make_user("leyla_m", country="AZ")
    auth.as_role(timezone="Asia/Riyadh", country="SA")
    response = client.submit("/events/new", event_form(hosts="leyla_m, @LEYLA_M"))
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(select(Event))
    assert event.starts_at == datetime(2027, 2, 3, 14, 30, tzinfo=timezone.utc)
    assert event.timezone == "Asia/Riyadh" and event.hashtag == "EduCall"
    assert [u.username for u in event.hosts][1:] == ["leyla_m"]
    assert event.description_html == "<p>Bring <em>one</em> thing to share.</p>\n"
    page = text(client.get(response.location))
    assert "Azerbaijan" in page and "Saudi Arabia" in page  # hosts' countries


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"title": ""}, "title", "This field is required."),
    ({"hosts": "nobody_here"}, "hosts", "No member called @nobody_here."),
    ({"kind": "meetup", "is_online": "0"}, "location", "Say where it happens"),
    ({"start_date": "2020-01-01"}, "start_time", "The start is in the past."),
    ({"hashtag": "#no spaces"}, "hashtag", "Use letters, digits and underscores"),
])
def test_form_errors_name_the_field_and_save_nothing(client, auth, overrides, field, message):
    auth.as_role()
    response = client.submit("/events/new", event_form(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalar(select(Event.id)) is None


def test_lists_group_live_this_week_and_later_and_filter(client, make_event, make_user):
    london = make_user(country="GB")
    kenya = make_user(country="KE")
    live = move(make_event(london, title="Live call"), utcnow() - timedelta(minutes=5))
    soon = make_event(kenya, title="Soon TweetMeet", kind="tweetmeet", starts_at=utcnow() + timedelta(days=2))
    later = make_event(london, title="Later webinar", kind="webinar", starts_at=utcnow() + timedelta(days=20))
    meetup = make_event(kenya, title="London meetup", kind="meetup", is_online=False, location="ExCeL",
                        city="London", country="GB", starts_at=utcnow() + timedelta(days=30))
    past = move(make_event(london, title="Old call"), utcnow() - timedelta(days=3))
    make_event(title="Secret draft", status="draft")
    make_event(title="Members only", visibility="members")
    page = text(client.get("/events"))
    live_part, rest = page.split('id="week-heading"')
    week_part, later_part = rest.split('id="later-heading"')
    assert live.title in live_part and soon.title in week_part
    assert later.title in later_part and meetup.title in later_part
    assert page.index(later.title) < page.index(meetup.title)
    assert past.title not in page and "Secret draft" not in page and "Members only" not in page
    filtered = text(client.get("/events?kind=tweetmeet"))
    assert soon.title in filtered and later.title not in filtered
    by_country = text(client.get("/events?country=GB"))
    assert meetup.title in by_country and later.title in by_country and soon.title not in by_country
    assert past.title in text(client.get("/events/past"))
    assert text(client.get("/events?kind=bogus&country=XX")).count("card-title") == 4  # unknown filters are ignored


def test_the_list_runs_a_fixed_number_of_queries(client, auth, make_event, make_user, app):
    auth.as_role()

    def queries() -> int:
        return count_queries(lambda: text(client.get("/events")))

    for _n in range(2):
        event = make_event(make_user(), capacity=3)
        rsvps.rsvp(event, make_user())
    text(client.get("/events"))  # the header's unread counts are kept from here on (app/member_cache.py)
    few = queries()
    for _n in range(8):
        event = make_event(make_user(), hosts=[make_user().username], kind="webinar")
        rsvps.rsvp(event, make_user())
    assert queries() == few


def test_drafts_and_members_only_events_are_hidden(client, make_event, make_user, client_for):
    organiser = make_user()
    draft = make_event(organiser, status="draft")
    members = make_event(visibility="members")
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get(f"/events/{members.id}").status_code == 404
    assert client_for(make_user()).get(f"/events/{draft.id}").status_code == 404
    assert client_for(make_user()).get(f"/events/{members.id}").status_code == 200
    own = client_for(organiser)
    assert "This is a draft" in text(own.get(f"/events/{draft.id}"))
    assert draft.title in text(own.get("/events"))


def test_editing_tells_attendees_and_only_managers_may(client_for, make_event, make_user):
    organiser, going, stranger = make_user(), make_user(), make_user()
    event = make_event(organiser)
    rsvps.rsvp(event, going)
    assert client_for(stranger).get(f"/events/{event.id}/edit").status_code == 403
    browser = client_for(organiser)
    form = text(browser.get(f"/events/{event.id}/edit"))
    assert f'value="{event.title}"' in form
    new_start = (utcnow() + timedelta(days=5)).astimezone(timezone.utc)
    response = browser.submit(f"/events/{event.id}/edit", event_form(
        title=event.title, start_date=new_start.strftime("%Y-%m-%d"), start_time="10:00", timezone="UTC"))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.sequence == 1
    texts = db.session.scalars(select(Notification.text).where(Notification.user_id == going.id)).all()
    assert texts == [f"“{event.title}” has changed (time)."]
    response = browser.submit(f"/events/{event.id}/cancel", {})
    assert response.status_code == 302
    assert "This event is cancelled" in text(browser.get(f"/events/{event.id}"))
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == going.id)).all()
    assert kinds == ["event_changed", "event_cancelled"]


def test_a_started_event_made_to_the_second_takes_a_cohost_from_the_edit_form(client_for, make_event, make_user):
    """The API keeps a start's seconds; the form sends back minutes. Saving the
    form during the call must not read as moving the start into the past."""
    organiser, cohost, going = make_user(), make_user(), make_user()
    event = make_event(organiser)
    rsvps.rsvp(event, going)
    move(event, utcnow().replace(microsecond=0) - timedelta(minutes=20, seconds=17), duration_min=60)
    start = event.starts_at
    browser = client_for(organiser)
    response = browser.submit(f"/events/{event.id}/edit", event_form(
        title=event.title, start_date=start.strftime("%Y-%m-%d"), start_time=start.strftime("%H:%M"),
        timezone="UTC", hosts=cohost.username))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.starts_at == start and cohost.id in {row.user_id for row in event.host_rows}
    changed = db.session.scalars(select(Notification.text).where(Notification.user_id == going.id)).all()
    assert changed == []  # nothing attendees see has changed


def test_rsvp_through_the_page(client, auth, make_event):
    event = make_event(capacity=1)
    rsvps.rsvp(event, auth.make_user())
    auth.as_role()
    page = text(client.get(f"/events/{event.id}"))
    assert "Join the waitlist" in page
    response = client.submit(f"/events/{event.id}/rsvp", {}, page=f"/events/{event.id}")
    assert response.status_code == 302
    page = text(client.get(response.location))
    assert "you are on the waitlist" in page and "Leave the waitlist" in page
    client.submit(f"/events/{event.id}/rsvp/cancel", {}, page=f"/events/{event.id}")
    assert "Join the waitlist" in text(client.get(f"/events/{event.id}"))


def test_the_room_page_is_a_transcript_without_javascript(client, auth, live_event, make_user):
    event = live_event(title="Open staffroom call")
    chat.post_message(event, make_user(), "<b>bold?</b> https://example.org")
    page = text(client.get(f"/events/{event.id}/room"))  # a visitor: read-only
    assert "&lt;b&gt;bold?&lt;/b&gt;" in page and "Sign in" in page
    auth.as_role()
    page = text(client.get(f"/events/{event.id}/room"))
    assert 'id="messages"' in page and "&lt;b&gt;bold?&lt;/b&gt;" in page
    assert 'aria-live="polite"' in page and "js/room.js" in page
    assert re.search(r'<form class="chat-form" id="send-form" hidden>', page)
    assert "<noscript>" in page


def test_a_closed_room_is_an_archive_of_questions_and_answers(client, make_event, make_user):
    host = make_user()
    event = make_event(host, kind="tweetmeet", title="TweetMeet: homework")
    tweetmeet.add_question(event, host, "Should homework be graded?", 0)
    move(event, utcnow() - timedelta(minutes=2))
    tweetmeet.post_due(event)
    chat.post_message(event, make_user(display_name="Yuki Tanaka"), "A1 Only with feedback")
    move(event, utcnow() - timedelta(hours=3))
    page = text(client.get(f"/events/{event.id}/room"))
    assert "Transcript of the room" in page
    assert re.search(r"<h2 id=\"q1\"><span class=\"q-number\">Q1</span> Should homework be graded\?</h2>", page)
    assert page.index("Should homework be graded?") < page.index("A1 Only with feedback")
    assert "Read the transcript" in text(client.get("/events/past"))


def test_hosts_prepare_tweetmeet_questions_on_a_page(client_for, make_event, make_user):
    host = make_user()
    event = make_event(host, kind="tweetmeet")
    browser = client_for(host)
    response = browser.submit(f"/events/{event.id}/questions", {"body": "What works for you?", "offset_min": "5"})
    assert response.status_code == 302
    page = text(browser.get(f"/events/{event.id}/questions"))
    assert "Q1" in page and "What works for you?" in page and "5 min after the start" in page
    response = browser.submit(f"/events/{event.id}/questions", {"body": "Late", "offset_min": "500"})
    assert response.status_code == 422
    assert client_for(make_user()).get(f"/events/{event.id}/questions").status_code == 403


def test_hosts_edit_a_question_and_post_the_next_one_without_javascript(client_for, make_event, make_user):
    host = make_user()
    event = make_event(host, kind="tweetmeet")
    first = tweetmeet.add_question(event, host, "Q1 What works for you?", 5)
    browser = client_for(host)
    edit = f"/events/{event.id}/questions/{first.id}/edit"
    assert "What works for you?" in text(browser.get(edit))
    refused = browser.submit(edit, {"body": "Q1", "offset_min": "5"})
    assert refused.status_code == 422 and "3 to 500 characters" in refused.get_data(as_text=True)
    assert browser.submit(edit, {"body": "What works best for you?", "offset_min": "7"}).status_code == 302
    page = text(browser.get(f"/events/{event.id}/questions"))
    assert "What works best for you?" in page and "7 min after the start" in page
    assert "Post Q1 in the room now" not in page  # the room is not open yet
    move(event, utcnow() - timedelta(minutes=1))
    page = text(browser.get(f"/events/{event.id}/questions"))
    assert "Post Q1 in the room now" in page
    posted = browser.submit(
        f"/events/{event.id}/questions/next", {"back": "room"}, page=f"/events/{event.id}/questions"
    )
    assert posted.status_code == 302 and posted.location.endswith(f"/events/{event.id}/room")
    assert "<strong>Q1</strong> What works best for you?" in text(browser.get(f"/events/{event.id}/room"))
    member = client_for(make_user())
    assert member.get(edit).status_code == 403
    assert member.post(f"/events/{event.id}/questions/next").status_code in (400, 403)
    assert browser.get(f"/events/{event.id}/questions/99999/edit").status_code == 404
