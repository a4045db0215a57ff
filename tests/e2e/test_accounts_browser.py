"""An educator joins, signs out and in again, fills in a profile and sees it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

NAME = "Amira Haddad"
USERNAME = "amira_h"
BIO = """Teaching *maths* in **Riyadh**.

- Number talks
- Puzzles

<script>alert(1)</script>
"""


def open_user_menu(page: Page):
    """The account menu is a <details>: its summary shows the display name."""
    page.get_by_role("banner").get_by_text(NAME, exact=True).click()
    menu = page.get_by_role("list", name="Your account")
    expect(menu).to_be_visible()
    return menu


def test_join_sign_in_and_edit_profile(page: Page):
    # An injected <script> would open a dialog, or be blocked by the CSP and say so.
    dialogs, csp_violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    # Join from the home page.
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Join", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Staffroom")
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Email").fill("amira@school.example")
    page.get_by_label("Country").select_option(label="Saudi Arabia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(r"/settings/profile$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to Staffroom, {NAME}!")

    # Sign out through the user menu.
    open_user_menu(page).get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out")
    expect(page.get_by_role("banner").get_by_role("link", name="Join", exact=True)).to_be_visible()

    # A wrong password: the message is tied to the password field.
    page.get_by_role("banner").get_by_role("link", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Username or email").fill(USERNAME)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("That username or password is not right."))
    expect(page.get_by_role("alert")).to_contain_text("Password: That username or password is not right.")
    expect(page.get_by_label("Username or email")).to_have_value(USERNAME)

    # The right password signs in.
    password.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome back, {NAME}.")

    # Edit the profile from the user menu.
    open_user_menu(page).get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")
    expect(page.get_by_label("Display name")).to_have_value(NAME)
    page.get_by_label("School", exact=True).fill("Al Noor International School")
    page.get_by_label("Time zone").select_option("Asia/Riyadh")
    subjects = page.get_by_role("group", name="Subjects you teach")
    subjects.get_by_role("checkbox", name="Mathematics", exact=True).check()
    page.get_by_label("About you").fill(BIO)
    page.get_by_role("button", name="Save profile").click()

    # The public profile.
    expect(page).to_have_url(re.compile(rf"/u/{USERNAME}$"))
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_text("Saudi Arabia · Al Noor International School")).to_be_visible()
    expect(page.get_by_text("Local time zone: Asia/Riyadh")).to_be_visible()
    expect(page.get_by_role("list", name="Subjects").get_by_role("listitem")).to_have_text(["Mathematics"])

    about = page.get_by_role("region", name="About")
    expect(about.get_by_role("emphasis")).to_have_text("maths")
    expect(about.get_by_role("strong")).to_have_text("Riyadh")
    expect(about.get_by_role("listitem")).to_have_text(["Number talks", "Puzzles"])
    expect(about).to_contain_text("<script>alert(1)</script>")  # shown as text
    expect(about.locator("script")).to_have_count(0)
    assert dialogs == []
    assert csp_violations == []
