""""Similar questions" for a title being typed: GET /api/v1/threads/similar."""

from __future__ import annotations

from app.exceptions import Unavailable
from app.extensions import db
from app.forum import services
from app.forum.models import Category
from app.search import service as search_service


def _titles(response):
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


def test_similar_threads_from_the_index_with_answered_marks(api_for, make_user, make_thread, index_now):
    asker, helper = make_user(), make_user()
    rooms = make_thread(author=asker, title="How do I set up breakout rooms in Teams?")
    answer = services.reply(rooms, helper, "Meeting options, then rooms.", enforce_limits=False)
    services.accept_answer(answer, asker)
    make_thread(title="Breakout rooms for a class of thirty")
    make_thread(title="Marking rubrics for essays")
    index_now()
    body = api_for(make_user()).get("/threads/similar?title=breakout rooms: NOT working").get_json()
    assert body["available"] is True
    items = {item["title"]: item for item in body["items"]}
    assert set(items) == {"How do I set up breakout rooms in Teams?", "Breakout rooms for a class of thirty"}
    assert items["How do I set up breakout rooms in Teams?"]["answered"] is True
    assert items["Breakout rooms for a class of thirty"]["answered"] is False
    assert items["Breakout rooms for a class of thirty"]["html_url"].startswith("/t/")


def test_only_threads_the_member_may_open(api, api_for, make_user, make_thread, index_now):
    moderator = make_user(role="moderator")
    staff = Category(slug="staff-only", name="Staff only", description="", position=99, read_access="moderators",
                     start_access="moderators", reply_access="moderators")
    db.session.add(staff)
    db.session.commit()
    services.create_thread(moderator, staff, title="Breakout rooms for the staff meeting", body="Secret plans.")
    make_thread(slug="wellbeing-and-fitness", title="Breakout rooms for a running club")
    index_now()
    assert _titles(api.get("/threads/similar?title=breakout rooms")) == []  # members-only category
    assert _titles(api_for(make_user()).get("/threads/similar?title=breakout rooms")) == [
        "Breakout rooms for a running club"]
    assert len(_titles(api_for(moderator).get("/threads/similar?title=breakout rooms"))) == 2


def test_bad_titles_and_a_missing_index(api_for, make_user, client_for, monkeypatch):
    member = make_user()
    api = api_for(member)
    assert api.get("/threads/similar").status_code == 422
    assert api.get(f"/threads/similar?title={'a' * 201}").status_code == 422
    assert api.get("/threads/similar?title=%22%2A%28").get_json() == {"items": [], "available": True}

    def away(*_args, **_kwargs):
        raise Unavailable("Search is unavailable for a moment.")

    monkeypatch.setattr(search_service, "search", away)
    assert api.get("/threads/similar?title=breakout rooms").get_json() == {"items": [], "available": False}
    page = client_for(member).get("/discuss/new")
    assert page.status_code == 200 and 'id="similar-questions"' in page.get_data(as_text=True)
