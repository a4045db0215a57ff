"""The home page: panels for members in a fixed number of queries; a welcome for visitors."""

from __future__ import annotations

from datetime import timedelta

from app import member_cache
from app.db_types import utcnow
from app.people import services as people


def test_visitors_see_what_the_community_is_and_how_to_join(client, make_user, make_resource):
    make_resource(make_user(), title="Public fractions wall")
    page = client.get("/").get_data(as_text=True)
    assert "Join the community" in page and "How to join" in page
    assert "Public fractions wall" in page


def test_member_home_shows_each_panel(client_for, make_user, make_resource, make_thread):
    me = make_user("amira", subjects=["music"], age_ranges=["7-11"], country="GB")
    colleague = make_user("gary", subjects=["music"], country="GB")
    make_resource(colleague, title="Samba rhythms", subject="music", age_ranges=["11-14"])
    make_resource(colleague, title="Algebra tiles", subject="mathematics", age_ranges=["14-16"])
    make_thread(colleague, title="How do you teach rhythm to seven year olds?")
    page = client_for(me).get("/").get_data(as_text=True)
    for heading in ("Your upcoming events", "New resources for you", "Questions waiting for an answer",
                    "Your groups this week", "Unread notifications", "People you might connect with"):
        assert heading in page, heading
    assert "Samba rhythms" in page and "Algebra tiles" not in page
    assert "How do you teach rhythm" in page
    assert "Gary" in page or "Teacher" in page


def test_events_i_go_to_show_in_my_time_zone_with_a_live_mark(client_for, make_user):
    from app.events import rsvp as rsvps  # noqa: PLC0415
    from app.events import services as events  # noqa: PLC0415

    me = make_user("yuki", timezone="Asia/Tokyo")
    host = make_user("host")
    now = utcnow()
    live_event = events.create_event(host, title="Open connection call", kind="connection_call",
                                     starts_at=now + timedelta(minutes=10), duration_min=60,
                                     description="Come along", timezone="UTC")
    later = events.create_event(host, title="Next TweetMeet", kind="connection_call",
                                starts_at=now + timedelta(days=2), duration_min=60, description="Later",
                                timezone="UTC")
    rsvps.rsvp(live_event, me)
    rsvps.rsvp(later, me)
    page = client_for(me).get("/").get_data(as_text=True)
    assert "Live now" in page and f"/events/{live_event.id}/room" in page
    assert "Next TweetMeet" in page and "JST" in page
    assert page.count("Live now") == 1


def test_the_member_home_page_takes_a_fixed_number_of_queries(client_for, make_user, make_resource, make_thread,
                                                              count_queries):
    me = make_user("amira", subjects=["music"], age_ranges=["7-11"])
    browser = client_for(me)

    def add(count: int) -> None:
        for _ in range(count):
            other = make_user(subjects=["music"])
            make_resource(other, subject="music")
            make_thread(other)
            people.follow(me, other)

    def chosen_again():  # the panels' choice made afresh, as after a write or HOME_SECONDS
        member_cache.forget(me.id, member_cache.HOME)
        return browser.get("/")

    add(1)
    assert browser.get("/").status_code == 200
    few, few_kept = count_queries(chosen_again), count_queries(lambda: browser.get("/"))
    add(6)
    many, many_kept = count_queries(chosen_again), count_queries(lambda: browser.get("/"))
    assert (few, few_kept) == (many, many_kept), (few, few_kept, many, many_kept)
    assert many <= 30, many  # 15 today: user, badges, one query a panel plus fixed eager loads
    assert many_kept < many, (many_kept, many)  # a kept choice: its rows by id, the badges kept too

