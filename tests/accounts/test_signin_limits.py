"""Sign-in limits count failures, per client address and per account, and
refuse before the password is checked: a school behind one address is
never locked out, guessing is slowed."""

from __future__ import annotations

import time

import argon2
import pytest

from tests.helpers import PASSWORD

SCHOOL = {"REMOTE_ADDR": "203.0.113.7"}


def sign_in(client, login, password=PASSWORD, address="203.0.113.7"):
    return client.submit("/login", {"login": login, "password": password}, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def verify_calls(monkeypatch):
    """How many times a password hash is checked."""
    calls = []
    real = argon2.PasswordHasher.verify

    def counting(self, stored, password):
        calls.append(1)
        return real(self, stored, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)
    return calls


def test_a_school_of_fifty_behind_one_address_all_sign_in_on_monday_morning(app, make_user):
    teachers = [make_user(f"teacher_{n}") for n in range(50)]
    for teacher in teachers:
        client = app.test_client()
        assert sign_in(client, teacher.username, "a-typo-in-it-123").status_code == 401
        response = sign_in(client, teacher.username)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_ten_failures_from_ten_addresses_lock_the_account_before_the_password_is_checked(
        app, client, make_user, verify_calls, api):
    make_user("leyla_m")
    for n in range(10):
        assert sign_in(client, "leyla_m", "guess-number-%d" % n, address=f"192.0.2.{n + 1}").status_code == 401
    assert len(verify_calls) == 10
    response = sign_in(client, "leyla_m", PASSWORD, address="198.51.100.200")  # the right password, a new address
    assert response.status_code == 429
    assert len(verify_calls) == 10  # refused without checking the password
    page = response.get_data(as_text=True)
    assert "Too many failed sign-ins for this account. Try again in 15 minutes." in page
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60
    # By email too: it is the same account.
    response = api.client.post("/api/v1/tokens", json={"login": "leyla_m@school.example", "password": PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["message"].startswith("Too many failed sign-ins for this account.")
    assert len(verify_calls) == 10
    # Other members are not affected.
    make_user("gary_w")
    assert sign_in(app.test_client(), "gary_w", address="192.0.2.1").status_code == 302


def test_an_unknown_login_is_limited_the_same_way(client):
    for n in range(10):
        assert sign_in(client, "nobody_here", f"guess-number-{n}", address=f"192.0.2.{n + 1}").status_code == 401
    response = sign_in(client, "nobody_here", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account." in response.get_data(as_text=True)


@pytest.mark.parametrize("app_settings", [{"RATELIMIT_LOGIN_FAILURES_PER_ADDRESS": "5 per hour"}])
def test_guessing_many_accounts_from_one_address_is_slowed(app, make_user, verify_calls):
    for n in range(5):
        make_user(f"member_{n}")
        assert sign_in(app.test_client(), f"member_{n}", "guess-guess-guess").status_code == 401
    make_user("member_9")
    response = sign_in(app.test_client(), "member_9", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins from your network. Try again in 60 minutes." in response.get_data(as_text=True)
    assert len(verify_calls) == 5
    # Another address is not affected.
    assert sign_in(app.test_client(), "member_9", PASSWORD, address="198.51.100.3").status_code == 302


@pytest.mark.parametrize("app_settings", [{"RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT": "3 per 2 seconds"}])
def test_the_account_opens_again_when_the_window_has_passed(app, client, make_user):
    make_user("leyla_m")
    for _ in range(3):
        assert sign_in(client, "leyla_m", "guess-guess-guess").status_code == 401
    response = sign_in(client, "leyla_m")
    assert response.status_code == 429
    assert "Try again in 2 seconds." in response.get_data(as_text=True)
    time.sleep(int(response.headers["Retry-After"]) + 0.1)
    assert sign_in(client, "leyla_m").status_code == 302


def test_successful_sign_ins_never_count(app, make_user):
    make_user("leyla_m")
    for _ in range(30):
        client = app.test_client()
        assert sign_in(client, "leyla_m").status_code == 302
