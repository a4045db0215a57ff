"""An educator self-nominates with two items from their Staffroom portfolio
(the draft autosaves on the way), an admin accepts, and after the
announcement time the educator's name is in the United Kingdom section of
the public list.

The programme clock (`app.programmes.clock.utcnow`) is frozen and moved by
the test: the live server runs in this process, so it reads the same clock.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.programmes import clock as programme_clock
from app.programmes import services
from app.resources import services as resources
from tests.e2e.conftest import educator, sign_in
from tests.programmes.conftest import ANNOUNCE, CLOSES, NOW, OPENS, FrozenClock

QUESTIONS = [
    {"text": "How has technology changed learning in your classroom?", "max_length": 1000},
    {"text": "How do you share with colleagues?", "max_length": 1000},
]


@pytest.fixture
def frozen(monkeypatch):
    clock = FrozenClock(NOW)
    monkeypatch.setattr(programme_clock, "utcnow", clock)
    return clock



def test_self_nomination_to_the_public_list(live_server, new_page, frozen):
    with live_server.app.app_context():
        member = educator("gary_w", "Gary Williams", school="Ravenswood Academy")
        admin = educator("prog_admin", "Programme Admin", country="FR", timezone="UTC", role="admin")
        for title in ("OneNote class notebook guide", "Accessibility checklist for slides"):
            resources.create_resource(member, title=title, subject="edtech", license="cc-by",
                                      url="https://example.org/" + title.split()[0].lower())
        cohort = services.create_cohort(
            admin, school_year="2026-2027", questions=QUESTIONS, nominations_open_at=OPENS,
            nominations_close_at=CLOSES, review_starts_at=CLOSES + timedelta(hours=1),
            review_ends_at=ANNOUNCE - timedelta(hours=1), announce_at=ANNOUNCE)
        cohort_id = cohort.id

    page = new_page()
    sign_in(page, "gary_w")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    page.get_by_role("button", name="Start your application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your application")

    first = page.get_by_label("1. How has technology changed learning in your classroom?")
    first.fill("Class notebooks let every pupil get feedback the same day.")
    first.blur()  # autosave on leaving the field
    expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()

    page.get_by_label("OneNote class notebook guide").check()
    page.get_by_label("Accessibility checklist for slides").check()
    page.get_by_role("button", name="Attach selected items").click()
    evidence = page.locator("#evidence .evidence-list")
    expect(evidence.get_by_role("link", name="OneNote class notebook guide")).to_be_visible()
    expect(evidence.get_by_role("link", name="Accessibility checklist for slides")).to_be_visible()
    # The autosaved answer survived the page reload.
    expect(first).to_have_value("Class notebooks let every pupil get feedback the same day.")

    page.get_by_label("2. How do you share with colleagues?").fill("I run our Thursday tech clinic.")
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Your application is submitted")).to_be_visible()

    frozen.at(CLOSES + timedelta(days=2))
    admin_page = new_page()
    sign_in(admin_page, "prog_admin")
    admin_page.goto(f"/programmes/admin/cohorts/{cohort_id}")
    row = admin_page.get_by_role("row").filter(has_text="Gary Williams")
    row.get_by_label("Accepted").check()
    row.get_by_role("button", name="Decide for Gary Williams").click()
    expect(admin_page.get_by_text("Gary Williams: accepted.")).to_be_visible()

    page.goto("/programmes/experts/2026-2027")
    expect(page.get_by_text("The list of experts will be published on")).to_be_visible()
    expect(page.get_by_role("link", name="Gary Williams")).to_have_count(0)

    frozen.at(ANNOUNCE + timedelta(minutes=1))
    page.goto("/programmes/experts/2026-2027")
    united_kingdom = page.get_by_role("region", name="United Kingdom")
    expect(united_kingdom.get_by_role("link", name="Gary Williams")).to_be_visible()
    expect(united_kingdom).to_contain_text("1st year")
    page.goto("/programmes")
    expect(page.get_by_role("link", name="Notifications")).to_contain_text("1")
