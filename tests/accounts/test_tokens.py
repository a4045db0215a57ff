"""API tokens: issue, use, revoke; stored hashed; suspension locks them out."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import ApiToken
from app.extensions import db
from tests.helpers import PASSWORD, csrf_from


def test_token_issue_use_and_revoke(api, make_user):
    make_user("jordan_t", display_name="Jordan Taylor")
    body = api.login("jordan_t")
    assert body["user"]["username"] == "jordan_t"
    token = body["token"]
    me = api.get("/me")
    assert me.status_code == 200
    assert me.get_json()["display_name"] == "Jordan Taylor"
    # Only a hash is stored.
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    assert api.delete("/tokens/current").status_code == 204
    response = api.get("/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["Content-Type"].startswith("application/json")


def test_token_login_by_email_and_wrong_password(api, make_user):
    make_user("jordan_t", email="jordan@school.example")
    response = api.post("/tokens", json={"login": "jordan@school.example", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    api.login("jordan@school.example")
    assert api.get("/me").status_code == 200


def test_garbage_and_malformed_tokens_are_401(api):
    for header in ["Bearer nonsense", "Bearer ", "Bearer " + "x" * 5000, "Basic abc"]:
        response = api.get("/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert "error" in response.get_json()


def test_me_without_auth_is_401_json(api):
    response = api.get("/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_revoke_without_a_token_is_401(api):
    assert api.delete("/tokens/current").status_code == 401


def test_bearer_token_wins_over_session_cookie(app, client, auth, make_user, api):
    make_user("jordan_t")
    make_user("amira_h")
    auth.login("amira_h")  # session cookie for amira on `client`
    token = api.login("jordan_t")["token"]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.get_json()["username"] == "jordan_t"


def test_session_cookie_api_writes_need_csrf(client, auth):
    auth.as_role(display_name="Old Name")
    response = client.patch("/api/v1/me", json={"display_name": "New Name"})
    assert response.status_code == 400
    assert client.get("/api/v1/me").get_json()["display_name"] == "Old Name"


def test_tokens_page_creates_shows_once_and_revokes(client, auth):
    user = auth.as_role()
    response = client.submit("/settings/tokens", {"name": "gradebook sync"})
    page = response.get_data(as_text=True)
    assert "Copy it now" in page
    token = page.split('id="new-token" class="mono" type="text" readonly value="')[1].split('"')[0]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert "gradebook sync" in listing and token not in listing
    row = accounts.list_tokens(user)[0]
    client.submit(f"/settings/tokens/{row.id}/revoke", {}, page="/settings/tokens")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(client, auth, make_user):
    other = make_user("jordan_t")
    _token, row = accounts.issue_token(other)
    auth.as_role()
    response = client.submit(f"/settings/tokens/{row.id}/revoke", {}, page="/settings/tokens")
    assert response.status_code == 404
    db.session.refresh(row)
    assert row.revoked_at is None


def test_suspended_member_is_locked_out_of_pages_and_api(app, client, auth, make_user, api):
    moderator = make_user("gary_w", role="moderator")
    member = make_user("chidi_o")
    api.login("chidi_o")
    auth.login("chidi_o")
    assert "Welcome," in client.get("/").get_data(as_text=True)

    accounts.suspend(member, by=moderator, reason="spam")

    assert "Join the community" in client.get("/").get_data(as_text=True)  # session ended
    assert api.get("/me").status_code == 401  # token stops working
    response = auth.login("chidi_o")
    assert response.status_code == 403
    assert "suspended" in response.get_data(as_text=True)
    api.token = None
    response = api.post("/tokens", json={"login": "chidi_o", "password": PASSWORD})
    assert response.status_code == 403
    assert api.client.get("/api/v1/users/chidi_o").status_code == 404


def test_moderator_suspends_from_profile_page(client, auth, make_user):
    member = make_user("chidi_o")
    auth.as_role("moderator")
    response = client.submit("/u/chidi_o/suspend", {"reason": "posting spam"}, page="/u/chidi_o")
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.suspended_at is not None and member.suspended_reason == "posting spam"


def test_member_cannot_suspend(client, auth, make_user):
    member = make_user("chidi_o")
    auth.as_role("member")
    html = client.get("/u/chidi_o").get_data(as_text=True)
    assert "Suspend" not in html
    response = client.post("/u/chidi_o/suspend", data={"reason": "x", "csrf_token": csrf_from(html)})
    assert response.status_code == 403
    db.session.refresh(member)
    assert member.suspended_at is None
