"""Registration through the form and the API, with every kind of bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD

GOOD = {
    "display_name": "Amira Haddad",
    "username": "amira_h",
    "email": "amira@school.example",
    "country": "SA",
    "password": PASSWORD,
}


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_register_form_creates_account_and_signs_in(client):
    response = client.submit("/register", GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/settings/profile")
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, Amira Haddad" in page
    user = db.session.scalar(select(User).where(User.username == "amira_h"))
    assert user.country == "SA"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "a", "3-30 letters"),
        ("username", "bad name!", "3-30 letters"),
        ("email", "not-an-email", "valid email"),
        ("password", "short", "at least 10"),
        ("password", "", "This field is required"),
        ("password", "password123", "too easy"),
        ("password", "amira_h-rocks-2026", "username"),
        ("country", "XX", "Not a valid choice"),
        ("timezone", "Mars/Olympus_Mons", "Pick a time zone such as Europe/London."),
    ],
)
def test_register_form_shows_field_errors(client, field, value, message):
    response = client.submit("/register", {**GOOD, field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    # The error is tied to its field for screen readers.
    assert f'id="{field}-error"' in page
    assert f'aria-describedby="{field}-hint {field}-error"' in page or f'aria-describedby="{field}-error"' in page
    assert user_count() == 0


def test_register_form_takes_the_time_zone_chosen_or_utc(client, app):
    page = client.get("/register").get_data(as_text=True)
    assert "data-device-timezone" in page and '<option selected value="UTC">' in page  # the script moves it
    assert client.submit("/register", {**GOOD, "timezone": "Europe/Berlin"}).status_code == 302
    assert db.session.scalar(select(User.timezone).where(User.username == "amira_h")) == "Europe/Berlin"
    other = app.test_client()
    assert other.submit("/register", {**GOOD, "username": "gary_w", "email": "gary@school.example"}).status_code == 302
    assert db.session.scalar(select(User.timezone).where(User.username == "gary_w")) == "UTC"


def test_register_form_taken_username_and_email(client, make_user):
    make_user("amira_h", email="amira@school.example")
    response = client.submit("/register", GOOD)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "That username is taken." in page
    assert "An account with this email already exists." in page
    assert user_count() == 1


def test_register_api_creates_user(api):
    response = api.post("/users", json={**GOOD, "timezone": "Asia/Riyadh", "subjects": ["english"]})
    assert response.status_code == 201
    body = response.get_json()
    assert body["username"] == "amira_h"
    assert body["timezone"] == "Asia/Riyadh"
    assert body["country_name"] == "Saudi Arabia"
    assert "password" not in body and "password_hash" not in body


def test_register_api_conflict_names_fields(api, make_user):
    make_user("amira_h")
    response = api.post("/users", json={**GOOD, "username": "AMIRA_H", "email": "other@school.example"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["fields"] == {"username": "That username is taken."}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"country": "ZZ"}, "country"),
        ({"country": "GBR"}, "country"),
        ({"password": "short"}, "password"),
        ({"password": None}, "password"),
        ({"subjects": ["underwater-basket-weaving"]}, "subjects.0"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"username": 12345}, "username"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_register_api_rejects_bad_input(api, change, field):
    response = api.post("/users", json={**GOOD, **change})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert user_count() == 0


def test_register_api_missing_password(api):
    body = {k: v for k, v in GOOD.items() if k != "password"}
    response = api.post("/users", json=body)
    assert response.status_code == 422
    assert "password" in response.get_json()["error"]["fields"]


def test_register_api_bad_json_is_400(api):
    response = api.post("/users", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert "JSON" in error["message"]
