"""The announcement: nothing about decisions before its time (pages, API,
search); every applicant notified once after it; the public list by
country with a returning expert's years; badges and the CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import Notification
from app.programmes import services
from app.programmes.models import Cohort
from tests.helpers import count_queries
from tests.programmes.conftest import ANNOUNCE, NOW

DECISION_WORDS = re.compile(r"accepted|declined|waitlist|congratulations|not selected|\bresult:", re.I)


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<script.*?</script>|<header.*?</header>|<footer.*?</footer>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def notifications_of(user) -> list[str]:
    return list(db.session.scalars(select(Notification.text).where(Notification.user_id == user.id)))


@pytest.fixture
def decided(make_cohort, make_user, submitted, admin):
    cohort = make_cohort()
    people = {
        "accepted": make_user("ada", display_name="Ada Lovelace", country="GB", school="Ravenswood Academy"),
        "declined": make_user("bob", display_name="Bob Marley", country="FR"),
        "waitlisted": make_user("cyril", display_name="Cyril Smith", country="KE"),
    }
    apps = {decision: submitted(cohort, user, decision, admin) for decision, user in people.items()}
    return cohort, people, apps


def test_nothing_about_decisions_leaks_before_the_announcement(decided, client_for, api, index_now, clock, client):
    cohort, people, apps = decided
    clock.at(ANNOUNCE - timedelta(seconds=1))
    for decision, user in people.items():
        browser = client_for(user)
        for path in (f"/programmes/applications/{apps[decision].id}", "/programmes", f"/u/{user.username}"):
            response = browser.get(path)
            assert response.status_code == 200
            assert not DECISION_WORDS.search(visible_text(response.get_data(as_text=True))), (decision, path)
        api.login(user.username)
        assert api.get(f"/applications/{apps[decision].id}").get_json()["decision"] is None
        assert all(row["decision"] is None for row in api.get("/applications").get_json())
        assert notifications_of(user) == []
    for path in (f"/programmes/experts/{cohort.school_year}", "/programmes/experts"):
        page = client.get(path)  # says when, and nothing else
        assert page.status_code == 200 and "will be published on" in page.get_data(as_text=True)
        assert not DECISION_WORDS.search(visible_text(page.get_data(as_text=True)))
        assert not any(user.display_name in page.get_data(as_text=True) for user in people.values())
    assert client.get(f"/programmes/experts/{cohort.school_year}.csv").status_code == 404
    assert client.get(f"/programmes/badges/ada/{cohort.school_year}.svg").status_code == 404
    listing = client.get(f"/api/v1/cohorts/{cohort.id}/experts", query_string={"q": "Ada"})
    assert listing.status_code == 200 and listing.get_json() == {
        "school_year": cohort.school_year, "published": False, "published_at": ANNOUNCE.isoformat(),
        "total": 0, "countries": []}
    index_now()
    for query in ("Ada Lovelace", "accepted", cohort.school_year, "expert"):
        body = client.get("/api/v1/search", query_string={"q": query}).get_json()
        assert body["total"] == 0, (query, body)
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert "No results." in page and not DECISION_WORDS.search(visible_text(page.split("No results.", 1)[1]))


def test_the_experts_page_before_any_cohort_says_so(client):
    page = client.get("/programmes/experts")
    assert page.status_code == 200 and "No list of experts has been published yet." in page.get_data(as_text=True)
    assert client.get("/programmes/experts/1999-2000").status_code == 404  # no such cohort


def test_every_applicant_is_notified_once_at_the_announcement(decided, client_for, clock, runner):
    cohort, people, apps = decided
    clock.at(ANNOUNCE)
    browser = client_for(people["declined"])
    page = browser.get(f"/programmes/applications/{apps['declined'].id}").get_data(as_text=True)
    assert "Result: Declined" in page
    assert notifications_of(people["accepted"]) == [
        f"Congratulations: you are a Staffroom Expert {cohort.school_year}."
    ]
    assert notifications_of(people["waitlisted"]) == [
        f"Staffroom Experts {cohort.school_year}: you are on the waiting list."
    ]
    assert len(notifications_of(people["declined"])) == 1
    browser.get("/programmes")
    result = runner.invoke(args=["programmes", "announce"])
    assert result.exit_code == 0 and "Nothing to announce" in result.output
    assert db.session.scalar(select(func.count(Notification.id))) == 3
    assert db.session.get(Cohort, cohort.id).announced_at == ANNOUNCE


def test_the_command_announces_when_no_page_is_loaded(decided, runner, clock):
    cohort, people, _ = decided
    assert "Nothing to announce" in runner.invoke(args=["programmes", "announce"]).output
    clock.at(ANNOUNCE + timedelta(minutes=1))
    result = runner.invoke(args=["programmes", "announce"])
    assert f"Announced {cohort.school_year}" in result.output
    assert db.session.scalar(select(func.count(Notification.id))) == 3
    assert services.announce_due() == []


def test_the_public_list_groups_by_country_and_counts_a_returning_experts_years(
        make_cohort, make_user, submitted, admin, client, clock, api):
    past = [make_cohort(year, opens=NOW - timedelta(days=10), closes=NOW + timedelta(days=1),
                        announce=NOW + timedelta(days=3 + n))
            for n, year in enumerate(("2023-2024", "2024-2025", "2025-2026"))]
    ada = make_user("ada", display_name="Ada Lovelace", country="GB", school="Ravenswood Academy",
                    subjects=["computing"])
    grace = make_user("grace", display_name="Grace Hopper", country="US", school="Lincoln Middle School")
    alan = make_user("alan", display_name="Alan Turing", country="GB", school="Sherborne")
    submitted(past[0], ada, "accepted", admin)
    submitted(past[1], ada, "declined", admin)  # a year out does not count
    submitted(past[2], ada, "accepted", admin)
    submitted(past[1], grace, "accepted", admin)
    submitted(past[2], grace, "accepted", admin)
    submitted(past[2], alan, "accepted", admin)
    clock.at(NOW + timedelta(days=30))

    html = client.get("/programmes/experts/2025-2026").get_data(as_text=True)
    sections = dict(re.findall(r'<section id="(country-[a-z]{2})"(.*?)</section>', html, re.S))
    assert list(sections) == ["country-gb", "country-us"]
    assert "United Kingdom" in sections["country-gb"] and "United States" in sections["country-us"]
    assert "Ada Lovelace" in sections["country-gb"] and "Alan Turing" in sections["country-gb"]
    assert "Grace Hopper" in sections["country-us"]
    assert re.search(r"Ada Lovelace.*?2nd year", sections["country-gb"], re.S)
    assert re.search(r"Alan Turing.*?1st year", sections["country-gb"], re.S)
    assert re.search(r"Grace Hopper.*?2nd year", sections["country-us"], re.S)

    # The current cohort's list (the pages differ only outside <main>: the footer's language form returns to each)
    assert main_of(client.get("/programmes/experts").get_data(as_text=True)) == main_of(html)
    found = client.get("/programmes/experts/2025-2026", query_string={"q": "computing"}).get_data(as_text=True)
    assert "Ada Lovelace" in found and "Alan Turing" not in found
    assert "Grace Hopper" in client.get("/programmes/experts/2025-2026?q=lincoln").get_data(as_text=True)

    rows = list(csv.DictReader(io.StringIO(client.get("/programmes/experts/2025-2026.csv").get_data(as_text=True))))
    assert {(r["name"], r["country"], r["years_in_programme"]) for r in rows} == {
        ("Ada Lovelace", "GB", "2"), ("Alan Turing", "GB", "1"), ("Grace Hopper", "US", "2")}
    assert "http://localhost/u/ada" in {r["profile"] for r in rows}  # no SITE_URL: where the site is served

    body = client.get(f"/api/v1/cohorts/{past[2].id}/experts").get_json()
    assert [(c["code"], [e["username"] for e in c["experts"]]) for c in body["countries"]] == [
        ("GB", ["ada", "alan"]), ("US", ["grace"])]
    assert body["countries"][0]["experts"][0]["years"] == 2

    badge = client.get("/programmes/badges/ada/2025-2026.svg")
    assert badge.status_code == 200 and badge.mimetype == "image/svg+xml"
    assert badge.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in badge.headers["Content-Security-Policy"]
    svg = badge.get_data(as_text=True)
    assert "Expert 2025-2026" in svg and "2nd year" in svg and "<script" not in svg
    profile = client.get("/u/ada").get_data(as_text=True)
    assert 'alt="Expert 2025-2026, 2nd year"' in profile and 'alt="Expert 2023-2024, 1st year"' in profile


def test_the_list_page_takes_a_fixed_number_of_queries(make_cohort, make_user, submitted, admin, client, clock):
    cohort = make_cohort()
    clock.at(ANNOUNCE)
    client.get("/programmes")  # announce first: that page does the notifying

    def count(path: str) -> int:
        def load() -> None:
            assert client.get(path).status_code == 200

        return count_queries(load)

    clock.at(NOW)
    for n in range(2):
        submitted(cohort, make_user(country=["GB", "FR"][n]), "accepted", admin)
    clock.at(ANNOUNCE)
    few = count(f"/programmes/experts/{cohort.school_year}")
    clock.at(NOW)
    for n in range(8):
        submitted(cohort, make_user(country=["GB", "FR", "KE", "BR"][n % 4]), "accepted", admin)
    clock.at(ANNOUNCE)
    assert count(f"/programmes/experts/{cohort.school_year}") == few


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
