"""Connecting to /live: refused without auth, and per-member pushes."""

from __future__ import annotations

from app.accounts import services as accounts
from app.push import push_to_user


def test_connect_without_auth_is_refused(live):
    socket = live()
    assert not socket.is_connected("/live")


def test_connect_with_a_bad_token_is_refused(live):
    assert not live(token="sr_not-a-real-token").is_connected("/live")


def test_connect_with_session_cookie(live, client, auth):
    auth.as_role()
    assert live(client).is_connected("/live")


def test_connect_with_api_token_and_receive_a_push(live, make_user):
    amira = make_user("amira_h")
    other = make_user("leyla_m")
    token, _ = accounts.issue_token(amira)
    socket = live(token=token)
    other_socket = live(token=accounts.issue_token(other)[0])
    assert socket.is_connected("/live")
    push_to_user(amira.id, "notification", {"text": "hello"})
    received = socket.get_received("/live")
    assert [(m["name"], m["args"][0]) for m in received] == [("notification", {"text": "hello"})]
    assert other_socket.get_received("/live") == []


def test_a_suspended_member_cannot_connect(live, make_user):
    member = make_user("chidi_o")
    moderator = make_user("gary_w", role="moderator")
    token, _ = accounts.issue_token(member)
    accounts.suspend(member, by=moderator, reason="spam")
    assert not live(token=token).is_connected("/live")
