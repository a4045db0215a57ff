"""A school whose application is waiting for a decision: its page reads
plainly whatever the admins named the window, and offers no apply form
(the leader is told why instead)."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.accounts import services as accounts
from app.db_types import utcnow
from app.programmes import schools
from tests.e2e.conftest import sign_in
from tests.helpers import PASSWORD


def test_a_pending_application_leaves_no_apply_form(live_server, new_page, shot):
    with live_server.app.app_context():
        leader, admin = (accounts.register(email_verified=True, username=name, email=f"{name}@school.example",
                                           password=PASSWORD, display_name=display, country="GB", role=role)
                         for name, display, role in (("priya_n", "Priya Nair", "member"),
                                                     ("prog_admin", "Programme Admin", "admin")))
        item = schools.save_checklist_item(admin, title="A shared vision")
        # "This window" is how the demo data once named it: the page must read well with any name.
        schools.add_window(admin, name="This window", opens_at=utcnow() - timedelta(days=1),
                           closes_at=utcnow() + timedelta(days=20))
        school = schools.create_school(leader, name="Harbourside Primary", country="GB", city="Leeds")
        schools.tick(school, leader, item.id, evidence="Vision agreed with staff and governors.")
        schools.apply(school, leader, "Every criterion is met and we host visits monthly.")
        school_id = school.id

    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, "priya_n")
    page.goto(f"/schools/{school_id}")
    apply = page.locator("#apply")
    expect(apply).to_contain_text("This window: applications are open until")
    expect(apply).not_to_contain_text("window window")
    expect(apply.get_by_role("button", name="Apply to become a Showcase School")).to_have_count(0)
    expect(apply.locator(".notice")).to_contain_text("waiting for a decision")
    shot(page, "6-school-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "6-school-390")
