"""The whole journey of a new educator, through the real pages in Chromium.

Nadia registers, completes her profile, shares a Word document and finds it
by a word that is only inside the file, asks a question that Gary answers
from his own browser and accepts his answer, joins the running group and
logs a run, says she is going to a TweetMeet, chats in its live room with
Gary, downloads the event's .ics, and nominates herself for the open cohort.

Only the other people's things are made through the services beforehand:
Gary's account, the running group, the TweetMeet (its room open now, its
first question due) and the open cohort. Every step leaves a full-page
screenshot in test-results/<test name>/ for a person to look through.
"""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from docx import Document
from icalendar import Calendar

from app.db_types import utcnow
from app.events import calendar, tweetmeet
from app.events import services as events
from app.extensions import db
from app.forum import categories
from app.groups import services as groups
from tests.e2e.conftest import educator, sign_in
from tests.helpers import PASSWORD, open_cohort

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

NADIA = "Nadia Rahman"
QUESTION = "How do you run peer feedback with Year 8?"
RESOURCE = "Rock pool field guide"
RARE_WORD = "nudibranch"  # only inside the .docx, never in its title or description
TWEETMEET = "TweetMeet: feedback that moves learning forward"
COHORT_QUESTIONS = [
    {"text": "How has technology changed learning in your classroom?", "max_length": 1000},
    {"text": "How do you share with colleagues?", "max_length": 1000},
]


@pytest.fixture
def app_settings():
    # The web process's own index writer, as `make run` has it: the upload
    # becomes findable by the background thread, not by the test.
    # Nadia shares a document straight after registering; following the
    # confirmation mail is test_account_lifecycle_browser.py's journey.
    return {"SEARCH_WORKER": "thread", "SEARCH_POLL_SECONDS": 0.2, "REQUIRE_EMAIL_VERIFICATION": False}


@pytest.fixture
def community(live_server) -> dict:
    """The people and things Nadia meets on her way."""
    with live_server.app.app_context():
        categories.ensure_defaults()
        gary = educator("gary_w", "Gary Williams")
        wanjiru = educator("wanjiru_k", "Wanjiru Kamau", country="KE")
        admin = educator("prog_admin", "Programme Admin", country="FR", timezone="UTC", role="admin")
        groups.create_group(wanjiru, name="Staffroom Runners", focus="running", weekly_goal_m=20_000,
                            timezone="Europe/London")
        starts_at = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=2)
        event = events.create_event(gary, title=TWEETMEET, kind="tweetmeet", starts_at=starts_at,
                                    duration_min=60, timezone="Europe/London", hashtag="StaffroomChat")
        tweetmeet.add_question(event, gary, "What does good feedback look like in your classroom?", 0)
        open_cohort(admin, questions=COHORT_QUESTIONS, school_year=f"{utcnow().year + 1}-{utcnow().year + 2}")
        made = {"gary": gary.id, "event_id": event.id, "starts_at": event.starts_at, "uid": calendar.uid(event)}
        db.session.remove()
    return made


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()



def go_to(page, section: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()


def search_until_found(page, word: str, title: str, timeout: float = 10.0) -> None:
    """Search from the header until the background index writer has caught up."""
    box = page.get_by_role("search", name="Site search").get_by_label("Search Staffroom")
    deadline = time.monotonic() + timeout
    while True:
        box.fill(word)
        box.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text(word)
        if page.get_by_role("link", name=title).count():
            return
        assert time.monotonic() < deadline, f"{title!r} was not found by {word!r} within {timeout} s"
        page.wait_for_timeout(250)


def test_a_new_educator_walks_the_whole_journey(live_server, community, new_page, shot, tmp_path):
    page = new_page()
    page.goto("/")
    shot(page, "01-home")

    # Registers, and lands on her profile form.
    page.get_by_role("banner").get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("Your name").fill(NADIA)
    page.get_by_label("Username").fill("nadia_r")
    page.get_by_label("Email").fill("nadia@school.example")
    page.get_by_label("Country").select_option(label="United Kingdom")
    page.get_by_label("Password").fill(PASSWORD)
    shot(page, "02-register")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")

    # Completes the profile.
    page.get_by_label("School", exact=True).fill("Seaview Secondary")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("group", name="Subjects you teach").get_by_role("checkbox", name="Biology").check()
    page.get_by_label("About you").fill("Biology teacher; **rock pools** are my classroom.")
    shot(page, "03-edit-profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(re.compile(r"/u/nadia_r$"))
    expect(page.get_by_text("United Kingdom · Seaview Secondary")).to_be_visible()
    shot(page, "04-profile")

    # Shares a Word document...
    document = tmp_path / "rock-pools.docx"
    document.write_bytes(docx_with("Rock pools at low tide", f"Look under the ledges for a {RARE_WORD}."))
    go_to(page, "Library")
    page.get_by_role("link", name="Share a resource").click()
    page.get_by_label("File").set_input_files(str(document))
    page.get_by_label("Title").fill(RESOURCE)
    page.get_by_label("Subject").select_option("biology")
    page.get_by_label("Licence").select_option("cc-by")
    shot(page, "05-share-resource")
    page.get_by_role("button", name="Share resource").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RESOURCE)
    shot(page, "06-resource")

    # ...and finds it by a word inside the file.
    search_until_found(page, RARE_WORD, RESOURCE)
    expect(page.locator(".snippet mark").first).to_have_text(RARE_WORD)
    shot(page, "07-search")

    # Asks a question; Gary answers from his own browser; she accepts.
    go_to(page, "Discuss")
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_label("Category").select_option(label="Ask the community")
    page.get_by_label("A question: I need an answer").check()
    page.get_by_label("Title").fill(QUESTION)
    page.get_by_label("Details").fill("I want pupils to give **kind, specific** feedback on lab reports.")
    page.get_by_role("button", name="Post it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    shot(page, "08-question")

    gary = new_page()
    sign_in(gary, "gary_w")
    gary.goto("/discuss")
    gary.get_by_role("link", name=QUESTION).click()
    gary.get_by_label("Your reply").fill("Try *two stars and a wish* with a sentence starter for each.")
    gary.get_by_role("button", name="Post your answer").click()
    expect(gary.get_by_role("article").filter(has_text="two stars and a wish")).to_be_visible()
    shot(gary, "09-gary-answers")

    page.reload()
    page.get_by_role("article").filter(has_text="two stars and a wish").get_by_role(
        "button", name="Accept this answer").click()
    expect(page.get_by_role("status")).to_contain_text("Answer accepted")
    expect(page.get_by_role("region", name="✓ Accepted answer")).to_contain_text("two stars and a wish")
    shot(page, "10-answer-accepted")

    # Joins the running group and logs a run.
    go_to(page, "Groups")
    page.get_by_role("link", name="Staffroom Runners").click()
    page.get_by_role("button", name="Join group").click()
    page.get_by_role("link", name="Log an activity").first.click()
    page.get_by_label("Sport").select_option(label="Run")
    page.get_by_label("Distance (km)").fill("5")
    page.get_by_label("Duration").fill("28:30")
    page.get_by_label("Title").fill("Beach parkrun")
    shot(page, "11-log-a-run")
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_role("status")).to_contain_text("“Beach parkrun” is logged: 5.00 km.")
    expect(page.get_by_label("You", exact=True)).to_have_attribute("value", "5000")
    shot(page, "12-group")

    # Says she is going to the TweetMeet and takes it to her calendar.
    go_to(page, "Events")
    page.get_by_role("link", name=TWEETMEET).first.click()
    page.get_by_role("button", name="I'm going").click()
    expect(page.get_by_role("status")).to_contain_text("You are going.")
    shot(page, "13-event")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    ics = Calendar.from_ical(download_info.value.path().read_bytes())
    [entry] = ics.walk("VEVENT")
    assert str(entry["UID"]) == community["uid"]
    assert entry.decoded("DTSTART") == community["starts_at"]
    assert str(entry["SUMMARY"]) == TWEETMEET

    # Chats in the live room with Gary, each seeing the other's message arrive.
    page.get_by_role("link", name="Join the live room").click()
    gary.goto(f"/events/{community['event_id']}/room")
    for viewer in (page, gary):
        expect(viewer.locator("#connection")).to_have_text("Live")
    expect(page.get_by_role("region", name="Current question")).to_contain_text("Q1")
    page.get_by_label("Your message").fill("A1 Sentence starters on sticky notes!")
    page.get_by_label("Your message").press("Enter")
    expect(gary.locator("#messages")).to_contain_text("A1 Sentence starters on sticky notes!")
    gary.get_by_label("Your message").fill("Welcome, Nadia! Great first answer.")
    gary.get_by_label("Your message").press("Enter")
    expect(page.locator("#messages")).to_contain_text("Welcome, Nadia! Great first answer.")
    shot(page, "14-room")
    shot(gary, "15-room-gary")

    # Nominates herself for the open cohort.
    go_to(page, "Programmes")
    page.get_by_role("button", name="Start your application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your application")
    page.get_by_label("1. How has technology changed learning").fill(
        "Pupils film the rock pools and annotate the clips together.")
    page.get_by_label("2. How do you share with colleagues?").fill("A monthly show-and-tell in the staffroom.")
    shot(page, "16-application")
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Your application is submitted")).to_be_visible()
    shot(page, "17-application-submitted")
