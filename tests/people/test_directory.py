"""The member directory: filters combine, hidden and suspended members never appear."""

from __future__ import annotations

import re

import pytest

from app.accounts import services as accounts
from app.exceptions import ValidationFailed
from app.extensions import db
from app.notifications import services as notification_services
from app.people import preferences, services
from app.people.forms import notification_field


def names_on(page: str) -> set[str]:
    return set(re.findall(r'<p class="muted">@([a-z0-9_]+)</p>', page))


def test_filters_combine_and_hidden_members_never_appear(client, make_user):
    make_user("amira", display_name="Amira Haddad", country="SA", school="Riyadh Academy",
              subjects=["mathematics"], age_ranges=["11-14"])
    make_user("gary", display_name="Gary White", country="GB", school="Leeds Grammar",
              subjects=["mathematics", "physics"], age_ranges=["14-16"])
    make_user("leyla", display_name="Leyla Mammadova", country="AZ", school="Baku Lyceum",
              subjects=["english"], age_ranges=["11-14"])
    hidden = make_user("hidden_h", display_name="Hidden Mathematician", country="SA",
                       school="Riyadh Academy", subjects=["mathematics"], age_ranges=["11-14"])
    services.update_settings(hidden, directory_visible=False, languages=["ar"])
    services.update_settings(accounts.get_by_username("amira"), languages=["ar", "en"])
    services.update_settings(accounts.get_by_username("leyla"), languages=["az", "en"])
    moderator = make_user("modder", role="moderator")
    suspended = make_user("suspended", subjects=["mathematics"], country="SA")
    accounts.suspend(suspended, moderator, "spam")

    def find(**query) -> set[str]:
        response = client.get("/people", query_string=query)
        assert response.status_code == 200
        return names_on(response.get_data(as_text=True))

    assert find(subject="mathematics") == {"amira", "gary"}
    assert find(subject="mathematics", country="SA") == {"amira"}
    assert find(age_range="11-14") == {"amira", "leyla"}
    assert find(age_range="11-14", language="en") == {"amira", "leyla"}
    assert find(age_range="11-14", language="ar") == {"amira"}
    assert find(language="ar", subject="physics") == set()
    assert find(school="riyadh") == {"amira"}
    assert find(q="white") == {"gary"}
    assert find(q="hidden") == set()
    assert "hidden_h" not in find() and "suspended" not in find()
    assert find(subject="not-a-subject") == find()  # unknown values are ignored, not an error
    page = client.get("/people").get_data(as_text=True)
    assert page.index("@amira") < page.index("@gary") < page.index("@leyla")  # sorted by name


def test_the_directory_pages_twenty_at_a_time(client, make_user):
    for n in range(23):
        make_user(f"member{n:02d}", display_name=f"Member {n:02d}")
    first = client.get("/people").get_data(as_text=True)
    second = client.get("/people?page=2").get_data(as_text=True)
    assert len(names_on(first)) == 20 and len(names_on(second)) == 3
    assert "23 members found" in first and 'rel="next"' in first


def test_the_directory_shows_subjects_in_a_fixed_number_of_queries(client, make_user, count_queries):
    def add(count: int) -> None:
        for _ in range(count):
            make_user(subjects=["music", "physics"], age_ranges=["7-11"])

    def load() -> None:
        page = client.get("/people").get_data(as_text=True)
        assert "Physics" in page and "7" in page

    add(2)
    few = count_queries(load)
    add(10)
    assert count_queries(load) == few  # subjects and age ranges: one query each for the page


def test_settings_page_hides_me(client_for, make_user, client):
    user = make_user("shy_one")
    browser = client_for(user)
    response = browser.submit("/settings/people", {"digest": "weekly", "languages": ["fr"]})
    assert response.status_code == 302
    settings = services.settings_of(user)
    assert settings.directory_visible is False and settings.digest == "weekly" and settings.language_codes == ["fr"]
    assert "shy_one" not in names_on(client.get("/people").get_data(as_text=True))


def test_following_shows_counts_and_their_resources_on_my_home(client_for, make_user, make_resource):
    amira, gary = make_user("amira", subjects=["music"]), make_user("gary")
    browser = client_for(amira)
    assert browser.submit("/people/gary/follow", {}, page="/u/gary").status_code == 302
    profile = browser.get("/u/gary").get_data(as_text=True)
    assert "<strong>1</strong> follower" in profile and "Unfollow" in profile
    assert "<strong>1</strong> following" in browser.get("/u/amira").get_data(as_text=True)
    make_resource(gary, title="Gary's fractions starter")
    home = browser.get("/").get_data(as_text=True)
    assert "From people you follow" in home and "Gary&#39;s fractions starter" in home
    assert browser.submit("/people/gary/unfollow", {}, page="/u/gary").status_code == 302
    assert services.follow_counts(gary) == {"followers": 0, "following": 0}


def test_notification_preferences_are_honoured(make_user, client_for):
    amira, gary = make_user("amira"), make_user("gary")
    browser = client_for(amira)
    form = {"digest": "none", "directory_visible": "y"}
    for kind in preferences.KINDS:
        form[notification_field(kind)] = "none" if kind == "kudos" else ("web" if kind == "follow" else "email")
    assert browser.submit("/settings/people", form).status_code == 302
    assert notification_services.preference_for(amira, "kudos") == "none"
    assert notification_services.preference_for(amira, "follow") == "web"
    assert notification_services.notify(amira, "kudos", "Gary gave kudos", "/x", actor=gary) is None
    assert notification_services.notify(amira, "follow", "Gary follows you", "/u/gary", actor=gary) is not None


def test_one_save_keeps_every_setting_and_bad_input_keeps_none(make_user, client_for):
    amira = make_user("amira")
    browser = client_for(amira)
    page = browser.get("/settings/people").get_data(as_text=True)
    assert page.count('<form method="post" action="/settings/people"') == 1
    labels = list(preferences.KINDS.values())
    assert len(set(labels)) == len(labels) and "mention" not in preferences.KINDS
    # Every kind the site sends can be chosen, including the ones once missing from the list.
    assert {"forum.answer", "event_cancelled", "collab_offer", "programme_result"} <= set(preferences.KINDS)
    saved = {"digest": "weekly", "languages": ["fr"], notification_field("kudos"): "none"}
    assert browser.submit("/settings/people", saved).status_code == 302
    assert services.settings_of(amira).digest == "weekly"
    assert notification_services.preference_for(amira, "kudos") == "none"
    assert notification_services.preference_for(amira, "follow") == "email"  # a select left out keeps its value

    for bad in ({"digest": "monthly", notification_field("follow"): "web"},
                {"digest": "daily", notification_field("follow"): "carrier-pigeon"}):
        response = browser.submit("/settings/people", bad)
        assert response.status_code == 422 and "There is a problem" in response.get_data(as_text=True)
        assert services.settings_of(amira).digest == "weekly"
        assert notification_services.preference_for(amira, "follow") == "email"


def test_the_settings_service_writes_all_or_nothing(make_user):
    amira = make_user("amira")
    with pytest.raises(ValidationFailed) as caught:
        services.update_settings(amira, digest="weekly", notifications={"kudos": "none", "mention": "web"})
    assert caught.value.fields == {"mention": "Unknown kind of notification."}
    assert (
        services.settings_of(amira).digest == "none" and notification_services.preference_for(amira, "kudos") == "email"
    )
    services.update_settings(amira, digest="daily", notifications={"kudos": "web"})
    assert (
        services.settings_of(amira).digest == "daily" and notification_services.preference_for(amira, "kudos") == "web"
    )


def test_the_programme_filter_finds_showcase_school_leaders(client, make_user):
    from app.programmes import schools  # noqa: PLC0415

    leader, incubator = make_user("leader_l"), make_user("incubator_i")
    make_user("plain_p")
    showcase = schools.create_school(leader, name="Harbourside Primary", country="AU", city="Sydney")
    schools.create_school(incubator, name="New School", country="GB", city="Leeds")
    showcase.status = "showcase"
    db.session.commit()
    page = client.get("/people", query_string={"programme": "showcase_leader"}).get_data(as_text=True)
    assert names_on(page) == {"leader_l"}
    assert names_on(client.get("/people", query_string={"programme": "expert"}).get_data(as_text=True)) == set()


def test_settings_link_to_time_zone_and_units(client_for, make_user):
    page = client_for(make_user()).get("/settings/people").get_data(as_text=True)
    assert 'href="/settings/profile"' in page and 'href="/me/fitness"' in page
    assert "Not at all" in page  # one choice per kind of notification
