"""Right to left in Arabic: the main pages as an Arabic browser gets them
(`Accept-Language: ar`, so `<html lang="ar" dir="rtl">` and the Arabic
catalog) fit the screen at 390 and 1280 px and pass axe-core with no serious
or critical violation; the menus open inside the screen and the @mention list
opens under its field's inline start (its right edge).

Every word the tests look for is read from the compiled Arabic catalog
(`translator`). One server with the demo data serves the module; the tests
only read.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo.people import MEMBER_PASSWORD
from app.events.models import Event
from app.extensions import db
from app.forum.models import Thread
from app.groups.models import Group
from app.resources.models import Resource
from tests.e2e.conftest import TIMEOUT_MS, serve_demo, translator
from tests.e2e.test_accessibility_browser import AXE, BLOCKING, axe_violations, describe, settle

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

MEMBER = "amira_h"  # no language on her profile: the browser's Arabic applies
WIDTHS = (1280, 390)
_ = translator("ar")

# (name, signed in?, path with "{key}" filled from the demo's ids)
PAGES = [
    ("home", True, "/"),
    ("library", True, "/library"),
    ("resource", True, "/resources/{resource}"),
    ("thread", True, "/t/{thread}"),
    ("event", True, "/events/{tweetmeet}"),
    ("room", True, "/events/{open_call}/room"),
    ("group", True, "/groups/{group}"),
    ("profile", True, "/u/gary_w"),
    ("register", False, "/register"),
    ("share", True, "/resources/new"),
]

# Every rendered element's box within [0, width], except inside a box that
# scrolls or clips sideways (a table's scroller, the chat): that box is checked.
OVERFLOWS = """() => {
    const width = document.documentElement.clientWidth;
    const found = [];
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > width) found.push(`the page scrolls sideways: ${scrollWidth} px in ${width}`);
    const clips = new Map();
    const clipped = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (!clips.has(a)) clips.set(a, getComputedStyle(a).overflowX !== "visible");
            if (clips.get(a)) return true;
        }
        return false;
    };
    for (const el of document.body.querySelectorAll("*")) {
        if (!el.getClientRects().length || el.closest(".visually-hidden") || clipped(el)) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (box.left < -1 || box.right > width + 1) {
            found.push(`${el.outerHTML.slice(0, 100)} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
        }
    }
    return found;
}"""


@pytest.fixture(scope="module")
def rtl_site(seeded_demo, tmp_path_factory):
    """The demo site and the ids its paths need."""
    with serve_demo(seeded_demo, tmp_path_factory.mktemp("rtl-site")) as server:
        with server.app.app_context():
            first = db.session.scalar
            ids = {
                "resource": first(select(Resource.id).where(Resource.file_id.is_not(None)).order_by(Resource.id)),
                "thread": first(select(Thread.id).where(Thread.kind == "discussion", Thread.locked.is_(False))
                                .order_by(Thread.id.desc())),
                "tweetmeet": first(select(Event.id).where(Event.kind == "tweetmeet")
                                   .order_by(Event.starts_at.desc())),
                "open_call": first(select(Event.id).where(Event.always_open.is_(True))),
                "group": first(select(Group.id).where(Group.visibility == "public").order_by(Group.id)),
            }
            db.session.remove()
        assert all(ids.values()), f"the demo data lacks a row: {ids}"
        yield server, ids


@pytest.fixture
def rtl_page(browser, rtl_site):
    """`rtl_page(signed_in)`: a page in an Arabic browser with axe loaded, signed in as MEMBER or a visitor."""
    server, _ids = rtl_site
    contexts = []

    def make(signed_in: bool):
        context = browser.new_context(base_url=server.url, locale="ar", viewport={"width": 1280, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(path=AXE)
        contexts.append(context)
        page = context.new_page()
        if signed_in:
            page.goto("/login")
            page.get_by_label(_("Username or email")).fill(MEMBER)
            page.get_by_label(_("Password"), exact=True).fill(MEMBER_PASSWORD)
            page.get_by_role("button", name=_("Sign in")).click()
            expect(page.get_by_role("status")).to_contain_text(_("Welcome back, %(name)s.") % {"name": "Amira Haddad"})
        return page

    yield make
    for context in contexts:
        context.close()


def assert_fits(page, where: str) -> None:
    offenders = page.evaluate(OVERFLOWS)
    assert not offenders, f"{where}: outside the screen:\n" + "\n".join(offenders[:15])


def assert_no_serious_violations(page, where: str) -> None:
    violations = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not violations, f"{where}\n{describe(violations)}"


@pytest.mark.parametrize(("name", "signed_in", "path"), [pytest.param(*p, id=p[0]) for p in PAGES])
def test_right_to_left_page_fits_and_passes_axe(rtl_site, rtl_page, shot, name, signed_in, path):
    _server, ids = rtl_site
    page = rtl_page(signed_in)
    response = page.goto(path.format(**ids))
    assert response.ok, f"{path}: HTTP {response.status}"
    settle(page)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir,"
                         " getComputedStyle(document.body).direction]") == ["ar", "rtl", "rtl"]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        where = f"{page.url} at {width} px"
        assert_fits(page, where)
        assert_no_serious_violations(page, where)
        shot(page, f"rtl-{name}-{width}")


def _inline_start_edge(box: dict) -> float:
    return box["x"] + box["width"]


def test_right_to_left_menus_and_mentions_open_on_the_right(rtl_site, rtl_page, shot):
    _server, ids = rtl_site
    page = rtl_page(True)
    page.goto("/")
    # The account menu opens under its button, toward the page, inside the screen.
    header = page.get_by_role("banner")
    header.locator(".user-menu > summary").click()
    menu = header.locator(".user-menu .menu")
    expect(menu).to_be_visible()
    summary = header.locator(".user-menu > summary").bounding_box()
    box = menu.bounding_box()
    assert box["x"] >= 0 and abs(box["x"] - summary["x"]) <= 1, f"the menu is not under its button: {box} {summary}"
    assert_fits(page, "the account menu open at 1280 px")
    shot(page, "rtl-account-menu-1280")

    # On a phone "Menu" sits at the inline end (left) and the menu opens inside the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    toggle = header.get_by_role("link", name=_("Menu"))
    brand = header.locator(".brand").bounding_box()
    assert toggle.bounding_box()["x"] < brand["x"], "Menu is not on the left of the brand in a right-to-left page"
    toggle.click()
    expect(header.get_by_role("navigation", name=_("Main")).get_by_role("link", name=_("Events"))).to_be_visible()
    assert_fits(page, "the phone menu open")
    shot(page, "rtl-menu-open-390")

    # The @mention list lines up with the reply box's right edge.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/t/{ids['thread']}")
    reply = page.get_by_role("textbox", name=_("Your reply"))
    reply.press_sequentially("@ga")
    listbox = page.get_by_role("listbox", name=_("Members to mention"))
    expect(listbox.get_by_role("option").first).to_be_visible()
    field, listed = reply.bounding_box(), listbox.bounding_box()
    assert abs(_inline_start_edge(listed) - _inline_start_edge(field)) <= 1, \
        f"the mention list is not under the field's right edge: {listed} under {field}"
    shot(page, "rtl-mention-1280")


# Where a numeric zone's sign ("+03") lands against its figures, in the first time that has one.
ZONE_SIGN = """(within) => {
    const walker = document.createTreeWalker(document.querySelector(within), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.search(/[+-]\\d\\d\\b/);
        if (at < 0 || !node.parentElement.getClientRects().length) continue;
        const box = (start, end) => {
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, end);
            return range.getBoundingClientRect();
        };
        return {text: node.data.trim(), sign: box(at, at + 1).left, figures: box(at + 1, at + 3).left};
    }
    return null;
}"""


def test_a_numeric_zone_keeps_its_sign_in_front(rtl_site, rtl_page):
    """Amira's zone is Asia/Riyadh, "+03": on her home page (written by the
    server) and in a room's chat (written by time.js) the sign stays on the
    figures' left, as "+03" reads in Arabic too."""
    _server, ids = rtl_site
    page = rtl_page(True)
    for path, within in (("/", "main"), (f"/events/{ids['open_call']}/room", "#messages")):
        page.goto(path)
        settle(page)
        found = page.evaluate(ZONE_SIGN, within)
        assert found, f"{path}: no time with a numeric zone"
        assert found["sign"] < found["figures"], f"{path}: the sign follows the figures in {found['text']!r}"
