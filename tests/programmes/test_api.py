"""The programmes API: cohorts (admins create), the applicant's own
application with per-answer versions, portfolio evidence, schools and
checklist items; errors in the one JSON shape; the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

from app.programmes import schools
from app.resources import services as resources
from tests.programmes.conftest import ANNOUNCE, CLOSES, NOW, OPENS


def cohort_body(**overrides) -> dict:
    body = {"school_year": "2027-2028", "nominations_open_at": OPENS.isoformat(),
            "nominations_close_at": CLOSES.isoformat(),
            "review_starts_at": (CLOSES + timedelta(days=1)).isoformat(),
            "review_ends_at": (ANNOUNCE - timedelta(days=1)).isoformat(), "announce_at": ANNOUNCE.isoformat(),
            "questions": [{"text": "Why you?", "max_length": 300}, {"text": "Anything else?", "required": False}]}
    body.update(overrides)
    return body


def test_admins_create_cohorts_with_checked_dates(api, admin, make_user):
    api.login(make_user().username)
    assert api.post("/cohorts", json=cohort_body()).status_code == 403
    api.login(admin.username)
    bad = api.post("/cohorts", json=cohort_body(school_year="2027-2029", announce_at=OPENS.isoformat()))
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"school_year", "announce_at"}
    naive = api.post("/cohorts", json=cohort_body(announce_at="2027-01-01T10:00:00"))
    assert naive.status_code == 422 and "announce_at" in naive.get_json()["error"]["fields"]
    made = api.post("/cohorts", json=cohort_body())
    assert made.status_code == 201
    body = made.get_json()
    assert body["school_year"] == "2027-2028" and [q["required"] for q in body["questions"]] == [True, False]
    assert api.post("/cohorts", json=cohort_body()).status_code == 422  # one cohort a school year
    assert api.get("/cohorts").get_json()[0]["phase"] in ("nominations", "upcoming", "review", "announced")


def test_an_applicant_saves_answers_with_versions(api, make_cohort, make_user, clock):
    cohort = make_cohort()
    first, second = cohort.questions[0].id, cohort.questions[1].id
    user = make_user()
    api.login(user.username)
    started = api.post(f"/cohorts/{cohort.id}/applications")
    assert started.status_code == 201
    application_id = started.get_json()["id"]
    assert api.post(f"/cohorts/{cohort.id}/applications").get_json()["id"] == application_id  # the same one
    saved = api.patch(f"/applications/{application_id}", json={"answers": [
        {"question_id": first, "body": "From my laptop", "version": 0}]})
    assert saved.status_code == 200
    answers = {a["question_id"]: a for a in saved.get_json()["answers"]}
    assert answers[first]["version"] == 1 and answers[first]["body"] == "From my laptop"
    stale = api.patch(f"/applications/{application_id}", json={"answers": [
        {"question_id": first, "body": "From my phone, started earlier", "version": 0},
        {"question_id": second, "body": "Second answer", "version": 0}]})
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "conflict" and list(error["fields"]) == [f"answers.{first}"]
    current = {a["question_id"]: a for a in api.get(f"/applications/{application_id}").get_json()["answers"]}
    assert current[first]["body"] == "From my laptop" and current[second]["body"] == "Second answer"
    assert api.patch(f"/applications/{application_id}", json={"answers": [
        {"question_id": 999, "body": "x", "version": 0}]}).status_code == 422
    assert api.patch(f"/applications/{application_id}", json={"answers": "nope"}).status_code == 422


def test_portfolio_and_evidence_in_the_api(api, make_cohort, make_user, clock):
    cohort = make_cohort()
    user = make_user()
    resource = resources.create_resource(user, title="Volcano slide deck", subject="geography", license="cc-by",
                                         url="https://example.org/volcano")
    api.login(user.username)
    assert [item["ref"] for item in api.get("/portfolio").get_json()] == [f"resource:{resource.id}"]
    application_id = api.post(f"/cohorts/{cohort.id}/applications").get_json()["id"]
    added = api.post(f"/applications/{application_id}/evidence", json={"refs": [f"resource:{resource.id}"]})
    assert added.status_code == 201 and added.get_json()[0]["title"] == "Volcano slide deck"
    link = api.post(f"/applications/{application_id}/evidence", json={"url": "javascript:alert(1)"})
    assert link.status_code == 422 and "url" in link.get_json()["error"]["fields"]
    assert api.post(f"/applications/{application_id}/evidence", json={}).status_code == 422
    evidence_id = added.get_json()[0]["id"]
    assert api.delete(f"/applications/{application_id}/evidence/{evidence_id}").status_code == 204
    assert api.get(f"/applications/{application_id}").get_json()["evidence"] == []


def test_schools_and_checklist_items_in_the_api(api, admin, make_user):
    leader = make_user()
    api.login(leader.username)
    assert api.post("/checklist-items", json={"title": "A shared vision"}).status_code == 403
    made = api.post("/schools", json={"name": "Harbourside Primary", "country": "AU", "city": "Sydney",
                                      "latitude": -33.87, "longitude": 151.21})
    assert made.status_code == 201 and made.get_json()["status"] == "incubator"
    school_id = made.get_json()["id"]
    assert api.post("/schools", json={"name": "X", "country": "ZZ", "city": ""}).status_code == 422
    api.login(admin.username)
    item = api.post("/checklist-items", json={"title": "A shared vision"}).get_json()
    api.login(leader.username)
    ticked = api.request("PUT", f"/schools/{school_id}/checklist/{item['id']}",
                         json={"evidence": "Agreed with the whole staff in January."})
    assert ticked.status_code == 200
    assert [row["item_id"] for row in api.get(f"/schools/{school_id}/checklist").get_json()] == [item["id"]]
    refused = api.post(f"/schools/{school_id}/showcase-applications", json={"statement": "We are ready for this."})
    assert refused.status_code == 409  # no window is open
    other = make_user()
    api.login(other.username)
    assert api.patch(f"/schools/{school_id}", json={"city": "Perth"}).status_code == 403
    assert schools.get_school(school_id).city == "Sydney"


def test_the_openapi_document_lists_the_programme_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [("/api/v1/cohorts", "post"), ("/api/v1/cohorts/{cohort_id}/experts", "get"),
                         ("/api/v1/applications/{application_id}", "patch"),
                         ("/api/v1/reviews/applications/{application_id}", "put"),
                         ("/api/v1/schools", "get"), ("/api/v1/checklist-items", "post"),
                         ("/api/v1/collaboration/requests", "post"),
                         ("/api/v1/collaboration/requests/{request_id}/offers", "post")]:
        assert method in paths[path], (path, method)


def test_times_are_iso_with_offsets(api, make_cohort):
    make_cohort()
    body = api.get("/cohorts").get_json()[0]
    assert body["nominations_close_at"] == CLOSES.isoformat()
    assert NOW < CLOSES
