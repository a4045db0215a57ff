"""A member switches to Arabic: their home, the directory (country names,
the count in Arabic plural), a profile and the follow message read right
to left in Arabic, and nothing is wider than a phone."""

from __future__ import annotations

from app.accounts import services as accounts
from tests.e2e.conftest import sign_in
from tests.helpers import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None


def make_member(app, username: str, name: str, country: str) -> None:
    with app.app_context():
        accounts.register(email_verified=True, username=username, email=f"{username}@school.example",
                          password=PASSWORD, display_name=name, country=country, timezone="Asia/Riyadh")


def fits_the_phone(page, shot, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    shot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_people_pages_in_arabic(live_server, page, shot):
    make_member(live_server.app, "amira_h", "Amira Haddad", "SA")
    make_member(live_server.app, "bruno_c", "Bruno Costa", "BR")
    sign_in(page, "amira_h", "Amira Haddad")
    switcher = page.locator("form.language-switcher")
    switcher.locator("select").select_option("ar")
    switcher.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("أهلًا بك يا Amira Haddad")
    expect(page.get_by_role("heading", name="أكمل ملفك الشخصي")).to_be_visible()
    shot(page, "i18n-people-home-ar-1280")
    fits_the_phone(page, shot, "i18n-people-home-ar")

    page.goto("/people")
    expect(page.get_by_role("heading", level=1)).to_have_text("ابحث عن معلمين")
    expect(page.get_by_role("status").filter(has_text="عُثر على عضوين.")).to_have_count(1)
    expect(page.get_by_label("البلد")).to_contain_text("المملكة العربية السعودية")
    expect(page.locator("#people-results")).to_contain_text("البرازيل")
    fits_the_phone(page, shot, "i18n-people-ar")

    page.goto("/u/bruno_c")
    page.get_by_role("button", name="متابعة").click()
    expect(page.locator(".flash")).to_contain_text("أنت تتابع Bruno Costa")
    expect(page.locator(".profile-follow")).to_contain_text("1 متابِع")
    shot(page, "i18n-people-profile-ar-1280")
    fits_the_phone(page, shot, "i18n-people-profile-ar")
