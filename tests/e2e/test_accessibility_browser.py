"""Accessibility in Chromium: every main page passes axe-core with no
serious or critical violation and shows focus on every control (signed out
where a visitor lands, signed in elsewhere), and the key actions (sign in,
share a resource, reply, send in a live room, RSVP) and the skip link work
with the keyboard alone.

One server with the demo data (`flask seed-demo`) serves the whole module,
so it is seeded once. The axe checks only read; the keyboard tests add a
resource, a reply, a chat message and an RSVP, which no axe check depends on.

axe-core is vendored under tests/e2e/vendor (never served by the app). It
goes in as a Playwright init script, which Chromium runs through the
DevTools protocol before the page's own scripts: the page's CSP (no inline
scripts, no inline styles) stays in force, so axe judges the page exactly as
a visitor gets it. `page.add_script_tag` would need `bypass_csp=True`, and
then styles the CSP blocks in production would count in the contrast checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo.people import MEMBER_PASSWORD
from app.events.models import Event
from app.extensions import db
from app.forum.models import Thread
from app.groups.models import Group
from app.programmes.models import Cohort, School
from app.resources.models import Collection, Resource
from tests.e2e.conftest import TIMEOUT_MS, LiveServer, serve_demo, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
MEMBER = "amira_h"  # a demo educator with conversations, groups and RSVPs
BLOCKING = {"serious", "critical"}

# One worker seeds the demo site once. (Until pytest-xdist groups again on
# pytest 9.2, pytest-dev/pytest-xdist#1386, each worker may seed its own.)
pytestmark = pytest.mark.xdist_group("demo-site")

# (test id, signed in?, path: "/x" or a "{key}" filled from DemoSite.ids)
PAGES = [
    ("home-visitor", False, "/"),
    ("register", False, "/register"),
    ("login", False, "/login"),
    ("library-visitor", False, "/library"),
    ("resource-visitor", False, "/resources/{resource}"),
    ("event-visitor", False, "/events/{tweetmeet}"),
    ("home", True, "/"),
    ("library", True, "/library"),
    ("resource", True, "/resources/{resource}"),
    ("collection", True, "/collections/{collection}"),
    ("search", True, "/search?q=feedback"),
    ("discuss", True, "/discuss"),
    ("thread", True, "/t/{thread}"),
    ("groups", True, "/groups"),
    ("group", True, "/groups/{group}"),
    ("events", True, "/events"),
    ("event", True, "/events/{tweetmeet}"),
    ("room", True, "/events/{open_call}/room"),
    ("programmes", True, "/programmes"),
    ("cohort", True, "/programmes/cohorts/{cohort}"),
    ("people", True, "/people"),
    ("profile", True, "/u/gary_w"),
    ("messages", True, "/messages"),
    ("notifications", True, "/notifications"),
    ("edit-profile", True, "/settings/profile"),
    ("settings", True, "/settings/people"),
    ("schools", True, "/schools"),
    ("school", True, "/schools/{school}"),
]


@dataclass
class DemoSite:
    server: LiveServer
    ids: dict = field(default_factory=dict)

    def path(self, template: str) -> str:
        return template.format(**self.ids)


def _first(statement) -> int:
    found = db.session.scalar(statement.limit(1))
    assert found is not None, f"the demo data has no row for {statement}"
    return found


@pytest.fixture(scope="module")
def demo_site(seeded_demo, tmp_path_factory):
    with serve_demo(seeded_demo, tmp_path_factory.mktemp("demo-site")) as server:
        with server.app.app_context():
            ids = {
                "resource": _first(select(Resource.id).where(Resource.file_id.is_not(None))
                                   .order_by(Resource.id)),
                "thread": _first(select(Thread.id).where(Thread.accepted_post_id.is_not(None)).order_by(Thread.id)),
                "discussion": _first(select(Thread.id).where(Thread.kind == "discussion", Thread.locked.is_(False))
                                     .order_by(Thread.id.desc())),
                "group": _first(select(Group.id).where(Group.visibility == "public").order_by(Group.id)),
                "tweetmeet": _first(select(Event.id).where(Event.kind == "tweetmeet").order_by(Event.starts_at.desc())),
                "open_call": _first(select(Event.id).where(Event.always_open.is_(True))),
                "cohort": _first(select(Cohort.id).order_by(Cohort.announce_at.desc())),
                "school": _first(select(School.id).order_by(School.id)),
                "collection": _first(select(Collection.id).order_by(Collection.id)),
            }
            db.session.remove()
        yield DemoSite(server, ids)


class Browsers:
    """Browser contexts on the demo site, one a person (None: a visitor),
    made on first use and kept for the module so each signs in once."""

    def __init__(self, browser, url: str):
        self.browser, self.url = browser, url
        self.contexts: dict = {}
        self.pages: list = []

    def _context(self, username: str | None, axe: bool):
        context = self.browser.new_context(base_url=self.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        if axe:
            context.add_init_script(path=AXE)
        if username:
            page = context.new_page()
            sign_in(page, username, password=MEMBER_PASSWORD)
            page.close()
        return context

    def page(self, username: str | None = None, *, axe: bool = False):
        key = (username, axe)
        if key not in self.contexts:
            self.contexts[key] = self._context(username, axe)
        page = self.contexts[key].new_page()
        self.pages.append(page)
        return page

    def close_pages(self) -> None:
        while self.pages:
            self.pages.pop().close()

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="module")
def _browsers(demo_site, _playwright):
    browser, loop = _playwright
    browsers = Browsers(browser, demo_site.server.url)
    yield browsers
    # Module teardown runs outside the per-test attachment of Playwright's
    # loop (see conftest), so it attaches the loop itself.
    loop.attach()
    try:
        browsers.close()
    finally:
        loop.detach()


@pytest.fixture
def browsers(_browsers):
    """`browsers.page("gary_w")`: a page signed in as that demo member; closed after the test."""
    yield _browsers
    _browsers.close_pages()


def axe_violations(page) -> list[dict]:
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def settle(page) -> None:
    """Let scripts finish drawing what they draw on load, so axe checks it too."""
    page.wait_for_load_state("load")
    if page.locator("#room").count():  # the live room fills its panels once joined, in any language
        expect(page.locator('#connection[data-state="live"]')).to_be_visible()


# Focus each control a keyboard user can reach, and read its outline. The
# page has had no pointer input, so programmatic focus matches :focus-visible
# as a Tab would; Chromium's own ring (outline-style auto, 1px) does not pass.
UNRINGED_CONTROLS = """() => {
    const tabbable = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
    const unringed = [];
    for (const el of document.querySelectorAll(tabbable)) {
        if (el.disabled || el.tabIndex < 0 || !el.getClientRects().length) continue;
        el.focus();
        if (document.activeElement !== el) continue;
        const style = getComputedStyle(el);
        if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) {
            unringed.push(el.outerHTML.slice(0, 120));
        }
    }
    document.activeElement.blur();
    return unringed;
}"""


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(map(json.dumps, node["target"])) for node in violation["nodes"]]
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) {violation['helpUrl']}")
        lines.extend(f"    at {target}" for target in targets[:5])
    return "\n".join(lines)


@pytest.mark.parametrize(("signed_in", "path"), [pytest.param(s, p, id=name) for name, s, p in PAGES])
def test_no_serious_violations_and_focus_always_shows(demo_site, browsers, signed_in, path):
    page = browsers.page(MEMBER if signed_in else None, axe=True)
    response = page.goto(demo_site.path(path))
    assert response.ok, f"{path}: HTTP {response.status}"
    settle(page)
    violations = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not violations, f"{page.url}\n{describe(violations)}"
    unringed = page.evaluate(UNRINGED_CONTROLS)
    assert not unringed, f"{page.url}: no visible focus on\n" + "\n".join(unringed)


# --- the keyboard alone --------------------------------------------------------

KEYBOARD_MEMBER = "yuki_t"  # not going to the TweetMeet yet


def focus_ring(locator) -> dict:
    return locator.evaluate("""el => {
        const style = getComputedStyle(el);
        return {outline: style.outlineStyle, width: parseFloat(style.outlineWidth), shadow: style.boxShadow};
    }""")


def tab_to(page, target, limit: int = 150) -> None:
    """Press Tab, and only Tab, until `target` has focus; then its focus must show."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if handle.evaluate("el => el === document.activeElement"):
            ring = focus_ring(target)
            assert ring["outline"] != "none" and ring["width"] >= 2, f"no visible focus on {target}: {ring}"
            return
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def choose_with_arrows(page, select, value: str) -> None:
    """Move a closed <select> down its options with the arrow key until `value`."""
    for _ in range(select.locator("option").count()):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(value)


def test_skip_link_jumps_to_the_main_content(browsers):
    page = browsers.page()
    page.goto("/library")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, "the skip link stays off screen when focused"
    assert focus_ring(skip)["outline"] != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => Boolean(document.activeElement.closest('main'))"), \
        "the next Tab after the skip link leaves the main content"


def test_sign_in_with_the_keyboard(browsers):
    page = browsers.page()
    page.goto("/login")
    tab_to(page, page.get_by_label("Username or email"))
    page.keyboard.type("sofia_g")
    tab_to(page, page.get_by_label("Password", exact=True))
    page.keyboard.type(MEMBER_PASSWORD)
    tab_to(page, page.get_by_role("button", name="Sign in"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Welcome back, Sofía García.")


def test_share_a_link_resource_with_the_keyboard(browsers):
    page = browsers.page(KEYBOARD_MEMBER)
    page.goto("/resources/new")
    tab_to(page, page.get_by_label("Link"))
    page.keyboard.type("https://example.org/keyboard-shortcuts")
    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("Keyboard shortcuts poster")
    subject = page.get_by_label("Subject")
    tab_to(page, subject)
    page.keyboard.type("Music")  # type-ahead picks the option, as a sighted keyboard user would
    expect(subject).to_have_value("music")
    licence = page.get_by_label("Licence")
    tab_to(page, licence)
    choose_with_arrows(page, licence, "cc-by")
    tab_to(page, page.get_by_role("button", name="Share resource"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard shortcuts poster")


def test_reply_to_a_thread_with_the_keyboard(demo_site, browsers):
    page = browsers.page(KEYBOARD_MEMBER)
    page.goto(demo_site.path("/t/{discussion}"))
    tab_to(page, page.get_by_role("textbox", name="Your reply"), limit=250)
    page.keyboard.type("Thank you, typed without a mouse.")
    tab_to(page, page.get_by_role("button", name="Post reply"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("article").filter(has_text="typed without a mouse")).to_be_visible()


def test_send_in_the_live_room_with_the_keyboard(demo_site, browsers):
    page = browsers.page(KEYBOARD_MEMBER)
    page.goto(demo_site.path("/events/{open_call}/room"))
    expect(page.locator("#connection")).to_have_text("Live")
    tab_to(page, page.get_by_label("Your message"))
    page.keyboard.type("Hello from the keyboard")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Hello from the keyboard")


def test_rsvp_with_the_keyboard(demo_site, browsers):
    page = browsers.page(KEYBOARD_MEMBER)
    page.goto(demo_site.path("/events/{tweetmeet}"))
    tab_to(page, page.get_by_role("button", name="I'm going"))
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_contain_text("You are going.")
