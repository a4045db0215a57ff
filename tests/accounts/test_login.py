"""Signing in and out, remember me, rate limits, CSRF and password changes."""

from __future__ import annotations

from app import create_app
from tests.conftest import make_settings
from tests.helpers import PASSWORD, Client


def test_login_with_username_or_email(client, auth, make_user):
    user = make_user("leyla_m", email="Leyla@School.example")
    assert auth.login("leyla_m").status_code == 302
    assert "Welcome, Teacher" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert auth.login("LEYLA@school.example").status_code == 302
    assert f"/u/{user.username}" in client.get("/").get_data(as_text=True)


def test_login_failure_shows_message_and_stays_signed_out(client, auth, make_user):
    make_user("leyla_m")
    response = auth.login("leyla_m", "wrong-password-123")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "That username or password is not right." in page
    assert 'id="password-error"' in page
    assert "Join the community" in client.get("/").get_data(as_text=True)


def test_unknown_user_gets_the_same_message(auth):
    response = auth.login("nobody_here", PASSWORD)
    assert response.status_code == 401
    assert "That username or password is not right." in response.get_data(as_text=True)


def test_repeated_failures_are_rate_limited(app, auth, make_user, api):
    make_user("leyla_m")
    for _ in range(10):
        assert auth.login("leyla_m", "wrong-password-123").status_code == 401
    response = auth.login("leyla_m", PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-ins for this account. Try again in 15 minutes." in response.get_data(as_text=True)
    # The API's token endpoint shares the same counter, and answers in JSON.
    response = api.post("/tokens", json={"login": "leyla_m", "password": PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert response.get_json()["error"]["message"].startswith("Too many failed sign-ins for this account.")
    assert int(response.headers["Retry-After"]) > 0


def test_an_app_built_with_limits_off_leaves_the_next_app_limited(database, tmp_path):
    # Flask-Limiter has one limiter per process; an app that turns it off
    # (the API fuzzing does) must not turn it off for the apps built after it.
    # (Each app gets its own folder: a SQLite test database is a fresh copy.)
    for name in ("off", "after"):
        (tmp_path / name).mkdir()
    create_app(make_settings(database, tmp_path / "off", RATELIMIT_ENABLED=False))
    after = create_app(make_settings(database, tmp_path / "after"))
    after.test_client_class = Client
    client = after.test_client()
    with after.app_context():
        statuses = [client.submit("/login", {"login": "leyla_m", "password": "wrong-password-123"}).status_code
                    for _ in range(11)]
    assert statuses == [401] * 10 + [429]


def test_successful_logins_do_not_count_towards_the_limit(auth, make_user):
    make_user("leyla_m")
    for _ in range(12):
        assert auth.login("leyla_m").status_code == 302
        auth.logout()


def test_form_post_without_csrf_token_is_refused(client, make_user):
    make_user("leyla_m")
    response = client.post("/login", data={"login": "leyla_m", "password": PASSWORD})
    assert response.status_code == 400
    assert "Join the community" in client.get("/").get_data(as_text=True)


def test_logout_needs_post_with_csrf(client, auth):
    auth.as_role()
    assert client.get("/logout").status_code == 405
    client.post("/logout")  # no token: ignored
    assert "Welcome," in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Join the community" in client.get("/").get_data(as_text=True)


def test_remember_me_sets_a_lasting_cookie(client, auth, make_user):
    make_user("leyla_m")
    response = auth.login("leyla_m", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]
    session = [c for c in cookies if c.startswith("session=")]
    assert "HttpOnly" in session[0] and "SameSite=Lax" in session[0]


def test_next_parameter_only_redirects_within_the_site(client, make_user):
    make_user("leyla_m")
    data = {"login": "leyla_m", "password": PASSWORD}
    response = client.submit("/login?next=https://evil.example/steal", data)
    assert response.headers["Location"] == "/"
    client.submit("/logout", {}, page="/")
    response = client.submit("/login?next=/settings/profile", data)
    assert response.headers["Location"] == "/settings/profile"


def test_pages_for_members_redirect_visitors_to_login(client):
    response = client.get("/settings/profile")
    assert response.status_code == 302
    assert "/login?next=/settings/profile" in response.headers["Location"]


def test_password_change_signs_out_other_sessions(app, client, auth, make_user):
    user = make_user("leyla_m")
    other = app.test_client()
    other.submit("/login", {"login": "leyla_m", "password": PASSWORD})
    auth.login("leyla_m")
    response = client.submit("/settings/password", {"current_password": PASSWORD, "new_password": "a-brand-new-secret"})
    assert response.status_code == 302
    assert "Welcome," in client.get("/").get_data(as_text=True)  # this device stays in
    assert "Join the community" in other.get("/").get_data(as_text=True)  # the other is out
    auth.logout()
    assert auth.login(user.username, PASSWORD).status_code == 401
    assert auth.login(user.username, "a-brand-new-secret").status_code == 302


def test_password_change_checks_current_and_strength(client, auth):
    auth.as_role()
    response = client.submit(
        "/settings/password", {"current_password": "nope-nope-nope", "new_password": "a-brand-new-secret"}
    )
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)
    response = client.submit("/settings/password", {"current_password": PASSWORD, "new_password": "short"})
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
