"""Before a cohort's announcement time its expert list is a page (200) that
says when the list will be published, in the viewer's time zone, and
nothing about who applied or was accepted; not a 404."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from app.accounts import services as accounts
from app.db_types import utcnow
from app.programmes import applications, reviews, services
from tests.e2e.conftest import sign_in
from tests.helpers import PASSWORD


def test_before_the_announcement_the_list_says_when(live_server, new_page, shot):
    now = utcnow().replace(microsecond=0)
    announce = now + timedelta(days=3)
    with live_server.app.app_context():
        admin, applicant, _viewer = (
            accounts.register(email_verified=True, username=name, email=f"{name}@school.example", password=PASSWORD,
                              display_name=display, country="GB", role=role, timezone=zone)
            for name, display, role, zone in (("prog_admin", "Programme Admin", "admin", "UTC"),
                                              ("gary_w", "Gary Williams", "member", "Europe/London"),
                                              ("yuki_t", "Yuki Tanaka", "member", "Asia/Tokyo")))
        cohort = services.create_cohort(
            admin, school_year="2026-2027", questions=[{"text": "Why you?", "max_length": 500}],
            nominations_open_at=now - timedelta(days=2), nominations_close_at=now + timedelta(days=1),
            review_starts_at=now + timedelta(days=1, hours=1), review_ends_at=announce - timedelta(hours=1),
            announce_at=announce)
        application = applications.start(cohort, applicant, now=now)
        applications.save_answers(application, applicant, {cohort.questions[0].id: applications.FieldSave(
            "Because I share what works with every colleague.", 0)}, now=now)
        applications.submit(application, applicant, now=now)
        reviews.decide(admin, application.id, "accepted", now=now)

    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, "yuki_t")
    when = announce.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%A %d %B %Y at %H:%M JST")
    for path in ("/programmes/experts/2026-2027", "/programmes/experts"):
        response = page.goto(path)
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_have_text("Staffroom Experts 2026-2027")
        expect(page.get_by_role("main")).to_contain_text(f"The list of experts will be published on {when}.")
        expect(page.get_by_text("Gary Williams")).to_have_count(0)
        expect(page.get_by_role("main")).not_to_contain_text("accepted")
    shot(page, "8-experts-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "8-experts-390")
