"""GET /api/v1/people/suggest: the @mention picker's look-up."""

from __future__ import annotations

from app import rate_limits
from app.accounts import services as accounts
from app.messages import services as messages
from app.people import services as people


def _names(response):
    assert response.status_code == 200, response.get_json()
    return [p["username"] for p in response.get_json()["items"]]


def test_matches_usernames_then_words_of_display_names(api_for, make_user):
    asker = make_user("asker_a", display_name="Asker")
    make_user("mark_t", display_name="Mark Taylor")
    make_user("amira_h", display_name="Amira Mahmoud")
    make_user("jo_ma", display_name="Jo Marsh")
    make_user("tom_b", display_name="Tom Bell")
    api = api_for(asker)
    assert _names(api.get("/people/suggest?q=ma")) == ["mark_t", "amira_h", "jo_ma"]
    assert _names(api.get("/people/suggest?q=@MAR")) == ["mark_t", "jo_ma"]
    assert _names(api.get("/people/suggest?q=ask")) == []  # never the asker
    assert _names(api.get("/people/suggest?q=%25")) == []  # a LIKE wildcard is a character
    item = api.get("/people/suggest?q=tom").get_json()["items"][0]
    assert item == {"username": "tom_b", "display_name": "Tom Bell", "avatar_url": None, "profile_url": "/u/tom_b"}


def test_never_offers_who_blocked_the_asker_or_suspended_members(api_for, make_user):
    asker = make_user("asker_a")
    blocker, blocked = make_user("mary_b"), make_user("maya_c")
    moderator = make_user("mod_m", role="moderator")
    suspended = make_user("max_s")
    messages.block(blocker, asker)
    messages.block(asker, blocked)  # the asker's own block does not hide them from the asker
    accounts.suspend(suspended, by=moderator, reason="spam")
    assert _names(api_for(asker).get("/people/suggest?q=ma")) == ["maya_c"]


def test_bad_queries_are_400_and_visitors_401(api, api_for, make_user):
    member = api_for(make_user())
    for query in ("", "?q=", "?q=%20%20", "?q=@", f"?q={'a' * 31}"):
        response = member.get(f"/people/suggest{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["code"] == "bad_request"
    assert api.get("/people/suggest?q=ma").status_code == 401


def test_rate_limited(app, api_for, make_user, monkeypatch):
    rate_limits.reset_limits()
    monkeypatch.setattr(people, "SUGGEST_LIMIT", "2 per minute")
    member = api_for(make_user())
    assert [member.get("/people/suggest?q=ma").status_code for _ in range(3)] == [200, 200, 429]
    assert member.get("/people/suggest?q=ma").get_json()["error"]["code"] == "rate_limited"
