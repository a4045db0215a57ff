"""Security headers, cookies and the error pages in HTML and JSON."""

from __future__ import annotations

import io

import pytest


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/no-such-page", "/api/v1/openapi.json", "/api/v1/me"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_scripts_or_styles(client, auth):
    auth.as_role()
    for path in ["/", "/settings/profile", "/settings/tokens", "/settings/password"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "onclick" not in html, path


def test_404_is_html_for_pages_and_json_for_api(client):
    page = client.get("/nowhere")
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Page not found" in page.get_data(as_text=True)
    api = client.get("/api/v1/nowhere")
    assert api.status_code == 404
    assert api.get_json() == {"error": {"code": "not_found", "message": "There is nothing here.", "fields": {}}}


def test_405_in_json_keeps_allow_header(client):
    response = client.put("/api/v1/users")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_500_never_shows_a_stack_trace(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", "boom", explode)
    app.add_url_rule("/api/v1/boom", "api_boom", explode)
    page = client.get("/boom")
    assert page.status_code == 500
    assert "Something went wrong" in page.get_data(as_text=True)
    assert "secret internals" not in page.get_data(as_text=True)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == "internal_error"
    assert "secret internals" not in api.get_data(as_text=True)


def test_413_in_json_and_html(app, client, auth):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/users", json={"bio": "x" * 5000})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    auth_page = client.get("/register")  # still serves pages
    assert auth_page.status_code == 200
    response = client.post("/register", data={"f": (io.BytesIO(b"x" * 5000), "big.bin")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)


def test_wrong_content_type_is_a_validation_error_not_500(client):
    response = client.post("/api/v1/users", data="username=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert "username" in response.get_json()["error"]["fields"]


def test_json_body_that_is_not_an_object(client):
    for body in ["[]", "42", '"text"', "null"]:
        response = client.post("/api/v1/users", data=body, content_type="application/json")
        assert response.status_code in (400, 422), body
        assert "error" in response.get_json()
