"""The forum composer in a browser: Write / Preview tabs that show the post
as it will be posted, and pictures added with the picker or pasted into the
text box, posted and shown in the thread. Also without JavaScript."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING

from app.forum import categories, services
from tests.e2e.conftest import educator, sign_in
from tests.helpers import png_bytes

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips the test (fails it in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Page

TITLE = "Seating plans that work for group tasks"
PHONE = {"width": 390, "height": 844}


def a_thread(app) -> str:
    """Amira and Gary; Amira's discussion; its address."""
    with app.app_context():
        amira = educator("amira_h", "Amira Haddad")
        educator("gary_w", "Gary Williams")
        categories.ensure_defaults()
        category = categories.by_slug("ask-the-community", amira)
        thread = services.create_thread(amira, category, title=TITLE, body="How do you seat groups of four?",
                                        kind="discussion", enforce_limits=False)
        return f"/t/{thread.id}-{thread.slug}"


def paste_image(page: Page, selector: str, data: bytes, name: str) -> None:
    """Paste a picture into the text box as a browser's clipboard would."""
    page.evaluate("""([selector, b64, name]) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], name, {type: "image/png"}));
        const area = document.querySelector(selector);
        area.focus();
        area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", [selector, base64.b64encode(data).decode(), name])


def test_preview_tab_shows_the_post_as_it_will_be_posted(live_server, page: Page, shot):
    address = a_thread(live_server.app)
    sign_in(page, "gary_w", "Gary Williams")
    page.goto(address)
    box = page.get_by_role("textbox", name="Your reply")
    box.fill("Try **pairs first**, then @amira_h's fours.\n\n- quiet corner\n- <b>not bold</b>")
    expect(page.get_by_role("button", name="Preview", exact=True)).to_be_hidden()  # tabs replace it
    page.get_by_role("tab", name="Preview").click()
    preview = page.get_by_role("tabpanel", name="Preview")
    expect(preview.locator("strong")).to_have_text("pairs first")
    expect(preview.get_by_role("link", name="@amira_h")).to_have_attribute("href", "/u/amira_h")
    expect(preview).to_contain_text("<b>not bold</b>")  # raw HTML shows as text, as in posts
    expect(box).to_be_hidden()
    shot(page, "01-preview-1280")
    page.set_viewport_size(PHONE)
    shot(page, "02-preview-390")
    page.get_by_role("tab", name="Preview").press("ArrowLeft")
    expect(page.get_by_role("tab", name="Write")).to_be_focused()
    expect(box).to_have_value("Try **pairs first**, then @amira_h's fours.\n\n- quiet corner\n- <b>not bold</b>")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("article").filter(has_text="quiet corner").locator("strong")).to_have_text("pairs first")


def test_pictures_from_the_picker_and_the_clipboard_go_into_the_post(live_server, page: Page, shot):
    address = a_thread(live_server.app)
    sign_in(page, "gary_w", "Gary Williams")
    page.goto(address)
    box = page.get_by_role("textbox", name="Your reply")
    box.fill("Our room:\n\nAnd the plan:")
    box.evaluate("area => area.setSelectionRange(10, 10)")  # the cursor after "Our room:\n"
    page.get_by_label("Add an image").set_input_files(
        files=[{"name": "classroom-layout.png", "mimeType": "image/png", "buffer": png_bytes(2400, 1200)}])
    status = page.get_by_role("status").filter(has_text="Image added")
    expect(status).to_be_visible()
    expect(box).to_have_value(re.compile(
        r"^Our room:\n\n!\[classroom layout\]\(/media/[\w-]{32}\.png\)\n\nAnd the plan:$"))
    # The description is selected: typing replaces it.
    page.keyboard.type("Desks in fours by the window")
    box.press("Control+End")
    paste_image(page, "#body", png_bytes(300, 200, (200, 40, 40)), "image.png")
    expect(box).to_have_value(re.compile(r"And the plan:\n\n!\[image\]\(/media/[\w-]{32}\.png\)$"))
    page.get_by_role("tab", name="Preview").click()
    preview = page.get_by_role("tabpanel", name="Preview")
    expect(preview.get_by_role("img", name="Desks in fours by the window")).to_be_visible()
    shot(page, "03-images-preview-1280")
    page.get_by_role("tab", name="Write").click()
    page.get_by_role("button", name="Post reply").click()
    post = page.get_by_role("article").filter(has_text="Our room")
    picture = post.get_by_role("img", name="Desks in fours by the window")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") == 1600  # shrunk on the server
    shot(page, "04-posted-1280")
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "05-posted-390")


def test_a_file_that_is_not_a_picture_is_refused_with_a_message(live_server, page: Page):
    address = a_thread(live_server.app)
    sign_in(page, "gary_w", "Gary Williams")
    page.goto(address)
    page.get_by_role("textbox", name="Your reply").fill("Kept")
    page.get_by_label("Add an image").set_input_files(
        files=[{"name": "poster.png", "mimeType": "image/png", "buffer": b"%PDF-1.7\n%%EOF"}])
    expect(page.locator("[data-composer-status]")).to_have_text("That file is not a PNG, JPEG, GIF or WebP image.")
    expect(page.get_by_role("textbox", name="Your reply")).to_have_value("Kept")


def test_without_javascript_preview_and_upload_post_the_form_back(live_server, new_page, shot):
    a_thread(live_server.app)
    page = new_page(java_script_enabled=False)
    sign_in(page, "gary_w", "Gary Williams")  # a plain form: no script needed
    page.goto("/discuss/new")
    page.get_by_label("Category").select_option(label="Ask the community")
    page.get_by_label("Title").fill("Which seating plan app do you use?")
    page.get_by_label("Details").fill("Mine looks like *this*:")
    page.get_by_label("Add an image").set_input_files(
        files=[{"name": "seating.png", "mimeType": "image/png", "buffer": png_bytes(800, 400)}])
    page.get_by_role("button", name="Upload image").click()
    expect(page.get_by_role("status").filter(has_text="Image added at the end of your text")).to_be_visible()
    expect(page.get_by_label("Details")).to_have_value(re.compile(
        r"^Mine looks like \*this\*:\n\n!\[seating\]\(/media/[\w-]{32}\.png\)\n?$"))
    preview = page.get_by_role("region", name="Preview")
    expect(preview.locator("em")).to_have_text("this")
    expect(preview.get_by_role("img", name="seating")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Which seating plan app do you use?")
    shot(page, "06-nojs-upload-1280")
    page.set_viewport_size(PHONE)
    shot(page, "07-nojs-upload-390")
    page.get_by_role("button", name="Post it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which seating plan app do you use?")
    expect(page.get_by_role("article").get_by_role("img", name="seating")).to_be_visible()

