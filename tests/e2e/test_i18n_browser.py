"""The site in five languages: a visitor picks one in the footer, the frame,
the home page, dates written by scripts and the scripts' own strings follow;
Arabic reads right to left. A French browser gets French without choosing.

The walk: one member switches language in the footer (which saves it on
her profile) and visits home, a thread, the library and a live room in each
of the five, on one server with the demo data; each page is checked for its
`<html lang>` and one word it shows, read from the compiled catalog, and shot
at 1280 and 390 px into test-results/ (`i18n-walk-<locale>-<page>-<width>`).
axe-core and the full overflow check run in Arabic only, in test_rtl_browser.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo.people import MEMBER_PASSWORD
from app.events.models import Event
from app.extensions import db
from app.forum.models import Thread
from app.i18n import LOCALES, RTL_LOCALES, language_tag
from tests.e2e.conftest import TIMEOUT_MS, serve_demo, sign_in, translator

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


# --- the walk ----------------------------------------------------------------

WALK_MEMBER = "amira_h"
WALK_WIDTHS = (1280, 390)
WALK_PAGES = [("home", "/"), ("thread", "/t/{thread}"), ("library", "/library"), ("room", "/events/{room}/room")]


@pytest.fixture(scope="module")
def walk_site(seeded_demo, tmp_path_factory):
    """The demo site, and the ids of a discussion and of a room open now."""
    with serve_demo(seeded_demo, tmp_path_factory.mktemp("walk-site")) as server:
        with server.app.app_context():
            ids = {
                "thread": db.session.scalar(select(Thread.id).where(Thread.kind == "discussion")
                                            .order_by(Thread.id.desc()).limit(1)),
                "room": db.session.scalar(select(Event.id).where(Event.always_open.is_(True)).limit(1)),
            }
            db.session.remove()
        assert all(ids.values()), f"the demo data lacks a row: {ids}"
        yield server, ids


def switch_language(page, locale: str) -> None:
    """The footer's switcher, as a member uses it: it also saves her profile."""
    switcher = page.locator("form.language-switcher")
    switcher.locator("select").select_option(locale)
    switcher.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", language_tag(locale))


def translated_word(page, name: str, _):
    """The word that shows `page` is in the catalog's language, once the page has drawn it."""
    if name == "home":
        return page.get_by_role("navigation", name=_("Main")).get_by_role("link", name=_("Library"), exact=True)
    if name == "thread":
        return page.get_by_role("textbox", name=_("Your reply"))
    if name == "library":
        return page.get_by_role("heading", level=1, name=_("Resource library"))
    connection = page.locator("#connection")
    expect(connection).to_have_attribute("data-state", "live")  # joined: room.js wrote the state from the catalog
    return connection.filter(has_text=_("Live"))


def test_a_member_walks_the_site_in_each_language(walk_site, browser, shot):
    server, ids = walk_site
    context = browser.new_context(base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, WALK_MEMBER, password=MEMBER_PASSWORD)
        for locale in (*LOCALES[1:], LOCALES[0]):  # English last, from Arabic
            _ = translator(locale)
            switch_language(page, locale)
            for name, path in WALK_PAGES:
                page.goto(path.format(**ids))
                expect(page.locator("html")).to_have_attribute("lang", language_tag(locale))
                expect(page.locator("html")).to_have_attribute("dir", "rtl" if locale in RTL_LOCALES else "ltr")
                expect(translated_word(page, name, _)).to_be_visible()
                for width in WALK_WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    assert page.evaluate("document.documentElement.scrollWidth") <= width, \
                        f"{locale} {name} scrolls sideways at {width} px"
                    shot(page, f"i18n-walk-{locale}-{name}-{width}")
                page.set_viewport_size({"width": 1280, "height": 900})
    finally:
        context.close()
