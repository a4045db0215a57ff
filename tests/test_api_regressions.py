"""What the API fuzz run (tests/test_api_fuzz.py) found, pinned down as
plain tests: each failed before its fix, and reads as what a client sees.
"""

from __future__ import annotations

import pytest

from tests.helpers import open_cohort

HUGE_IDS = ["2147483648", "99999999999999999999"]


def documented(client, method: str, path: str) -> set[str]:
    """The status codes the OpenAPI document lists for one operation."""
    spec = client.get("/api/v1/openapi.json").get_json()
    return set(spec["paths"][f"/api/v1{path}"][method.lower()]["responses"])


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    assert response.get_json()["error"]["code"] == code


# An id past what the database column holds was a 500 (OverflowError in the
# SQLite driver); it is now a 404 like any other id that names nothing.

@pytest.mark.parametrize("huge", HUGE_IDS)
@pytest.mark.parametrize("method, path", [
    ("GET", "/collections/{}"),
    ("DELETE", "/collections/{}"),
    ("PATCH", "/posts/{}"),
    ("GET", "/groups/{}/activities"),
    ("DELETE", "/resources/{}"),
])
def test_an_id_too_large_for_the_database_is_a_404(api, make_user, method, path, huge):
    api.login(make_user().username)
    response = api.request(method, path.format(huge), json={"body": "An edit."} if method == "PATCH" else None)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("path", ["/resources/{}", "/groups/{}", "/events/{}", "/t/{}-a-thread", "/p/{}"])
def test_a_page_with_an_id_too_large_for_the_database_is_a_404(client, path):
    response = client.get(path.format(HUGE_IDS[1]))
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_the_openapi_document_states_the_id_range(client):
    path = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/resources/{resource_id}"]
    id_schema = next(p["schema"] for p in path["parameters"] if p["name"] == "resource_id")
    assert id_schema["maximum"] == 2**31 - 1


# The document itself was invalid: Decimal fields wrote their Range bounds
# as strings ("maximum": "100000.000"), which validators reject.

def test_numeric_bounds_in_the_openapi_document_are_numbers(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    bad = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"} \
                        and not isinstance(value, (bool, int, float)):
                    bad.append((where, key, value))
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(spec, "#")
    assert bad == []
    group_goal = spec["components"]["schemas"]["GroupCreate"]["properties"]["group_goal_km"]
    assert group_goal["maximum"] == 100_000


# Errors that follow from an operation's shape were answered but not listed:
# 401 without a token, 404 for an id that names nothing, 400 for a body
# that is not JSON. Every operation now lists them.

def test_every_operation_lists_the_errors_its_shape_implies(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    missing = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            expected = set()
            if op.get("security"):
                expected.add("401")
            if "{" in path:
                expected.add("404")
            if "requestBody" in op:
                expected.add("400")
            missing += [(method.upper(), path, code) for code in expected - set(op["responses"])]
    assert missing == []


def test_no_token_is_a_documented_401(api):
    assert_error(api.get("/me"), 401, "unauthorized")
    assert "401" in documented(api.client, "GET", "/me")


def test_a_body_that_is_not_json_is_a_documented_400(api, make_user):
    api.login(make_user().username)
    response = api.post("/collections", data="{not json", headers={"Content-Type": "application/json"})
    assert_error(response, 400, "bad_request")
    assert "400" in documented(api.client, "POST", "/collections")


def test_an_unknown_username_in_the_path_is_a_documented_404(api):
    assert_error(api.get("/users/nobody_here"), 404, "not_found")
    assert "404" in documented(api.client, "GET", "/users/{username}")


# Conflicts the services raise were not listed on these operations.

def test_removing_yourself_from_a_group_is_a_documented_409(api, make_user):
    owner = make_user()
    api.login(owner.username)
    group = api.post("/groups", json={"name": "Morning Runners", "sport": "running"}).get_json()
    response = api.delete(f"/groups/{group['id']}/members/{owner.username}")
    assert_error(response, 409, "conflict")
    assert "409" in documented(api.client, "DELETE", "/groups/{group_id}/members/{username}")


def test_changing_evidence_after_withdrawing_is_a_documented_409(api, make_user):
    admin = make_user(role="admin")
    cohort = open_cohort(admin)
    api.login(make_user().username)
    application = api.post(f"/cohorts/{cohort.id}/applications").get_json()
    evidence = api.post(f"/applications/{application['id']}/evidence",
                        json={"url": "https://example.org/lesson"}).get_json()
    assert api.post(f"/applications/{application['id']}/withdraw").status_code == 200

    removed = api.delete(f"/applications/{application['id']}/evidence/{evidence[0]['id']}")
    assert_error(removed, 409, "conflict")
    added = api.post(f"/applications/{application['id']}/evidence", json={"url": "https://example.org/more"})
    assert_error(added, 409, "conflict")
    for method, path in [("POST", "/applications/{application_id}/evidence"),
                         ("POST", "/applications/{application_id}/evidence/files"),
                         ("DELETE", "/applications/{application_id}/evidence/{evidence_id}")]:
        assert "409" in documented(api.client, method, path), (method, path)
