"""Members' cached panels (app/member_cache.py): a write shows up in the
panel it changes at once, in this process's memory and in Redis; what
others do shows within the panel's stated delay."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

import pytest

from app import member_cache
from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.forum import subscriptions
from app.groups import services as groups
from app.messages import services as messages
from app.notifications import services as notifications
from app.people import home
from app.people import services as people
from tests import services


@pytest.fixture(params=["memory", "redis"])
def app_settings(request):
    if request.param == "memory":
        return {}
    return {"REDIS_URL": services.need_redis(), "MEMBER_CACHE_PREFIX": f"test-{secrets.token_hex(8)}"}


def badge(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[page.index(">", start) + 1:page.index("<", start)]


def home_page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_store_is_the_one_configured(app):
    store = app.extensions["member_cache"]
    assert isinstance(store, member_cache.RedisStore if app.config["REDIS_URL"] else member_cache.LocalStore)
    assert member_cache.remember("probe", 1, 5, lambda: {"n": 1}) == {"n": 1}
    assert member_cache.remember("probe", 1, 5, lambda: {"n": 2}) == {"n": 1}  # kept
    member_cache.forget(1, "probe")
    assert member_cache.remember("probe", 1, 5, lambda: {"n": 3}) == {"n": 3}


def test_unread_notifications_badge_follows_new_and_read_notifications(client_for, make_user):
    me, fan = make_user("mira"), make_user("fan")
    browser = client_for(me)
    assert badge(home_page(browser), "unread-count") == "0"
    people.follow(fan, me)  # notifies me
    assert badge(home_page(browser), "unread-count") == "1"
    notifications.mark_read(me)
    assert badge(home_page(browser), "unread-count") == "0"


def test_unread_messages_badge_follows_sent_and_read_messages(client_for, make_user):
    me, friend = make_user("mira"), make_user("friend")
    browser = client_for(me)
    assert badge(home_page(browser), "pm-unread-count") == "0"
    conversation, _ = messages.start_conversation(friend, [me.username], "Coffee at break?")
    assert badge(home_page(browser), "pm-unread-count") == "1"
    messages.send(conversation, friend, "Or lunch?")
    assert badge(home_page(browser), "pm-unread-count") == "2"
    messages.mark_read(conversation, me)
    assert badge(home_page(browser), "pm-unread-count") == "0"


def test_the_members_own_writes_show_on_the_home_page_at_once(client_for, make_user, make_event, make_resource,
                                                              make_thread):
    me = make_user("mira", subjects=["music"], country="GB")
    colleague = make_user("colleague", subjects=["music"], country="GB")
    event = make_event(colleague, title="Music leads meetup", starts_at=utcnow() + timedelta(days=3))
    make_resource(colleague, title="Rhythm games", subject="music")
    club = groups.create_group(colleague, name="Choir walkers", focus="walking")
    question = make_thread(colleague, title="Which songs for assembly?")
    browser = client_for(me)
    page = home_page(browser)
    assert "Music leads meetup" not in page and "Choir walkers" not in page
    assert "Which songs for assembly?" in page

    rsvps.rsvp(event, me)
    groups.join(club, me)
    people.follow(me, colleague)
    page = home_page(browser)
    assert "Music leads meetup" in page and "Choir walkers" in page
    assert 'id="panel-followed"' in page and "Rhythm games" in page

    rsvps.cancel_rsvp(event, me)
    groups.leave(club, me)
    subscriptions.set_category_level(me, question.category, "muted")
    page = home_page(browser)
    assert "Music leads meetup" not in page and "Choir walkers" not in page
    assert "Which songs for assembly?" not in page


def test_a_profile_change_chooses_resources_again(client_for, make_user, make_resource):
    from app.accounts import services as accounts  # noqa: PLC0415

    me, colleague = make_user("mira", subjects=["music"]), make_user("colleague")
    make_resource(colleague, title="Fractions with pizza", subject="mathematics")
    browser = client_for(me)
    assert "Fractions with pizza" not in home_page(browser).split('id="panel-resources"')[1].split("</section>")[0]
    accounts.update_profile(me, subjects=["mathematics"])
    assert "Fractions with pizza" in home_page(browser).split('id="panel-resources"')[1].split("</section>")[0]


def test_what_others_do_shows_within_the_stated_delay(client_for, make_user, make_thread, monkeypatch):
    monkeypatch.setattr(home, "HOME_SECONDS", 1.5)
    me, colleague = make_user("mira"), make_user("colleague")
    browser = client_for(me)
    make_thread(colleague, title="First question")
    assert "First question" in home_page(browser)
    make_thread(colleague, title="A newer question")
    assert "A newer question" not in home_page(browser)  # the choice is kept ...
    time.sleep(1.6)
    assert "A newer question" in home_page(browser)  # ... for HOME_SECONDS


def test_kept_rows_are_read_again_so_a_hidden_thread_leaves(client_for, make_user, make_thread):
    from app.forum import moderation  # noqa: PLC0415

    me, colleague = make_user("mira"), make_user("colleague")
    moderator = make_user("mod", role="moderator")
    thread = make_thread(colleague, title="Soon hidden")
    browser = client_for(me)
    assert "Soon hidden" in home_page(browser)
    moderation.hide_thread(thread, moderator, "Off topic")
    assert "Soon hidden" not in home_page(browser)  # the kept choice names it; reading it again drops it
