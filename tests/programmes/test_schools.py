"""Showcase schools: the incubator checklist, the two application windows,
admins' decisions, and the "near you" directory sorted by distance."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.exceptions import Conflict, Forbidden, ValidationFailed
from app.extensions import db
from app.programmes import geo, schools
from tests.helpers import csrf_from
from tests.programmes.conftest import NOW

SPRING = (NOW + timedelta(days=10), NOW + timedelta(days=40))
AUTUMN = (NOW + timedelta(days=200), NOW + timedelta(days=230))


@pytest.fixture
def checklist(admin):
    return [schools.save_checklist_item(admin, title=title) for title in
            ("A shared vision", "A professional development plan", "Evidence of improved outcomes")]


@pytest.fixture
def windows(admin):
    return [schools.add_window(admin, name="Spring", opens_at=SPRING[0], closes_at=SPRING[1]),
            schools.add_window(admin, name="Autumn", opens_at=AUTUMN[0], closes_at=AUTUMN[1])]


def tick_all(school, leader, items):
    for item in items:
        schools.tick(school, leader, item.id, evidence=f"{item.title}: written up and shared with staff.", now=NOW)


def test_the_incubator_to_showcase_flow_respects_the_two_windows(make_user, admin, checklist, windows, client):
    leader = make_user()
    school = schools.create_school(leader, name="Ravenswood Academy", country="GB", city="London", now=NOW)
    assert school.status == "incubator"
    statement = "We meet every criterion and host visits each month."

    with pytest.raises(Conflict) as outside:  # before the first window
        schools.apply(school, leader, statement, now=SPRING[0] - timedelta(seconds=1))
    assert "two windows a year" in outside.value.message and "Spring" in outside.value.message
    with pytest.raises(Conflict) as unfinished:  # in a window, checklist incomplete
        schools.apply(school, leader, statement, now=SPRING[0])
    assert "checklist" in unfinished.value.message

    tick_all(school, leader, checklist)
    first = schools.apply(school, leader, statement, now=SPRING[0])
    assert first.window.name == "Spring"
    with pytest.raises(Conflict):  # waiting for a decision
        schools.apply(school, leader, statement, now=SPRING[0] + timedelta(days=1))
    schools.decide(admin, first.id, False, now=SPRING[1])
    with pytest.raises(Conflict) as again:  # one application per window
        schools.apply(school, leader, statement, now=SPRING[1] - timedelta(seconds=1))
    assert "Spring" in again.value.message
    with pytest.raises(Conflict):  # between windows
        schools.apply(school, leader, statement, now=SPRING[1] + timedelta(days=30))
    second = schools.apply(school, leader, statement, now=AUTUMN[0])
    assert second.window.name == "Autumn"
    with pytest.raises(Forbidden):
        schools.decide(leader, second.id, True)
    schools.decide(admin, second.id, True, now=AUTUMN[0] + timedelta(days=3))
    assert school.status == "showcase" and school.showcase_since == AUTUMN[0] + timedelta(days=3)
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert "Showcase School" in page and "year in the programme" in page
    assert "Spring: not this time" in page and "Autumn: accepted" in page


def test_two_windows_a_year_that_never_overlap(admin, windows):
    with pytest.raises(ValidationFailed) as third:
        schools.add_window(admin, name="Summer", opens_at=SPRING[1] + timedelta(days=10),
                           closes_at=SPRING[1] + timedelta(days=20))
    assert "already has its 2 windows" in third.value.fields["opens_at"]
    next_year = AUTUMN[0].replace(year=AUTUMN[0].year + 1)
    schools.add_window(admin, name="Next spring", opens_at=next_year, closes_at=next_year + timedelta(days=30))
    with pytest.raises(ValidationFailed) as overlap:
        schools.add_window(admin, name="Clash", opens_at=next_year + timedelta(days=5),
                           closes_at=next_year + timedelta(days=50))
    assert "overlap" in overlap.value.fields["opens_at"]


def test_only_leaders_tick_and_apply(make_user, checklist, client_for):
    leader, outsider = make_user(), make_user()
    school = schools.create_school(leader, name="Lycée Victor Hugo", country="FR", city="Paris")
    with pytest.raises(Forbidden):
        schools.tick(school, outsider, checklist[0].id, evidence="I am not a leader of this school.")
    browser = client_for(outsider)
    token = csrf_from(browser.get(f"/schools/{school.id}").get_data(as_text=True))
    response = browser.post(f"/schools/{school.id}/checklist/{checklist[0].id}",
                            data={"csrf_token": token, "evidence": "Trying to tick it anyway."})
    assert response.status_code == 403
    with pytest.raises(ValidationFailed):
        schools.tick(school, leader, checklist[0].id, evidence="short")
    browser = client_for(leader)
    token = csrf_from(browser.get(f"/schools/{school.id}").get_data(as_text=True))
    browser.post(f"/schools/{school.id}/checklist/{checklist[0].id}",
                 data={"csrf_token": token, "evidence": "Vision agreed with staff and parents in March."})
    page = browser.get(f"/schools/{school.id}").get_data(as_text=True)
    assert "1 of 3 criteria met" in page and "Vision agreed with staff" in page


@pytest.fixture
def uk_schools(make_user):
    leader = make_user()
    made = {}
    for key, name in (("edinburgh", "Old Town High"), ("manchester", "Northern Quarter School"),
                      ("reading", "Thames Valley Primary"), ("paris", "Lycée Victor Hugo")):
        city, country, lat, lon = geo.CITIES[key]
        made[key] = schools.create_school(leader, name=name, country=country, city=city, latitude=lat, longitude=lon)
    schools.create_school(leader, name="Somewhere School", country="GB", city="London")  # no coordinates
    return made


def test_distance_sorting_is_right_for_known_cities(uk_schools, client, api):
    london = geo.city_point("london")
    found = schools.directory(country="GB", origin=london)["incubator"]
    assert [item.school.city for item in found] == ["Reading", "Manchester", "Edinburgh", "London"]
    assert [round(item.distance_km) for item in found[:3]] == [59, 262, 534]
    assert found[3].distance_km is None  # no coordinates: listed last

    html = client.get("/schools", query_string={"near": "london", "country": "GB"}).get_data(as_text=True)
    names = re.findall(r'<h3><a href="/schools/\d+">([^<]+)</a></h3>', html)
    assert names == ["Thames Valley Primary", "Northern Quarter School", "Old Town High", "Somewhere School"]
    assert "Nearest first from London" in html and "59 km away" in html

    by_coordinates = client.get("/schools", query_string={"lat": "51.5074", "lon": "-0.1278"}).get_data(as_text=True)
    names = re.findall(r'<h3><a href="/schools/\d+">([^<]+)</a></h3>', by_coordinates)
    assert names[:5] == ["Thames Valley Primary", "Northern Quarter School", "Lycée Victor Hugo", "Old Town High",
                         "Somewhere School"]

    body = api.get("/schools", query_string={"near": "edinburgh"}).get_json()
    assert [row["school"]["city"] for row in body["incubator"]][:3] == ["Edinburgh", "Manchester", "Reading"]
    assert api.get("/schools", query_string={"near": "atlantis"}).status_code == 422
    assert api.get("/schools", query_string={"lat": "95", "lon": "0"}).status_code == 422


def test_the_directory_filters_and_lists_incubator_schools_alongside(uk_schools, admin, client):
    paris = uk_schools["paris"]
    paris.status = "showcase"
    db.session.commit()
    html = client.get("/schools", query_string={"city": "paris"}).get_data(as_text=True)
    showcase, incubator = html.split('id="incubator-heading"')
    assert "Lycée Victor Hugo" in showcase and "Showcase Schools (1)" in showcase
    assert "Incubator schools (0)" in incubator
    everything = client.get("/schools").get_data(as_text=True)
    assert "Incubator schools (4)" in everything and "Showcase Schools (1)" in everything


def test_the_school_page_offers_the_form_only_when_the_school_can_apply(make_user, admin, checklist, windows,
                                                                         client_for, clock):
    leader = make_user()
    school = schools.create_school(leader, name="Harbourside Primary", country="GB", city="Leeds", now=NOW)
    tick_all(school, leader, checklist)
    browser = client_for(leader)

    def apply_section() -> str:
        return browser.get(f"/schools/{school.id}").get_data(as_text=True).split('id="apply"', 1)[1]

    clock.at(SPRING[0])
    assert "Spring</strong>: applications are open until" in apply_section()
    assert "Apply to become a Showcase School" in apply_section()
    first = schools.apply(school, leader, "We meet every criterion and host visits each month.")
    section = apply_section()
    assert "Apply to become a Showcase School" not in section and "is waiting for a decision" in section
    assert "waiting for a decision" in schools.apply_problem(school)  # the API's 409 says the same
    schools.decide(admin, first.id, False)
    section = apply_section()  # declined in this window: the next one
    assert "Apply to become a Showcase School" not in section and "apply again in the next one" in section
    clock.at(AUTUMN[0])
    assert "Apply to become a Showcase School" in apply_section()
