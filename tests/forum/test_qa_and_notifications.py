"""Accepted answers, helpful marks, a member's answer record, and
notifications: once in the list, once over Socket.IO, once by email."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.extensions import db
from app.forum import services, subscriptions
from app.notifications.models import Notification


def notes(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


# Q&A ------------------------------------------------------------------------------

def test_the_asker_accepts_an_answer_shown_under_the_question(client, auth, make_thread, make_user):
    asker = auth.as_role()
    thread = make_thread(author=asker, title="How do I share a worksheet read-only?")
    answerer = make_user(display_name="Gary Williams")
    first = services.reply(thread, make_user(), "Email it?", enforce_limits=False)
    answer = services.reply(thread, answerer, "Use the **Content Library**.", enforce_limits=False)
    page = f"/t/{thread.id}-{thread.slug}"
    response = client.submit(f"/p/{answer.id}/accept", {}, page=page)
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    accepted_block = html.split('class="accepted-answer"', 1)[1]
    assert html.index('class="accepted-answer"') < html.index(f'id="post-{first.id}"')  # right under the question
    assert "<strong>Content Library</strong>" in accepted_block.split("</section>")[0]
    assert "✓ Answered" in client.get("/discuss").get_data(as_text=True)
    assert "✓ Answered" in client.get("/discuss/c/ask-the-community").get_data(as_text=True)
    assert [n.kind for n in notes(answerer)] == ["forum.accepted"]


def test_accepting_by_someone_other_than_the_asker_or_a_moderator_is_403(
        client, auth, make_thread, make_user, api_for):
    thread = make_thread()
    answer = services.reply(thread, make_user(), "An answer", enforce_limits=False)
    bystander = auth.as_role()
    assert "Accept this answer" not in client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert client.submit(f"/p/{answer.id}/accept", {}, page="/discuss/new").status_code == 403
    assert api_for(bystander).post(f"/posts/{answer.id}/accept").status_code == 403
    db.session.refresh(thread)
    assert thread.accepted_post_id is None
    moderator = make_user(role="moderator")
    assert api_for(moderator).post(f"/posts/{answer.id}/accept").get_json()["answered"] is True


def test_only_questions_have_answers_and_the_question_is_not_its_own(api_for, make_thread, make_user):
    asker = make_user()
    discussion = make_thread(author=asker, kind="discussion")
    reply = services.reply(discussion, make_user(), "An idea", enforce_limits=False)
    assert api_for(asker).post(f"/posts/{reply.id}/accept").status_code == 409
    question = make_thread(author=asker)
    opener = services.first_post(question)
    assert api_for(asker).post(f"/posts/{opener.id}/accept").status_code == 409


def test_helpful_marks(client, auth, make_thread, make_user, api_for):
    author = make_user()
    thread = make_thread()
    post = services.reply(thread, author, "A helpful tip", enforce_limits=False)
    auth.as_role()
    page = f"/t/{thread.id}-{thread.slug}"
    client.submit(f"/p/{post.id}/helpful", {"helpful": "1"}, page=page)
    html = client.get(page).get_data(as_text=True)
    assert 'aria-pressed="true">Helpful · 1<' in html
    client.submit(f"/p/{post.id}/helpful", {"helpful": "0"}, page=page)
    assert 'aria-pressed="false">Helpful · 0<' in client.get(page).get_data(as_text=True)
    own = api_for(author)
    assert own.post(f"/posts/{post.id}/reactions", json={"kind": "helpful"}).status_code == 409
    other = api_for(make_user())
    assert other.post(f"/posts/{post.id}/reactions", json={}).get_json() == {"helpful": True, "helpful_count": 1}
    assert other.post(f"/posts/{post.id}/reactions", json={}).get_json() == {"helpful": True, "helpful_count": 1}
    assert other.delete(f"/posts/{post.id}/reactions/helpful").get_json() == {"helpful": False, "helpful_count": 0}
    assert other.post(f"/posts/{post.id}/reactions", json={"kind": "like"}).status_code == 422


def test_profile_panel_shows_answers_given_and_accepted(app, make_thread, make_user):
    gary = make_user("gary_w")
    for number in range(3):
        thread = make_thread(title=f"Question about notebooks {number}")
        answer = services.reply(thread, gary, "Here is how", enforce_limits=False)
        if number < 2:
            services.accept_answer(answer, thread.author)
    discussion = make_thread(kind="discussion")
    services.reply(discussion, gary, "Not an answer: a discussion reply", enforce_limits=False)
    # The panel templates/accounts/profile.html includes, rendered on its own.
    with app.test_request_context("/u/gary_w"):
        html = render_template("forum/_profile_panel.html", user=gary)
    assert "<strong>3</strong> answers given, <strong>2</strong> accepted." in html
    assert "Question about notebooks 1" in html


# Notifications ----------------------------------------------------------------------

def test_a_reply_notifies_the_asker_once_in_the_list_and_over_socketio(
        app, client, auth, make_thread, make_user, client_for, live):
    asker = auth.as_role()
    thread = make_thread(author=asker, title="How do I mute a whole class?")
    socket_ = live(client)
    assert socket_.is_connected("/live")
    socket_.get_received("/live")
    answerer = make_user(display_name="Leyla Mammadova")
    helper = client_for(answerer)
    # Mentioned, replied to and watching: still one notification, and it says what happened.
    response = helper.submit(f"/t/{thread.id}/reply", {
        "body": f"@{asker.username} use the meeting options.",
        "reply_to": str(services.first_post(thread).id)}, page=f"/t/{thread.id}-{thread.slug}")
    assert response.status_code == 302
    received = [m for m in socket_.get_received("/live") if m["name"] == "notification"]
    assert len(received) == 1
    assert received[0]["args"][0]["text"] == "Leyla Mammadova answered your question “How do I mute a whole class?”"
    assert received[0]["args"][0]["unread"] == 1
    assert [n.kind for n in notes(asker)] == ["forum.answer"]
    listing = client.get("/notifications").get_data(as_text=True)
    assert listing.count("answered your question") == 1 and "mentioned you" not in listing
    assert 'aria-label="1 unread">1<' in client.get("/discuss").get_data(as_text=True)
    assert socket_.get_received("/live") == []


def test_watchers_mutes_and_category_followers(make_thread, make_user, category):
    asker, watcher, muter, fan, unrelated = (make_user() for _ in range(5))
    subscriptions.set_category_level(fan, category(), "watching")
    thread = make_thread(author=asker)
    assert [n.kind for n in notes(fan)] == ["forum.category"]
    subscriptions.set_thread_level(watcher, thread, "watching")
    subscriptions.set_thread_level(muter, thread, "muted")
    services.reply(thread, unrelated, f"Hello @{muter.username}", enforce_limits=False)
    assert [n.kind for n in notes(asker)] == ["forum.answer"]  # the thread is a question
    assert [n.kind for n in notes(watcher)] == ["forum.watching"]
    assert notes(muter) == []  # muted: not even a mention
    assert len(notes(fan)) == 1  # category watchers hear of new threads only
    services.reply(thread, asker, "Thanks!", enforce_limits=False)
    assert [n.kind for n in notes(unrelated)] == ["forum.watching"]  # replying subscribed them


def test_answers_tell_the_asker_and_mentions_tell_the_mentioned_once_each(make_thread, make_user):
    asker, answerer, colleague = make_user("asker_a"), make_user("answerer_b"), make_user("colleague_c")
    question = make_thread(author=asker, title="Fractions with pizza?")
    answer = services.reply(question, answerer, "@asker_a try it with @colleague_c's slides", enforce_limits=False)
    assert [(n.kind, n.text) for n in notes(asker)] == [
        ("forum.answer", f"{answerer.display_name} answered your question “Fractions with pizza?”")]
    assert [n.kind for n in notes(colleague)] == ["forum.mention"]
    services.edit_post(answer, answerer, "@asker_a @colleague_c try the slides, edited")
    assert len(notes(asker)) == 1 and len(notes(colleague)) == 1  # an edit does not add a second one
    services.reply(question, asker, "Thanks @answerer_b!", enforce_limits=False)  # the asker's own post
    assert len(notes(asker)) == 1 and [n.kind for n in notes(answerer)] == ["forum.mention"]

    discussion = make_thread(author=asker, kind="discussion", title="Pizza day")
    services.reply(discussion, answerer, "Count me in, @asker_a", enforce_limits=False)
    assert notes(asker)[-1].text == f"{answerer.display_name} mentioned you in “Pizza day”"  # not a question


def test_a_mention_in_a_members_only_category_reaches_members_only(make_thread, make_user):
    member = make_user("leyla_m")
    thread = make_thread(slug="wellbeing-and-fitness", body="Join us @leyla_m")
    assert [n.kind for n in notes(member)] == ["forum.mention"]
    assert notes(member)[0].url == f"/p/{services.first_post(thread).id}"


def test_an_edit_that_adds_a_mention_notifies_once(make_thread, make_user):
    author, friend = make_user(), make_user("claire_d")
    thread = make_thread(author=author, body="Hello")
    opener = services.first_post(thread)
    services.edit_post(opener, author, "Hello @claire_d")
    services.edit_post(opener, author, "Hello again @claire_d")
    assert [n.kind for n in notes(friend)] == ["forum.mention"]


def test_an_accepted_answer_is_emailed_once(client, auth, make_thread, make_user, smtp_server, mail_now):
    asker = auth.as_role()
    thread = make_thread(author=asker, title="Where are the breakout room settings?")
    answerer = make_user(email="gary@school.example")
    answer = services.reply(thread, answerer, "In the meeting options.", enforce_limits=False)
    mail_now(after=600)
    smtp_server.clear()
    page = f"/t/{thread.id}-{thread.slug}"
    client.submit(f"/p/{answer.id}/accept", {}, page=page)
    client.submit(f"/t/{thread.id}/unaccept", {}, page=page)
    client.submit(f"/p/{answer.id}/accept", {}, page=page)
    mail_now(after=600)
    to_answerer = smtp_server.to("gary@school.example")
    assert len(to_answerer) == 1
    assert "accepted your answer" in to_answerer[0]["Subject"]
    assert any(link.endswith(f"/p/{answer.id}") for link in to_answerer[0].links())
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == answerer.id,
                                                                       Notification.kind == "forum.accepted")) == 1


def test_suspended_members_are_not_notified(make_thread, make_user):
    asker = make_user()
    thread = make_thread(author=asker)
    accounts.suspend(asker, by=make_user(role="moderator"), reason="spam")
    services.reply(thread, make_user(), "Hello?", enforce_limits=False)
    assert notes(asker) == []
