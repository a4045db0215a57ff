"""Early access: the current cohort's experts (and programme admins) see
announcements; nobody else does, in pages, the API or search."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.programmes import announcements
from tests.programmes.conftest import NOW


@pytest.fixture
def cohorts(make_cohort, make_user, submitted, admin, clock):
    """Last year's cohort and this year's, both announced; who is in which."""
    last = make_cohort("2024-2025", opens=NOW - timedelta(days=5), closes=NOW + timedelta(days=1),
                       announce=NOW + timedelta(days=3))
    current = make_cohort("2025-2026", opens=NOW - timedelta(days=5), closes=NOW + timedelta(days=1),
                          announce=NOW + timedelta(days=4))
    people = {
        "expert": make_user("current_expert", country="GB"),
        "former": make_user("former_expert", country="FR"),
        "declined": make_user("not_chosen", country="KE"),
        "member": make_user("just_member", country="BR"),
    }
    submitted(last, people["former"], "accepted", admin)
    submitted(current, people["expert"], "accepted", admin)
    submitted(current, people["declined"], "declined", admin)
    clock.at(NOW + timedelta(days=5))
    item = announcements.post(admin, title="Preview of the zeppelin reading coach",
                              body="Try the **zeppelin** coach before launch.")
    return current, people, item


def test_announcements_are_for_the_current_cohort_only(cohorts, client_for, client, api, index_now, admin):
    current, people, item = cohorts
    index_now()
    assert item.cohort_id == current.id

    expert = client_for(people["expert"])
    page = expert.get("/programmes/early-access")
    assert page.status_code == 200 and "zeppelin reading coach" in page.get_data(as_text=True)
    assert "Expert early access" in expert.get("/programmes").get_data(as_text=True)
    api.login(people["expert"].username)
    assert [a["title"] for a in api.get("/announcements").get_json()] == [item.title]
    found = api.get("/search", query_string={"q": "zeppelin"}).get_json()
    assert [(r["type"], r["id"]) for r in found["results"]] == [("announcement", item.id)]

    for key in ("former", "declined", "member"):
        browser = client_for(people[key])
        response = browser.get("/programmes/early-access")
        assert response.status_code == 403, key
        assert "zeppelin" not in response.get_data(as_text=True)
        assert "early-access" not in browser.get("/programmes").get_data(as_text=True)
        results = browser.get("/search?q=zeppelin").get_data(as_text=True)
        assert "No results." in results and "reading coach" not in results
        api.login(people[key].username)
        assert api.get("/announcements").status_code == 403
        assert api.get("/search", query_string={"q": "zeppelin"}).get_json()["total"] == 0, key

    assert client.get("/programmes/early-access").status_code == 302  # to sign in
    assert client.get("/api/v1/announcements").status_code == 401
    assert client.get("/api/v1/search", query_string={"q": "zeppelin"}).get_json()["total"] == 0

    api.login(admin.username)
    assert api.get("/search", query_string={"q": "zeppelin"}).get_json()["total"] == 1


def test_only_admins_post_announcements(cohorts, client_for, api):
    _, people, _ = cohorts
    api.login(people["expert"].username)
    assert api.post("/announcements", json={"title": "Hello experts", "body": "x"}).status_code == 403
    browser = client_for(people["expert"])
    assert "Post announcement" not in browser.get("/programmes/early-access").get_data(as_text=True)
