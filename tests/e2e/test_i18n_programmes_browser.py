"""The programmes in Arabic, right to left, on a phone: the application page's
autosave speaks through the scripts' catalog, and nothing is wider than the
screen."""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

from tests.e2e.conftest import educator, sign_in
from tests.helpers import open_cohort


def test_an_application_in_arabic_on_a_phone(live_server, page, shot):
    with live_server.app.app_context():
        admin = educator("prog_admin", "Programme Admin", role="admin")
        educator("amal_h", "Amal Haddad", country="JO", timezone="Asia/Amman")
        open_cohort(admin, questions=[{"text": "How do you share with colleagues?", "max_length": 500}])
    sign_in(page, "amal_h")
    switcher = page.locator("form.language-switcher")
    switcher.locator("select").select_option("ar")
    switcher.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.goto("/programmes")
    expect(page.get_by_role("heading", level=2, name="الترشيحات")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "i18n-programmes-ar-390")
    page.get_by_role("button", name="ابدأ طلبك").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("طلبك")
    answer = page.get_by_role("textbox").first
    answer.fill("أشارك زملائي كل ما ينجح في صفي.")
    expect(page.locator("#autosave-status")).to_have_text("تغييرات غير محفوظة…")
    answer.blur()  # the autosave on leaving the field; the server's answer comes in Arabic too
    expect(page.locator("#autosave-status")).to_contain_text("حُفظت المسودة الساعة")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "i18n-programmes-application-ar-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "i18n-programmes-application-ar-1280")
