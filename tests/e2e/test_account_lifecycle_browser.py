"""In the browser, with a real SMTP server: register, confirm the address
from the mail; forgot password, reset from the mail, signed in; a second
browser holding the old cookie is signed out."""

from __future__ import annotations

import re

import pytest

from app.accounts import services as accounts
from app.mail import sender as mail_sender
from tests.e2e.conftest import sign_in
from tests.helpers import PASSWORD
from tests.mailbox import SmtpServer

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

NEW_PASSWORD = "a-brand-new-secret"
EMAIL = "nadia@school.example"


@pytest.fixture
def mailbox():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def app_settings(mailbox):
    return mailbox.settings()


def deliver(live_server) -> None:
    """What the mail thread does, once (tests run the sender themselves)."""
    with live_server.app.app_context():
        mail_sender.tick()


def link_in(mailbox, live_server, subject: str) -> str:
    deliver(live_server)
    [mail] = [m for m in mailbox.to(EMAIL) if m["Subject"] == subject]
    [link] = [link for link in mail.links() if "/email/" in link or "/password/" in link]
    return re.sub(r"^https?://[^/]+", "", link)  # SITE_URL's path on this test server


def test_register_confirm_forget_reset_and_the_old_cookie_is_out(new_page, live_server, mailbox, shot):
    page = new_page()
    page.goto("/register")
    page.get_by_label("Your name").fill("Nadia Karim")
    page.get_by_label("Username").fill("nadia_k")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Country").select_option(label="United Kingdom")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    banner = page.get_by_role("region", name="Confirm your email address")
    expect(banner).to_contain_text(f"We sent a link to {EMAIL}")
    shot(page, "01-unconfirmed-banner")

    page.goto(link_in(mailbox, live_server, "Confirm your email address for Staffroom"))
    expect(page.get_by_role("status")).to_contain_text(f"{EMAIL} is confirmed")
    expect(page.get_by_role("region", name="Confirm your email address")).to_have_count(0)
    shot(page, "02-confirmed")

    # A second browser signs in too (the cookie that must stop working).
    other = new_page()
    other.goto("/login")
    other.get_by_label("Username or email").fill("nadia_k")
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("status")).to_contain_text("Welcome back")

    # Forgot password, from the sign-in page of a fresh browser.
    forgetful = new_page()
    forgetful.goto("/login")
    forgetful.get_by_role("link", name="Forgot your password?").click()
    forgetful.get_by_label("Email").fill(EMAIL)
    forgetful.get_by_role("button", name="Send me a link").click()
    expect(forgetful.get_by_role("status")).to_contain_text("If an account uses that address")
    forgetful.goto(link_in(mailbox, live_server, "Choose a new password for Staffroom"))
    expect(forgetful.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    forgetful.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    forgetful.get_by_label("New password again").fill(NEW_PASSWORD)
    shot(forgetful, "03-new-password")
    forgetful.get_by_role("button", name="Set new password").click()
    expect(forgetful.get_by_role("status")).to_contain_text("Your new password is set")
    expect(forgetful.get_by_role("banner")).to_contain_text("Nadia Karim")

    # The browsers that held the old sessions are signed out.
    for stale in (page, other):
        stale.reload()
        expect(stale.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    shot(other, "04-old-cookie-signed-out")
    deliver(live_server)
    assert any(m["Subject"] == "Your Staffroom password was changed" for m in mailbox.to(EMAIL))


def test_the_security_page_lists_devices_and_fits_a_phone(new_page, live_server, shot):
    with live_server.app.app_context():
        accounts.register(email_verified=True, username="nadia_k", email=EMAIL, password=PASSWORD,
                          display_name="Nadia Karim", country="GB")
    laptop = new_page(user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0 Safari/537.36")
    sign_in(laptop, "nadia_k")
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                     user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Safari/604.1")
    sign_in(phone, "nadia_k")
    phone.goto("/settings/security")
    devices = phone.get_by_role("table", name="Your signed-in devices")
    expect(devices).to_contain_text("Chrome on Windows")
    expect(devices).to_contain_text("(this device)")
    shot(phone, "security-390")
    # The page's own width, not the window's: mobile emulation widens the window to fit.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name=re.compile("Sign out Chrome on Windows")).click()
    laptop.reload()
    expect(laptop.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
