"""An author page: a member's profile lists what they shared in the library
and the answers of theirs that were accepted, a page at a time."""

from __future__ import annotations

from playwright.sync_api import expect

from app.forum import categories
from app.forum import services as forum
from app.forum.models import Category
from app.resources import services as resources
from tests.e2e.conftest import educator


def test_a_profile_lists_shared_resources_and_accepted_answers(live_server, page, shot):
    with live_server.app.app_context():
        gary = educator("gary_w", "Gary Williams")
        asker = educator("asha_p", "Asha Patel")
        for n in range(14):
            resources.create_resource(gary, title=f"Times tables game {n + 1}", subject="mathematics",
                                      license="cc-by", url=f"https://example.org/{n}", description="Fun.")
        categories.ensure_defaults()
        category = Category.query.filter_by(slug="ask-the-community").one()
        thread = forum.create_thread(asker, category, title="How do I teach long division?", body="Ideas?",
                                     kind="question", tags=("maths",), enforce_limits=False)
        answer = forum.reply(thread, gary, "Start with the bus stop method.", enforce_limits=False)
        forum.accept_answer(answer, asker)

    page.goto("/u/gary_w")
    shared = page.get_by_role("region", name="Resources shared")
    expect(shared).to_contain_text("14 resources in the library.")
    expect(shared.locator(".resource-card")).to_have_count(12)
    answers = page.get_by_role("region", name="Answers")
    expect(answers).to_contain_text("1 answer given, 1 accepted.")
    expect(answers.get_by_role("link", name="How do I teach long division?")).to_be_visible()
    shot(page, "07-author-page-1280")

    page.get_by_role("navigation", name="Pages of shared resources").get_by_role("link", name="Next page").click()
    expect(shared.locator(".resource-card")).to_have_count(2)
    expect(shared.get_by_role("link", name="Times tables game 1", exact=True)).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "08-author-page-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    answers.get_by_role("link", name="How do I teach long division?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How do I teach long division?")
