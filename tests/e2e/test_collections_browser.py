"""Collections in the browser: add a resource to a new collection from its
page, reorder by dragging and by keyboard (saved without a reload), and a
collection shared with an invited editor."""

from __future__ import annotations

from playwright.sync_api import expect

from app.resources import collections
from app.resources import services as resources
from tests.e2e.conftest import educator, sign_in

PHONE = {"width": 390, "height": 844}


def _library(app, owner_name="amara_k"):
    """A member with three published links; returns (owner, resources)."""
    with app.app_context():
        owner = educator(owner_name, "Amara Kone")
        made = [resources.create_resource(owner, title=title, subject="mathematics", license="cc-by",
                                          url=f"https://example.org/{n}", description="For class.")
                for n, title in enumerate(("Fraction walls", "Number lines", "Pizza problems"))]
        return owner, [r.id for r in made]


def _titles(page) -> list[str]:
    return page.locator("ol.collection-items .card-title a").all_text_contents()


def test_add_to_a_new_collection_from_the_resource_page(live_server, page, shot):
    _owner, ids = _library(live_server.app)
    sign_in(page, "amara_k")
    page.goto(f"/resources/{ids[0]}")
    menu = page.locator("details.collect-menu")
    expect(menu.get_by_label("Add to a new collection")).to_be_hidden()
    menu.locator("summary").click()
    menu.get_by_label("Add to a new collection").fill("Fractions unit")
    shot(page, "01-collect-menu-1280")
    menu.get_by_role("button", name="Save collections").click()
    expect(page.get_by_role("status")).to_contain_text("Added to the new collection “Fractions unit”.")
    expect(page.get_by_text("In 1 of your collections.")).to_be_visible()

    page.set_viewport_size(PHONE)
    page.goto(f"/resources/{ids[1]}")
    page.locator("details.collect-menu summary").click()
    page.get_by_label("Fractions unit").check()  # with JavaScript: added at once, no Save needed
    expect(page.locator(".collect-status")).to_have_text("Added to “Fractions unit”.")
    shot(page, "02-collect-menu-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.reload()
    page.locator("details.collect-menu summary").click()
    expect(page.get_by_label("Fractions unit")).to_be_checked()
    page.goto("/collections")
    page.get_by_role("link", name="Fractions unit").click()
    assert _titles(page) == ["Fraction walls", "Number lines"]


def test_reorder_by_dragging_and_by_keyboard_is_saved(live_server, page, shot):
    owner, ids = _library(live_server.app)
    with live_server.app.app_context():
        collection = collections.create_collection(owner, "Number sense")
        for resource_id in ids:
            collections.add_item(collection, resources.get_for_viewer(resource_id, owner), owner)
        path = f"/collections/{collection.id}"
    sign_in(page, "amara_k")
    page.goto(path)
    expect(page.locator("#reorder-hint")).to_contain_text("Drag a resource by its handle")

    last = page.locator("li.collection-item").nth(2).locator(".drag-handle")
    first = page.locator("li.collection-item").nth(0)
    box, target = last.bounding_box(), first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 10, steps=8)
    page.mouse.up()
    expect(page.locator(".reorder-status")).to_contain_text("Moved “Pizza problems” to position 1 of 3. Saved.")
    assert _titles(page) == ["Pizza problems", "Fraction walls", "Number lines"]
    shot(page, "03-collection-dragged-1280")

    move_down = page.get_by_role("button", name="Move down Pizza problems")
    move_down.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".reorder-status")).to_contain_text("Moved “Pizza problems” to position 2 of 3. Saved.")
    expect(move_down).to_be_focused()  # no reload: the keyboard stays where it was
    page.keyboard.press("Enter")
    expect(page.locator(".reorder-status")).to_contain_text("position 3 of 3. Saved.")
    expect(page.get_by_role("button", name="Move up Pizza problems")).to_be_focused()  # Move down is disabled now

    page.reload()
    assert _titles(page) == ["Fraction walls", "Number lines", "Pizza problems"]
    page.set_viewport_size(PHONE)
    shot(page, "04-collection-order-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_invited_editor_finds_and_reorders_a_private_collection(live_server, page, new_page, shot):
    owner, ids = _library(live_server.app)
    with live_server.app.app_context():
        educator("bea_l", "Bea Lund")
        collection = collections.create_collection(owner, "Department favourites")
        for resource_id in ids[:2]:
            collections.add_item(collection, resources.get_for_viewer(resource_id, owner), owner)
        path = f"/collections/{collection.id}"
    sign_in(page, "amara_k")
    page.goto(path)
    page.get_by_label("Username").fill("nobody_at_all")
    page.get_by_role("button", name="Invite editor").click()
    expect(page.get_by_role("alert")).to_contain_text("There is no member with that username.")
    page.get_by_label("Username").fill("bea_l")
    page.get_by_role("button", name="Invite editor").click()
    expect(page.get_by_role("status")).to_contain_text("Bea Lund can now edit this collection")
    expect(page.locator(".editor-list")).to_contain_text("Bea Lund")
    shot(page, "05-collection-editors-1280")

    editor = new_page()
    sign_in(editor, "bea_l")
    editor.goto("/notifications")
    editor.get_by_role("link", name="Amara Kone invited you to edit the collection “Department favourites”.").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Department favourites")
    expect(editor.get_by_role("button", name="Delete “Department favourites”")).to_have_count(0)
    # collection_order.js sets this hint once it has taken over the Move buttons; a click before
    # that is the no-script form post, which reloads the page rather than saying "Saved."
    expect(editor.locator("#reorder-hint")).to_contain_text("Drag a resource by its handle")
    editor.get_by_role("button", name="Move up Number lines").click()
    expect(editor.locator(".reorder-status")).to_contain_text("Saved.")
    editor.set_viewport_size(PHONE)
    shot(editor, "06-collection-as-editor-390")
    editor.goto("/collections")
    expect(editor.get_by_role("region", name="Your collections").get_by_role("link", name="Department favourites")
           ).to_be_visible()

    page.reload()
    assert _titles(page) == ["Number lines", "Fraction walls"]
