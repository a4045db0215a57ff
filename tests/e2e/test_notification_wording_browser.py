"""An answer to my question (which also @mentions me) reads "answered your
question" in my notifications, once; not "mentioned you"."""

from __future__ import annotations

from playwright.sync_api import expect

from app.accounts import services as accounts
from app.extensions import db
from app.forum import categories
from app.forum import services as forum
from app.forum.models import Category
from tests.e2e.conftest import sign_in
from tests.helpers import PASSWORD


def test_an_answer_to_my_question_says_answered_your_question(live_server, new_page, shot):
    with live_server.app.app_context():
        asker, answerer = (accounts.register(email_verified=True, username=name, email=f"{name}@school.example",
                                             password=PASSWORD, display_name=display, country="GB")
                           for name, display in (("claire_d", "Claire Dubois"), ("leyla_m", "Leyla Mammadova")))
        categories.ensure_defaults()
        ask = db.session.scalar(db.select(Category).where(Category.slug == "ask-the-community"))
        question = forum.create_thread(asker, ask, title="How do you stop marking eating weekends?",
                                       body="Genuinely asking.", kind="question", enforce_limits=False)
        forum.reply(question, answerer, "@claire_d one evening a week is marking evening.", enforce_limits=False)
        db.session.remove()

    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, "claire_d")
    page.goto("/notifications")
    items = page.locator("#notification-list li")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(
        "Leyla Mammadova answered your question “How do you stop marking eating weekends?”")
    expect(page.get_by_text("mentioned you")).to_have_count(0)
    shot(page, "7-notifications-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "7-notifications-390")
