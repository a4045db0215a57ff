"""The site in five languages: a visitor picks one in the footer, the frame,
the home page, dates written by scripts and the scripts' own strings follow;
Arabic reads right to left. A French browser gets French without choosing."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

# Locale, its <html lang>, the home page's heading, a script string, the day a script writes.
LANGUAGES = [
    ("es", "es", "La sala de profesores para docentes de todo el mundo", "la colección", "lun"),
    ("fr", "fr", "La salle des profs des enseignants du monde entier", "la collection", "lun."),
    ("pt_BR", "pt-BR", "A sala dos professores para educadores de todo lugar", "a coleção", "seg."),
    ("ar", "ar", "غرفة المعلمين لكل المعلمين في كل مكان", "المجموعة", "الاثنين"),
    ("en", "en", "The staffroom for educators everywhere", "the collection", "Mon"),
]
SCRIPT_STRINGS = """async () => {
  await window.staffroomI18n.ready;
  return [window.staffroomI18n.gettext("the collection"),
          window.staffroomTime.formatDateTime("2026-12-07T08:13:00Z")];
}"""


def test_home_in_each_language_chosen_in_the_footer(live_server, page, shot):
    page.goto("/")
    for locale, lang, heading, script_string, day in LANGUAGES:
        switcher = page.locator("form.language-switcher")
        switcher.locator("select").select_option(locale)
        switcher.get_by_role("button").click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if locale == "ar" else "ltr")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert switcher.locator("select").input_value() == locale
        page.wait_for_function("() => window.staffroomI18n && window.staffroomTime")  # deferred scripts ran
        translated, written = page.evaluate(SCRIPT_STRINGS)
        assert translated == script_string
        assert written.startswith(day) and written.endswith("08:13 UTC"), written
        page.set_viewport_size({"width": 1280, "height": 900})
        shot(page, f"i18n-home-{locale}-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, f"i18n-home-{locale}-390")
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("accept", ["fr-FR,fr;q=0.9"])
def test_a_french_browser_gets_french_sign_in(live_server, new_page, accept):
    page = new_page(locale="fr-FR", extra_http_headers={"Accept-Language": accept})
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    page.get_by_label("Nom d’utilisateur ou adresse e-mail").fill("nobody")
    page.get_by_label("Mot de passe", exact=True).fill("not the password")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#password-error")).to_have_text("Le nom d’utilisateur ou le mot de passe est incorrect.")
