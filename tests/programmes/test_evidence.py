"""The evidence portfolio: one source per feature, each live when its
package is installed and its tables exist."""

from __future__ import annotations

from datetime import timedelta

from app.db_types import utcnow
from app.events.models import Event, EventHost
from app.extensions import db
from app.forum import categories
from app.forum import services as forum
from app.groups.models import Group, Membership
from app.programmes import evidence
from app.resources import services as resources


def test_the_library_source_is_always_live(make_user):
    assert "resource" in evidence.live_sources()
    owner = make_user()
    resources.create_resource(owner, title="Photosynthesis worksheet", subject="biology", license="cc-by",
                              url="https://example.org/leaf", status="draft")
    shared = resources.create_resource(owner, title="Volcano slide deck", subject="geography", license="cc-by",
                                       url="https://example.org/volcano")
    resources.record_download(shared)
    items = evidence.portfolio(owner)
    assert [(i.kind, i.title, i.detail, i.url) for i in items] == [
        ("resource", "Volcano slide deck", "1 download · 0 bookmarks", f"/resources/{shared.id}")]
    assert evidence.portfolio(make_user()) == []


def test_accepted_answers_are_evidence(make_user):
    asker, expert = make_user(), make_user()
    category = next(c for c in categories.ensure_defaults() if c.slug == "ask-the-community")
    thread = forum.create_thread(asker, category, title="How do I run breakout rooms?", body="Any tips at all?",
                                 kind="question", enforce_limits=False)
    answer = forum.reply(thread, expert, "Pre-assign the rooms and set a timer.", enforce_limits=False)
    forum.accept_answer(answer, asker)
    assert "answer" in evidence.live_sources()
    assert [(i.ref, i.title, i.url) for i in evidence.portfolio(expert)] == [
        (f"answer:{answer.id}", "How do I run breakout rooms?", f"/p/{answer.id}")]


def test_events_hosted_and_groups_run_are_evidence(make_user):
    host = make_user()
    start = utcnow() - timedelta(days=3)
    tweetmeet = Event(organiser_id=host.id, kind="tweetmeet", title="#StaffroomChat on feedback", starts_at=start,
                      ends_at=start + timedelta(hours=1), duration_min=60)
    meetup = Event(organiser_id=host.id, kind="meetup", title="London meetup", starts_at=start - timedelta(days=1),
                   ends_at=start, duration_min=60)
    club = Group(name="Staffroom Runners", focus="running")
    secret = Group(name="Private book club", focus="running", visibility="private")
    db.session.add_all([tweetmeet, meetup, club, secret])
    db.session.flush()
    db.session.add_all(
        [
            EventHost(event_id=tweetmeet.id, user_id=host.id),
            EventHost(event_id=meetup.id, user_id=host.id),
            Membership(group_id=club.id, user_id=host.id, role="owner"),
            Membership(group_id=secret.id, user_id=host.id, role="owner"),
        ]
    )
    db.session.commit()
    assert {"event", "group"} <= set(evidence.live_sources())
    items = {i.ref: (i.kind, i.detail) for i in evidence.portfolio(host)}
    assert items == {f"event:{tweetmeet.id}": ("tweetmeet", "TweetMeet led"),
                     f"event:{meetup.id}": ("event", "Event hosted"),
                     f"group:{club.id}": ("group", "Group owner")}
