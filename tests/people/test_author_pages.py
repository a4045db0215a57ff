"""Author pages: a member's profile lists the resources they shared (published
ones only, a page at a time) and their accepted answers (in threads the
viewer may read), with counts; the API has both lists."""

from __future__ import annotations

import re

import pytest

from app.accounts import services as accounts
from app.forum import services as forum
from app.resources import services as resources


def titles(html: str, heading: str) -> list[str]:
    """The link texts of the profile section headed `heading`."""
    section = html.split(f'id="{heading}"')[1].split("</section>")[0]
    return re.findall(r'<a href="/(?:resources/\d+|p/\d+)">([^<]+)</a>', section)


@pytest.fixture
def author(make_user, make_resource, make_thread):
    """Gary shared 14 published resources, one draft and one hidden; answered
    three questions, two accepted, one of them in a members-only category."""
    gary = make_user("gary_w", display_name="Gary Williams")
    moderator = make_user(role="moderator")
    for n in range(14):
        make_resource(gary, title=f"Worksheet {n:02d}")
    make_resource(gary, title="Unfinished draft", status="draft")
    hidden = make_resource(gary, title="Hidden by a moderator")
    resources.set_hidden(hidden, moderator, True)
    for title, slug, accept in [("Public question", "ask-the-community", True),
                                ("Members-only question", "wellbeing-and-fitness", True),
                                ("Open question", "ask-the-community", False)]:
        thread = make_thread(make_user(), title=title, slug=slug)
        answer = forum.reply(thread, gary, "Here is how.", enforce_limits=False)
        if accept:
            forum.accept_answer(answer, thread.author)
    return gary


def test_the_profile_lists_published_resources_a_page_at_a_time(app, author):
    visitor = app.test_client()
    html = visitor.get("/u/gary_w").get_data(as_text=True)
    assert "<strong>14</strong> resources in the library." in html
    first = titles(html, "shared-heading")
    assert len(first) == 12 and first[0] == "Worksheet 13"
    assert "Unfinished draft" not in html and "Hidden by a moderator" not in html
    assert 'aria-label="Pages of shared resources"' in html and 'href="/u/gary_w?page=2#shared-heading"' in html
    second = visitor.get("/u/gary_w?page=2").get_data(as_text=True)
    assert titles(second, "shared-heading") == ["Worksheet 01", "Worksheet 00"]
    assert visitor.get("/u/gary_w?page=99").status_code == 200


def test_accepted_answers_show_only_threads_the_viewer_may_read(app, author, client_for, make_user):
    anonymous = app.test_client().get("/u/gary_w").get_data(as_text=True)
    assert "<strong>2</strong> answers given, <strong>1</strong> accepted." in anonymous
    assert titles(anonymous, "answers-heading") == ["Public question"]
    member = client_for(make_user()).get("/u/gary_w").get_data(as_text=True)
    assert "<strong>3</strong> answers given, <strong>2</strong> accepted." in member
    assert titles(member, "answers-heading") == ["Members-only question", "Public question"]


def test_an_empty_profile_says_so(app, make_user):
    make_user("new_hire")
    html = app.test_client().get("/u/new_hire").get_data(as_text=True)
    assert "Nothing shared in the library yet." in html and "No answers in the discussions yet." in html


def test_the_api_lists_a_members_resources_and_accepted_answers(api, api_for, author, make_user):
    response = api.get("/users/gary_w/resources?per_page=5&page=3")
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 14 and body["page"] == 3
    assert [r["title"] for r in body["items"]] == ["Worksheet 03", "Worksheet 02", "Worksheet 01", "Worksheet 00"]
    assert {r["status"] for r in api_for(author).get("/users/gary_w/resources?per_page=100")
            .get_json()["items"]} == {"published"}  # not even the author's own drafts here

    answers = api.get("/users/gary_w/answers").get_json()
    assert answers["total"] == 1 and answers["answers_given"] == 2
    item = answers["items"][0]
    assert item["title"] == "Public question" and item["answer_url"] == f"/p/{item['answer_id']}"
    assert item["thread_url"].startswith(f"/t/{item['thread_id']}-")
    member = api_for(make_user()).get("/users/gary_w/answers").get_json()
    assert member["total"] == 2 and member["answers_given"] == 3


def test_the_api_refuses_unknown_and_suspended_members_and_bad_pages(api, author, make_user):
    for path in ("/users/nobody_here/resources", "/users/nobody_here/answers"):
        response = api.get(path)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    accounts.suspend(author, make_user(role="moderator"), "Spam")
    for path in ("/users/gary_w/resources", "/users/gary_w/answers"):
        assert api.get(path).status_code == 404


def test_the_api_refuses_bad_pages(api, author):
    assert api.get("/users/gary_w/resources?per_page=0").status_code == 422
    assert api.get("/users/gary_w/answers?page=x").status_code == 422
