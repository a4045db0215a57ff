"""Share a PDF through the form, then find it from the header's search box
by a word that is only inside the file, and open it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts import services as accounts
from app.demo.library import pdf_bytes
from tests.helpers import PASSWORD


@pytest.fixture
def app_settings():
    # The web process's own index writer, as `make run` has it.
    return {"SEARCH_WORKER": "thread", "SEARCH_POLL_SECONDS": 0.2}


def test_upload_a_pdf_and_find_it_by_a_word_inside(live_server, page, tmp_path):
    with live_server.app.app_context():
        accounts.register(email_verified=True, username="priya_n", email="priya@school.example", password=PASSWORD,
                          display_name="Priya Nair", country="IN")
    pdf = tmp_path / "sorting-networks.pdf"
    pdf.write_bytes(pdf_bytes("Playground algorithms",
                              "Children walk a chalk sorting network holding quokka cards."))

    page.goto("/login")
    page.get_by_label("Username or email").fill("priya_n")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto("/resources/new")
    page.get_by_label("Title").fill("Unplugged sorting networks")
    page.get_by_label("Subject").select_option("computing")
    page.get_by_label("Licence").select_option("cc-by")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unplugged sorting networks")

    search = page.get_by_role("search").first.get_by_label("Search Staffroom")
    # The index writer runs in the background; findable well within seconds.
    for _ in range(20):
        search.fill("quokka")
        search.press("Enter")
        if page.get_by_role("link", name="Unplugged sorting networks").count():
            break
        page.wait_for_timeout(250)
    result = page.get_by_role("link", name="Unplugged sorting networks")
    expect(result).to_be_visible()
    expect(page.locator(".snippet mark").first).to_have_text("quokka")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unplugged sorting networks")
    expect(page.get_by_role("link", name="Download")).to_be_visible()
