"""No page is wider than a phone: every HTML page of the URL map, opened at
390x844 in Chromium's mobile emulation, as a visitor and as a signed-in
member, must not scroll sideways. And on the phone the header folds into a
"Menu" button, the live room's message box shows without scrolling and number
fields bring up a keyboard that can type them; on a desktop the leaderboard
stays inside its card.

Mobile emulation (`is_mobile=True`) widens `window.innerWidth` to fit content
that overflows, so comparing with `innerWidth` passes on a page that scrolls
sideways: the check compares `document.documentElement.scrollWidth` with the
phone's own width.

One server with the demo data (`flask seed-demo`) serves the module. The
routes come from `app.url_map`, so a new page is checked without being listed
here; `<int:...>` and other arguments are filled with real rows of the demo
data (several for events and groups, whose pages differ most). A route this
test does not open is in SKIPPED with the reason.
"""

from __future__ import annotations

import pytest
from flask import current_app, url_for
from sqlalchemy import func, or_, select

from app.accounts.models import User
from app.demo.people import MEMBER_PASSWORD
from app.events.models import Event, EventSeries, TweetMeetQuestion
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.groups.models import Activity, Challenge, Group
from app.messages.models import Conversation, Message
from app.programmes.models import Application, Cohort, CollabRequest, School
from app.resources.models import Collection, Resource
from tests.e2e.conftest import TIMEOUT_MS, serve_demo

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
MEMBER = "wanjiru_k"  # a demo educator who owns the running group and has a draft nomination

SKIPPED = {
    "static": "files, not pages",
    "health.healthz": "JSON health probe",
    "health.readyz": "JSON health probe",
    "events.attendees_csv": "a CSV download",
    "events.ics": "a calendar file",
    "events.series_ics": "a calendar file",
    "events.series_page": "redirects to events.show of the series' next date, which is checked",
    "events.feed": "a calendar feed",
    "groups.cover": "an image",
    "groups.photo": "an image (an activity photo)",
    "groups.export_csv": "a CSV download",
    "accounts.avatar": "an image",
    "resources.download": "a file download",
    "resources.preview": "an image",
    "resources.thumb": "an image",
    "programmes.badge": "an SVG image",
    "forum.media_file": "an image in a post",
    "programmes.evidence_file": "a file download",
    "programmes.experts_csv": "a CSV download",
    "people.export": "a zip download",
    "notifications.open_one": "marks a notification read and redirects to what it is about",
    "forum.new_threads": "an HTML fragment the category page's new-threads bar inserts (the category page is checked)",
    "forum.new_posts": "an HTML fragment the thread page's new-replies bar inserts (the thread page is checked)",
    "forum.thread_short": "redirects to forum.thread, which is checked",
    "forum.first_unread": "redirects to forum.thread, which is checked",
}


def _ids(statement) -> list:
    found = list(db.session.scalars(statement))
    assert found, f"the demo data has no row for {statement}"
    return found


def _opened(rule) -> bool:
    """Pages: answers to GET, outside the JSON API, not in SKIPPED."""
    return "GET" in rule.methods and not rule.rule.startswith("/api/") and rule.endpoint not in SKIPPED


def _arguments(member: User) -> dict[str, list[dict]]:
    """For each endpoint with arguments, the argument sets to open it with."""
    thread = db.session.scalars(select(Thread).where(Thread.accepted_post_id.is_not(None)).order_by(Thread.id)).first()
    challenge = db.session.scalars(select(Challenge).order_by(Challenge.id)).first()
    collection = db.session.scalars(select(Collection).order_by(Collection.id)).first()
    cohort = db.session.scalars(select(Cohort).order_by(Cohort.announce_at.desc())).first()
    conversation = _ids(select(Conversation.id).order_by(Conversation.id))[0]
    question = _ids(select(TweetMeetQuestion).order_by(TweetMeetQuestion.id))[0]
    by_name = {
        "activity_id": _ids(select(Activity.id).where(Activity.user_id == member.id)
                            .order_by(Activity.started_at.desc()).limit(1)),
        "request_id": _ids(select(CollabRequest.id).order_by(CollabRequest.id).limit(1)),
        "collection_id": [collection.id],
        "category_id": _ids(select(Category.id).order_by(Category.id).limit(1)),
        "slug": _ids(select(Category.slug).order_by(Category.id).limit(1)),
        # A series' dates share one page layout: its first date stands for them.
        "event_id": _ids(select(Event.id).where(or_(Event.series_id.is_(None), Event.id.in_(
            select(func.min(Event.id)).group_by(Event.series_id)))).order_by(Event.id)),
        "series_id": _ids(select(EventSeries.id).order_by(EventSeries.id)),
        "group_id": _ids(select(Group.id).order_by(Group.id)),
        "conversation_id": [conversation],
        "message_id": _ids(select(Message.id).where(Message.conversation_id == conversation).limit(1)),
        "post_id": [thread.accepted_post_id],
        "cohort_id": [cohort.id],
        "application_id": _ids(select(Application.id).where(Application.user_id == member.id).limit(1)),
        "username": ["gary_w"],
        "school_year": [cohort.school_year],
        "resource_id": _ids(select(Resource.id).where(Resource.file_id.is_not(None)).order_by(Resource.id).limit(1)),
        "school_id": _ids(select(School.id).order_by(School.id).limit(1)),
        "thread_id": [thread.id],
        "token": ["not-a-valid-link"],  # the page a stale or mistyped link lands on
    }
    special = {
        "groups.challenge": [{"group_id": challenge.group_id, "challenge_id": challenge.id}],
        "forum.thread": [{"thread_id": thread.id, "slug": thread.slug}],
        "resources.shared_collection": [{"token": collection.share_token}],
        "programmes.review": [{"application_id": _ids(select(Application.id).order_by(Application.id))[0]}],
        "forum.post": [{"post_id": _ids(select(Post.id).order_by(Post.id))[0]}],
        "events.edit_question": [{"event_id": question.event_id, "question_id": question.id}],
    }
    result: dict[str, list[dict]] = {}
    for rule in current_app.url_map.iter_rules():
        if not _opened(rule):
            continue
        if rule.endpoint in special:
            result[rule.endpoint] = special[rule.endpoint]
        elif rule.arguments:
            sets = [{}]
            for name in sorted(rule.arguments):
                sets = [{**s, name: value} for s in sets for value in by_name[name]]
            result.setdefault(rule.endpoint, sets)
    return result


def _pages(app, member: User) -> list[str]:
    arguments = _arguments(member)
    paths = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not _opened(rule):
                continue
            for values in arguments.get(rule.endpoint, [{}]):
                paths.add(url_for(rule.endpoint, **values))
    return sorted(paths)


@pytest.fixture(scope="module")
def demo_pages(seeded_demo, tmp_path_factory):
    """The demo site and the paths of its pages."""
    with serve_demo(seeded_demo, tmp_path_factory.mktemp("phone-width")) as server:
        with server.app.app_context():
            member = db.session.scalar(select(User).where(User.username == MEMBER))
            paths = _pages(server.app, member)
            db.session.remove()
        yield server, paths


@pytest.fixture
def phone(browser, demo_pages):
    server, _paths = demo_pages
    context = browser.new_context(base_url=server.url, locale="en-GB", viewport=PHONE, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def sign_in(page) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(MEMBER)
    page.get_by_label("Password", exact=True).fill(MEMBER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("status").wait_for()


# Answers that are not the page itself: a redirect (most often to sign in) or an error page.
ELSEWHERE = frozenset({301, 302, 303, 307, 308, 401, 403, 404})


def too_wide(page, paths: list[str]) -> list[str]:
    """Open each path in turn: the pages wider than the phone, with their widths.

    Each path is asked for first without a browser (cheap): a path that
    redirects somewhere already opened, or answers with an error page already
    opened, is not drawn again (a visitor's member pages all send them to sign in)."""
    offenders = []
    opened_elsewhere = set()
    for path in paths:
        answer = page.request.get(path, max_redirects=0)
        if answer.status in ELSEWHERE:
            where = (answer.status, answer.headers.get("location", "").split("?")[0])
            if where in opened_elsewhere:
                continue
            opened_elsewhere.add(where)
        response = page.goto(path, wait_until="load")
        assert response.status < 500, f"{path}: HTTP {response.status}"
        if page.locator("#room").count():  # the live room draws its messages once joined
            page.locator('#connection[data-state="live"]').wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            offenders.append(f"{path} is {width} px wide")
    return offenders


def test_no_page_is_wider_than_a_phone_for_a_visitor(phone, demo_pages):
    _server, paths = demo_pages
    offenders = too_wide(phone, paths)
    assert not offenders, f"wider than {PHONE['width']} px:\n" + "\n".join(offenders)


def test_no_page_is_wider_than_a_phone_for_a_member(phone, demo_pages):
    _server, paths = demo_pages
    sign_in(phone)
    offenders = too_wide(phone, [path for path in paths if path != "/login"])
    assert not offenders, f"wider than {PHONE['width']} px:\n" + "\n".join(offenders)


def test_the_phone_header_room_and_number_fields(phone, demo_pages, shot):
    sign_in(phone)
    # The header is one row: the brand and "Menu", which opens and closes with the keyboard.
    phone.goto("/groups")
    header = phone.get_by_role("banner")
    assert header.bounding_box()["height"] < 80
    nav = header.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    shot(phone, "12-header-390")
    phone.get_by_role("link", name="Menu").focus()
    phone.keyboard.press("Enter")
    expect(nav.get_by_role("link", name="Events")).to_be_visible()
    expect(header.get_by_role("searchbox", name="Search Staffroom")).to_be_visible()
    expect(header.get_by_role("link", name="Notifications")).to_be_visible()
    shot(phone, "12-menu-open-390")
    header.get_by_role("link", name="Close menu").click()
    expect(nav).to_be_hidden()

    # The live room: the message box and its button in view on arrival.
    phone.goto("/events")
    phone.get_by_role("link", name="Staffroom open connection call").first.click()
    phone.get_by_role("link", name="Join the live room").click()
    expect(phone.locator("#connection")).to_have_text("Live")
    for control in (phone.get_by_label("Your message"), phone.get_by_role("button", name="Send")):
        box = control.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"{control} is out of view: {box}"
    shot(phone, "12-room-390")

    # Distances bring up a decimal keypad; a duration the keyboard with ":".
    phone.goto("/activities/new")
    expect(phone.get_by_label("Distance")).to_have_attribute("inputmode", "decimal")
    expect(phone.get_by_label("Duration")).to_have_attribute("placeholder", "45:00")
    expect(phone.get_by_label("Duration")).not_to_have_attribute("inputmode", "numeric")
    shot(phone, "12-activity-form-390")

    # The group page, on the phone and then on a desktop: there the header is as it was, and the
    # leaderboard stays inside its card.
    phone.goto("/groups")
    phone.get_by_role("link", name="Staffroom Runners").first.click()
    shot(phone, "12-group-390")
    phone.set_viewport_size(DESKTOP)
    phone.reload()
    expect(header.get_by_role("link", name="Menu")).to_be_hidden()
    expect(nav.get_by_role("link", name="Events")).to_be_visible()
    card = phone.locator(".leaderboard").bounding_box()
    table = phone.locator(".board-table").bounding_box()
    assert table["x"] + table["width"] <= card["x"] + card["width"], f"the leaderboard spills: {table} in {card}"
    shot(phone, "12-group-1280")
