"""The settings page is one form with one Save: choosing a weekly digest and
a notification choice, then saving, keeps both after a reload; every kind of
notification is listed once."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.accounts import services as accounts
from tests.e2e.conftest import sign_in
from tests.helpers import PASSWORD


def test_one_save_keeps_the_digest_and_the_notification_choices(live_server, page, shot):
    with live_server.app.app_context():
        accounts.register(email_verified=True, username="amira_h", email="amira@school.example", password=PASSWORD,
                          display_name="Amira Haddad", country="SA")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "amira_h")
    page.goto("/settings/people")

    kinds = page.locator("main select").evaluate_all("els => els.map(el => el.labels[0].textContent.trim())")
    assert len(kinds) == len(set(kinds)) and "Someone mentions you" not in kinds

    page.get_by_label("A weekly summary").check()
    page.get_by_label("Kudos on your activities").select_option(label="Not at all")
    # The member saves with the button at the bottom of the page.
    page.get_by_role("button", name=re.compile(r"^Save")).last.click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    page.reload()
    expect(page.get_by_label("A weekly summary")).to_be_checked()
    expect(page.get_by_label("Kudos on your activities")).to_have_value("none")
    expect(page.get_by_role("button", name=re.compile(r"^Save"))).to_have_count(1)
    shot(page, "2-settings-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "2-settings-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
