"""Email verification, email change and password reset, read from what a
real SMTP server received; every link check runs on SQLite and PostgreSQL."""

from __future__ import annotations

import statistics
import time

import itsdangerous
import pytest

from app.accounts import tokens
from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, ApiClient

NEW_PASSWORD = "a-brand-new-secret"


def the_link(smtp_server, mail_now, address, path_part):
    mail_now()
    [mail] = [m for m in smtp_server.to(address) if any(path_part in link for link in m.links())]
    [link] = [link for link in mail.links() if path_part in link]
    return mail, link.split("127.0.0.1:5000", 1)[1]


def register(client, username="nadia_k"):
    return client.submit("/register", {"username": username, "email": f"{username}@school.example",
                                       "password": PASSWORD, "display_name": "Nadia K", "country": "GB"})


def page(response) -> str:
    return response.get_data(as_text=True)


# Verification ----------------------------------------------------------------

def test_register_mail_link_verifies_and_lifts_the_gate(app, client, smtp_server, mail_now, api):
    assert register(client).status_code == 302
    home = page(client.get("/"))
    assert "Confirm your email address to post, message and share." in home
    assert "nadia_k@school.example" in home
    mail, link = the_link(smtp_server, mail_now, "nadia_k@school.example", "/email/verify/")
    assert mail["Subject"] == "Confirm your email address for Staffroom"
    response = client.get(link)
    assert response.status_code == 302
    assert "Confirm your email address to post" not in page(client.get("/"))
    assert db.session.scalar(db.select(User).filter_by(username="nadia_k")).email_verified_at is not None
    # Single use: the second visit says so.
    again = client.get(link)
    assert again.status_code == 400 and "already been used" in page(again)


def test_unverified_member_cannot_post_or_message_but_can_edit_profile(app, client, auth, make_user, api):
    make_user("nadia_k", verified=False)
    make_user("gary_w")
    api.login("nadia_k")
    response = api.post("/conversations", json={"to": ["gary_w"], "body": "Hello Gary"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "email_not_verified"
    assert "We sent a link to nadia_k@school.example" in response.get_json()["error"]["message"]
    assert api.patch("/me", json={"school": "Hill School"}).status_code == 200
    assert api.get("/me").get_json()["email_verified"] is False


def test_gate_off_lets_unverified_members_post(app, make_user, api):
    app.config["REQUIRE_EMAIL_VERIFICATION"] = False
    make_user("nadia_k", verified=False)
    make_user("gary_w")
    api.login("nadia_k")
    assert api.post("/conversations", json={"to": ["gary_w"], "body": "Hello Gary"}).status_code == 201


def test_send_the_link_again_is_rate_limited(app, client, smtp_server, mail_now):
    register(client)
    for _ in range(3):
        client.submit("/email/verify/resend", {}, page="/")
    response = client.submit("/email/verify/resend", {}, page="/", follow_redirects=True)
    assert "You asked for the link several times. Try again in" in page(response)
    mail_now()
    assert len(smtp_server.to("nadia_k@school.example")) == 4  # at registration, then three more


def test_a_link_for_another_account_is_refused_when_signed_in(app, client, auth, make_user):
    other = make_user("gary_w", verified=False)
    link_token = tokens.make(other, tokens.VERIFY)
    auth.as_role()
    response = client.get(f"/email/verify/{link_token}")
    assert response.status_code == 403
    assert "This link is for another account." in page(response)


@pytest.mark.parametrize("purpose", [tokens.VERIFY, tokens.RESET, tokens.EMAIL_CHANGE])
def test_tampered_expired_and_foreign_tokens(app, make_user, purpose):
    user = make_user("nadia_k", verified=False)
    user.pending_email = "new@school.example"
    db.session.commit()
    good = tokens.make(user, purpose)
    assert tokens.check(good, purpose).id == user.id
    with pytest.raises(tokens.LinkProblem) as error:
        tokens.check(good[:-2] + ("AA" if not good.endswith("AA") else "BB"), purpose)
    assert error.value.code == "token_invalid"
    other_purpose = tokens.RESET if purpose != tokens.RESET else tokens.VERIFY
    with pytest.raises(tokens.LinkProblem):
        tokens.check(good, other_purpose)  # a salt per purpose
    with pytest.raises(tokens.LinkProblem) as error:
        tokens.check(_aged(good, purpose), purpose)
    assert error.value.code == "token_expired"


def _aged(token, purpose):
    """The same token, signed as if made just past its lifetime."""
    serializer = tokens._serializer(purpose)  # noqa: SLF001
    data = serializer.loads(token)
    past = time.time() - tokens.LIFETIMES[purpose].total_seconds() - 5

    class Then(itsdangerous.TimestampSigner):
        def get_timestamp(self):
            return int(past)

    serializer.signer = Then
    return serializer.dumps(data)


# Email change ----------------------------------------------------------------

def test_email_change_needs_password_and_takes_effect_when_confirmed(app, client, auth, smtp_server, mail_now):
    user = auth.as_role()
    old = user.email
    response = client.submit("/settings/email", {"email": "nadia@newschool.example", "password": "wrong-wrong"})
    assert response.status_code == 422 and "That is not your current password." in page(response)
    response = client.submit("/settings/email", {"email": "nadia@newschool.example", "password": PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == old and user.pending_email == "nadia@newschool.example"
    mail, link = the_link(smtp_server, mail_now, "nadia@newschool.example", "/email/change/")
    [notice] = smtp_server.to(old)
    assert "nadia@newschool.example" in notice.text and "Nothing changes unless" in notice.text
    assert client.get(link).status_code == 302
    db.session.refresh(user)
    assert user.email == "nadia@newschool.example" and user.pending_email is None
    assert client.get(link).status_code == 400  # used


# Password reset ----------------------------------------------------------------

def test_forgot_password_mail_reset_signs_in_and_out_everywhere(app, client, make_user, smtp_server, mail_now):
    user = make_user("nadia_k")
    elsewhere = app.test_client()
    elsewhere.submit("/login", {"login": "nadia_k", "password": PASSWORD, "remember": "y"})
    script = ApiClient(app.test_client())
    script.login("nadia_k")
    response = client.submit("/password/forgot", {"email": "Nadia_K@School.example"}, follow_redirects=True)
    assert "If an account uses that address, we have sent it a link" in page(response)
    mail, link = the_link(smtp_server, mail_now, user.email, "/password/reset/")
    assert mail["Subject"] == "Choose a new password for Staffroom"
    form = client.get(link)
    assert form.status_code == 200 and "Choose a new password" in page(form)
    response = client.submit(link, {"password": NEW_PASSWORD, "confirm": "something-else-1"})
    assert response.status_code == 422 and "The two passwords are not the same." in page(response)
    response = client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Welcome," in page(client.get("/"))  # signed in on this device
    assert "Join the community" in page(elsewhere.get("/"))  # and out everywhere else
    assert script.get("/me").status_code == 401  # tokens revoked
    mail_now()
    assert any(m["Subject"] == "Your Staffroom password was changed" for m in smtp_server.to(user.email))
    # The link dies with the password it was made for.
    again = app.test_client().get(link)
    assert again.status_code == 400 and "already been used" in page(again)


def test_api_reset_flow_and_bad_tokens(app, make_user, smtp_server, mail_now, api):
    user = make_user("nadia_k")
    response = api.post("/password-resets", json={"email": user.email})
    assert response.status_code == 202
    _mail, link = the_link(smtp_server, mail_now, user.email, "/password/reset/")
    token = link.rsplit("/", 1)[1]
    bad = api.post("/password-resets/confirm", json={"token": token + "x", "password": NEW_PASSWORD})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "token_invalid"
    weak = api.post("/password-resets/confirm", json={"token": token, "password": "short"})
    assert weak.status_code == 422 and "password" in weak.get_json()["error"]["fields"]
    assert api.post("/password-resets/confirm", json={"token": token, "password": NEW_PASSWORD}).status_code == 200
    used = api.post("/password-resets/confirm", json={"token": token, "password": "another-new-secret"})
    assert used.status_code == 400 and used.get_json()["error"]["code"] == "token_used"
    assert api.post("/tokens", json={"login": "nadia_k", "password": NEW_PASSWORD}).status_code == 201


def test_reset_answer_is_the_same_for_unknown_addresses(app, make_user, smtp_server, mail_now, api):
    make_user("nadia_k")
    known = api.post("/password-resets", json={"email": "nadia_k@school.example"},
                     environ_base={"REMOTE_ADDR": "192.0.2.1"})
    unknown = api.post("/password-resets", json={"email": "nobody@school.example"},
                       environ_base={"REMOTE_ADDR": "192.0.2.2"})
    assert (known.status_code, known.get_json()) == (unknown.status_code, unknown.get_json())
    mail_now()
    # The unknown address's owner is told no account uses it: no link in it.
    [told] = smtp_server.to("nobody@school.example")
    assert "no account uses this address" in told.text
    assert not any("/password/reset/" in link for link in told.links())


def test_reset_timing_does_not_reveal_accounts(app, make_user, api, capsys):
    app.config["RATELIMIT_ENABLED"] = False  # forty requests from one address
    make_user("nadia_k")

    def timed(email):
        start = time.perf_counter()
        assert api.post("/password-resets", json={"email": email}).status_code == 202
        return time.perf_counter() - start

    for email in ("nadia_k@school.example", "nobody@school.example"):
        timed(email)  # warm up
    known, unknown = [], []
    for _ in range(20):
        known.append(timed("nadia_k@school.example"))
        unknown.append(timed("nobody@school.example"))
    gap_ms = abs(statistics.mean(known) - statistics.mean(unknown)) * 1000
    with capsys.disabled():
        print(f"\n[{db.engine.name}] reset known {statistics.mean(known) * 1000:.2f} ms, "
              f"unknown {statistics.mean(unknown) * 1000:.2f} ms, gap {gap_ms:.2f} ms")
    assert gap_ms < 5


def test_reset_requests_are_limited_per_address_and_per_email(app, make_user, api):
    make_user("nadia_k")
    for _ in range(3):
        assert api.post("/password-resets", json={"email": "nadia_k@school.example"}).status_code == 202
    refused = api.post("/password-resets", json={"email": "nadia_k@school.example"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "for this address" in refused.get_json()["error"]["message"]
    # Same answer for an address no account uses: the limit reveals nothing.
    for _ in range(3):
        api.post("/password-resets", json={"email": "ghost@school.example"}, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    ghost = api.post(
        "/password-resets", json={"email": "ghost@school.example"}, environ_base={"REMOTE_ADDR": "192.0.2.9"}
    )
    assert ghost.status_code == 429
    # Per client address: five an hour whatever the addresses asked for.
    codes = [api.post("/password-resets", json={"email": f"m{n}@school.example"},
                      environ_base={"REMOTE_ADDR": "198.51.100.8"}).status_code for n in range(6)]
    assert codes == [202] * 5 + [429]
    # The page says so too.
    client = app.test_client()
    response = client.submit("/password/forgot", {"email": "other@school.example"},
                             environ_base={"REMOTE_ADDR": "198.51.100.8"})
    assert response.status_code == 429 and "Too many password resets" in page(response)
    assert int(response.headers["Retry-After"]) > 0


def test_login_page_offers_forgot_password(client):
    assert 'href="/password/forgot"' in page(client.get("/login"))
