"""The library in Arabic on a phone: the page reads right to left within the
screen, and the collection's reordering script speaks Arabic too."""

from __future__ import annotations

from playwright.sync_api import expect

from app.accounts.models import User
from app.extensions import db
from app.resources import collections
from app.resources import services as resources
from tests.e2e.conftest import educator, sign_in

PHONE = {"width": 390, "height": 844}


def _arabic_member_with_a_collection(app) -> str:
    """amara_k with three links in a collection; returns its path."""
    with app.app_context():
        owner = educator("amara_k", "Amara Kone")
        made = [resources.create_resource(owner, title=title, subject="mathematics", license="cc0",
                                          url=f"https://example.org/{n}", description="For class.")
                for n, title in enumerate(("Fraction walls", "Number lines", "Pizza problems"))]
        collection = collections.create_collection(owner, "Number sense")
        for resource in made:
            collections.add_item(collection, resource, owner)
        return f"/collections/{collection.id}"


def _choose_arabic(app, username: str) -> None:
    with app.app_context():
        db.session.query(User).filter_by(username=username).one().locale = "ar"
        db.session.commit()


def test_library_and_collection_in_arabic_on_a_phone(live_server, page, shot):
    path = _arabic_member_with_a_collection(live_server.app)
    sign_in(page, "amara_k")
    _choose_arabic(live_server.app, "amara_k")  # as the profile's Language does
    page.goto("/library")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("مكتبة الموارد")
    expect(page.locator("#results-heading")).to_have_text("3 موارد")
    expect(page.locator(".resource-stats").first).to_have_text("CC0 (ملكية عامة) · لا إشارات مرجعية · لا تنزيلات")
    shot(page, "i18n-resources-ar-1280")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "i18n-resources-ar-390")

    page.goto(path)
    expect(page.locator("#reorder-hint")).to_have_text(
        "لتغيير الترتيب، اسحب المورد من مقبضه (⠿) أو استخدم «تحريك لأعلى» و«تحريك لأسفل».")
    page.get_by_role("button", name="تحريك لأسفل Fraction walls").click()
    expect(page.locator(".reorder-status")).to_have_text("نُقل «Fraction walls» إلى الموضع 2 من 3. تم الحفظ.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "i18n-collection-ar-390")
