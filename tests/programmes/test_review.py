"""Reviewing: assignments by country and region, the conflict rules (403),
rubric scores, and decisions by admins only."""

from __future__ import annotations

import pytest

from app.exceptions import Forbidden, ValidationFailed
from app.programmes import reviews, schools
from tests.helpers import csrf_from


@pytest.fixture
def cohort(make_cohort):
    return make_cohort()


def test_a_reviewer_never_opens_their_own_or_a_same_school_application(
        cohort, make_user, submitted, admin, client_for, api):
    reviewer = make_user("rev", school="Ravenswood Academy", country="GB")
    colleague = make_user(school="  ravenswood   ACADEMY ", country="GB")
    stranger = make_user(school="Lagos Model College", country="GB")
    reviews.assign(admin, cohort, reviewer, country="GB")
    own = submitted(cohort, reviewer)
    same_school = submitted(cohort, colleague)
    other = submitted(cohort, stranger)

    browser = client_for(reviewer)
    assert browser.get(f"/programmes/review/applications/{own.id}").status_code == 403
    response = browser.get(f"/programmes/review/applications/{same_school.id}")
    assert response.status_code == 403 and "your own school" in response.get_data(as_text=True)
    assert browser.get(f"/programmes/review/applications/{other.id}").status_code == 200
    queue = browser.get("/programmes/review").get_data(as_text=True)
    assert stranger.display_name in queue
    assert colleague.display_name not in queue and f"/programmes/review/applications/{own.id}" not in queue

    api.login(reviewer.username)
    assert api.get(f"/reviews/applications/{own.id}").status_code == 403
    assert api.get(f"/reviews/applications/{same_school.id}").status_code == 403
    assert api.request("PUT", f"/reviews/applications/{same_school.id}", json={
        "impact": 5, "innovation": 5, "sharing": 5, "evidence_quality": 5}).status_code == 403
    listed = api.get(f"/reviews/cohorts/{cohort.id}/applications").get_json()
    assert [row["id"] for row in listed] == [other.id]
    assert "decision" not in listed[0]


def test_leading_the_same_school_profile_is_a_conflict_too(cohort, make_user, submitted, admin):
    reviewer, applicant = make_user(country="FR"), make_user(country="FR")
    school = schools.create_school(reviewer, name="Lycée Victor Hugo", country="FR", city="Paris")
    schools.add_leader(school, reviewer, applicant)
    reviews.assign(admin, cohort, reviewer, region="europe")
    application = submitted(cohort, applicant)
    with pytest.raises(Forbidden):
        reviews.get_for_reviewer(application.id, reviewer)


def test_reviewers_see_only_their_countries_and_regions(cohort, make_user, submitted, admin):
    europe, kenya = make_user(country="GB"), make_user(country="KE")
    reviews.assign(admin, cohort, europe, region="europe")
    reviews.assign(admin, cohort, kenya, country="KE")
    french = submitted(cohort, make_user(country="FR"))
    kenyan = submitted(cohort, make_user(country="KE"))
    assert [a.id for a in reviews.queue(cohort, europe)] == [french.id]
    assert [a.id for a in reviews.queue(cohort, kenya)] == [kenyan.id]
    with pytest.raises(Forbidden):
        reviews.get_for_reviewer(kenyan.id, europe)


def test_rubric_scores_and_comments(cohort, make_user, submitted, admin, client_for):
    reviewer = make_user(country="GB")
    reviews.assign(admin, cohort, reviewer, country="GB")
    application = submitted(cohort, make_user(country="GB"))
    browser = client_for(reviewer)
    path = f"/programmes/review/applications/{application.id}"
    token = csrf_from(browser.get(path).get_data(as_text=True))
    response = browser.post(path, data={"csrf_token": token, "impact": "5", "innovation": "4", "sharing": "3",
                                        "evidence_quality": "4", "comment": "Strong evidence of sharing."})
    assert response.status_code == 302
    review = reviews.my_review(application, reviewer)
    assert review.total == 16 and review.comment == "Strong evidence of sharing."
    assert reviews.score_summary([application.id]) == {application.id: (1, 16.0)}
    with pytest.raises(ValidationFailed) as refused:
        reviews.save_review(application.id, reviewer, impact=6, innovation=1, sharing=1, evidence_quality=1)
    assert "impact" in refused.value.fields


def test_only_admins_decide(cohort, make_user, submitted, admin, client_for, api):
    reviewer = make_user(country="GB")
    reviews.assign(admin, cohort, reviewer, country="GB")
    application = submitted(cohort, make_user(country="GB"))
    with pytest.raises(Forbidden):
        reviews.decide(reviewer, application.id, "accepted")
    api.login(reviewer.username)
    assert api.post(f"/applications/{application.id}/decision", json={"decision": "accepted"}).status_code == 403
    api.login(admin.username)
    assert api.post(f"/applications/{application.id}/decision", json={"decision": "maybe"}).status_code == 422
    response = api.post(f"/applications/{application.id}/decision", json={"decision": "waitlisted"})
    assert response.status_code == 200 and response.get_json() == {"decision": "waitlisted"}
    browser = client_for(admin)
    page = browser.get(f"/programmes/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert application.user.display_name in page
    assert client_for(reviewer).get(f"/programmes/admin/cohorts/{cohort.id}").status_code == 403
