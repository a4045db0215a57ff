"""Server-side sessions: sign-out ends them for any copy of the cookie; the
Security page and the API list and end them; password changes and
suspension end them (and open sockets)."""

from __future__ import annotations

from app.accounts import services as accounts
from app.accounts.models import UserSession
from app.db_types import utcnow
from app.extensions import db
from tests.helpers import PASSWORD, ApiClient

CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0 Safari/537.36")
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def signed_in(client) -> bool:
    return "Join the community" not in client.get("/").get_data(as_text=True)


def copy_cookies(source, target, names=("session", "remember_token")) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def login(client, username, remember=False, agent=CHROME_WINDOWS, address="198.51.100.4"):
    data = {"login": username, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    headers = {"User-Agent": agent}
    response = client.submit("/login", data, headers=headers, environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, auth, make_user):
    make_user("leyla_m")
    login(client, "leyla_m")
    thief = app.test_client()
    copy_cookies(client, thief, ["session"])
    assert signed_in(thief)
    auth.logout()
    assert not signed_in(client)
    assert not signed_in(thief)  # the copy names a session that no longer exists


def test_a_copied_remember_cookie_stops_working_after_sign_out(app, client, auth, make_user):
    make_user("leyla_m")
    login(client, "leyla_m", remember=True)
    thief = app.test_client()
    copy_cookies(client, thief, ["remember_token"])  # only the lasting cookie
    assert signed_in(thief)
    auth.logout()
    fresh = app.test_client()
    copy_cookies(thief, fresh, ["remember_token"])
    assert not signed_in(fresh)
    assert not signed_in(thief)


def test_security_page_lists_devices_and_signs_one_out(app, client, make_user):
    make_user("leyla_m")
    laptop = app.test_client()
    login(laptop, "leyla_m", agent=FIREFOX_LINUX, address="203.0.113.9")
    login(client, "leyla_m")
    page = client.get("/settings/security").get_data(as_text=True)
    assert "Chrome on Windows" in page and "(this device)" in page
    assert "Firefox on Linux" in page and "203.0.113.9" in page
    other = db.session.scalar(db.select(UserSession).where(UserSession.ip == "203.0.113.9"))
    response = client.submit(f"/settings/security/sessions/{other.id}/end", {}, page="/settings/security")
    assert response.status_code == 302
    assert "That device is signed out." in client.get("/settings/security").get_data(as_text=True)
    assert not signed_in(laptop)
    assert signed_in(client)


def test_sign_out_everywhere_else_keeps_this_device(app, client, make_user):
    make_user("leyla_m")
    others = [app.test_client() for _ in range(2)]
    for other in others:
        login(other, "leyla_m", remember=True)
    login(client, "leyla_m")
    client.submit("/settings/security/sessions/end-others", {}, page="/settings/security")
    assert "Signed out everywhere else (2 devices)." in client.get("/settings/security").get_data(as_text=True)
    assert signed_in(client)
    assert not any(signed_in(other) for other in others)


def test_one_cannot_end_another_members_session(app, client, make_user):
    make_user("leyla_m")
    make_user("gary_w")
    gary = app.test_client()
    login(gary, "gary_w")
    login(client, "leyla_m")
    garys = db.session.scalar(
        db.select(UserSession.id).join(UserSession.user).where(UserSession.user.has(username="gary_w"))
    )
    response = client.submit(f"/settings/security/sessions/{garys}/end", {}, page="/settings/security")
    assert response.status_code == 404
    assert signed_in(gary)


def test_last_seen_is_written_at_most_once_a_minute(app, client, make_user):
    make_user("leyla_m")
    login(client, "leyla_m")
    row = db.session.scalar(db.select(UserSession))
    first = row.last_seen_at
    client.get("/")
    db.session.refresh(row)
    assert row.last_seen_at == first
    row.last_seen_at = utcnow().replace(year=2020)
    db.session.commit()
    client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.55"})
    db.session.refresh(row)
    assert row.last_seen_at > first and row.ip == "192.0.2.55"


def test_api_lists_and_ends_sessions(app, client, make_user, api):
    make_user("leyla_m")
    login(client, "leyla_m")
    api.login("leyla_m")
    listed = api.get("/me/sessions").get_json()["items"]
    assert [(s["device"], s["current"]) for s in listed] == [("Chrome on Windows", False)]
    assert api.delete(f"/me/sessions/{listed[0]['id']}").status_code == 204
    assert not signed_in(client)
    assert api.get("/me/sessions").get_json()["items"] == []
    response = api.delete(f"/me/sessions/{listed[0]['id']}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_password_change_ends_other_sessions_and_revokes_tokens(app, client, make_user):
    make_user("leyla_m")
    other = app.test_client()
    login(other, "leyla_m", remember=True)
    script = ApiClient(app.test_client())
    script.login("leyla_m")
    login(client, "leyla_m")
    response = client.submit("/settings/password", {"current_password": PASSWORD, "new_password": "a-brand-new-secret"})
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(other)
    assert script.get("/me").status_code == 401


def test_suspension_ends_sessions_tokens_and_open_sockets(app, client, make_user, live):
    member = make_user("chidi_o")
    moderator = make_user("gary_w", role="moderator")
    login(client, "chidi_o")
    token, _ = accounts.issue_token(member)
    by_cookie, by_token = live(client), live(token=token)
    assert by_cookie.is_connected("/live") and by_token.is_connected("/live")
    accounts.suspend(member, by=moderator, reason="spam")
    assert not by_cookie.is_connected("/live")
    assert not by_token.is_connected("/live")
    assert db.session.scalar(db.select(db.func.count(UserSession.id))) == 0
    assert accounts.token_row(token) is None
    assert not signed_in(client)
