"""RSVPs: going, a waitlist promoted in order, no overbooking even when
many members RSVP and cancel at the same moment (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.events import services
from app.events.models import Event, Rsvp
from app.exceptions import Conflict, NotFound
from app.extensions import db
from app.notifications.models import Notification
from tests.events.fixtures import move


def statuses(event) -> list[tuple[str, str]]:
    rows = db.session.execute(select(User.username, Rsvp.status).join(Rsvp, Rsvp.user_id == User.id)
                              .where(Rsvp.event_id == event.id).order_by(Rsvp.id))
    return [tuple(row) for row in rows]


def notified(user, kind: str) -> int:
    return len(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                             Notification.kind == kind)).all())


def test_going_until_full_then_waitlisted_and_promoted_in_order(make_event, make_user):
    event = make_event(make_user("org_o"), capacity=3)  # the organiser has one of the three places
    a, b, c, d = (make_user(name) for name in ("ana_r", "ben_k", "cai_l", "dee_m"))
    assert [rsvps.rsvp(event, u) for u in (a, b, c, d)] == ["going", "going", "waitlisted", "waitlisted"]
    assert rsvps.rsvp(event, c) == "waitlisted"  # saying it twice changes nothing
    assert rsvps.cancel_rsvp(event, a) == "not_going"
    assert statuses(event) == [("org_o", "going"), ("ben_k", "going"), ("cai_l", "going"), ("dee_m", "waitlisted")]
    assert notified(c, "event_waitlist_promoted") == 1 and notified(d, "event_waitlist_promoted") == 0
    rsvps.cancel_rsvp(event, d)  # leaving the waitlist promotes nobody
    assert statuses(event) == [("org_o", "going"), ("ben_k", "going"), ("cai_l", "going")]


def test_raising_the_capacity_promotes_the_waitlist(make_event, make_user):
    organiser = make_user()
    event = make_event(organiser, capacity=2)
    members = [make_user() for _ in range(3)]
    for member in members:
        rsvps.rsvp(event, member)
    services.update_event(event, organiser, capacity=3)
    assert [s for _, s in statuses(event)] == ["going", "going", "going", "waitlisted"]
    services.update_event(event, organiser, capacity=None)
    assert [s for _, s in statuses(event)] == ["going"] * 4


def test_no_rsvp_to_a_cancelled_past_draft_or_hidden_event(make_event, make_user):
    organiser, member = make_user(), make_user()
    event = make_event(organiser)
    services.cancel_event(event, organiser)
    with pytest.raises(Conflict):
        rsvps.rsvp(event, member)
    past = move(make_event(), utcnow() - timedelta(days=1))
    with pytest.raises(Conflict):
        rsvps.rsvp(past, member)
    with pytest.raises(NotFound):
        rsvps.rsvp(make_event(status="draft"), member)


def test_after_the_event_nobody_leaves_it_and_the_waitlist_stays(api, make_event, make_user):
    event = make_event(make_user("org_o"), capacity=2)
    went, waiting = make_user("went_w"), make_user("waiting_w")
    rsvps.rsvp(event, went)
    rsvps.rsvp(event, waiting)
    move(event, utcnow() - timedelta(days=1))
    api.login("went_w")
    response = api.delete(f"/events/{event.id}/rsvp")
    assert response.status_code == 409 and "over" in response.get_json()["error"]["message"]
    assert statuses(event) == [("org_o", "going"), ("went_w", "going"), ("waiting_w", "waitlisted")]
    assert notified(waiting, "event_waitlist_promoted") == 0


def _race(app, work, count: int):
    """Run work(i) in `count` threads released together; each its own session."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i):
        with app.app_context():
            try:
                barrier.wait(timeout=20)
                work(i)
            except BaseException as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_concurrent_rsvps_never_overbook_and_the_waitlist_keeps_its_order(app, make_event, make_user):
    """Twelve members RSVP at once to five places, then three going cancel at
    once: exactly five go, and the promoted are the first three waiting."""
    event = make_event(capacity=6)  # the organiser's place and five
    event_id = event.id
    user_ids = [make_user().id for _ in range(12)]
    app_object = current_app._get_current_object()

    def rsvp(i):
        rsvps.rsvp(db.session.get(Event, event_id), db.session.get(User, user_ids[i]))

    _race(app_object, rsvp, len(user_ids))
    db.session.expire_all()
    rows = db.session.scalars(select(Rsvp).where(Rsvp.event_id == event_id).order_by(Rsvp.id)).all()[1:]
    assert len(rows) == 12
    assert [row.status for row in rows] == ["going"] * 5 + ["waitlisted"] * 7  # first come, first served
    going = [row.user_id for row in rows if row.status == "going"]
    waiting = [row.user_id for row in rows if row.status == "waitlisted"]

    def cancel(i):
        rsvps.cancel_rsvp(db.session.get(Event, event_id), db.session.get(User, going[i]))

    _race(app_object, cancel, 3)
    db.session.expire_all()
    rows = db.session.scalars(select(Rsvp).where(Rsvp.event_id == event_id).order_by(Rsvp.id)).all()[1:]
    now_going = {row.user_id for row in rows if row.status == "going"}
    assert len(now_going) == 5
    assert now_going == set(going[3:]) | set(waiting[:3])
    assert [row.user_id for row in rows if row.status == "waitlisted"] == waiting[3:]
    promoted_told = db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "event_waitlist_promoted")).all()
    assert sorted(promoted_told) == sorted(waiting[:3])


def test_attendees_are_for_organisers_and_the_csv_is_safe(make_event, make_user, client_for):
    organiser = make_user()
    event = make_event(organiser, capacity=2)
    rsvps.rsvp(event, make_user("ann_t", display_name="=HYPERLINK(\"http://x\")", school="+Evil"))
    rsvps.rsvp(event, make_user("bob_t"))
    member = make_user()
    assert client_for(member).get(f"/events/{event.id}/attendees").status_code == 403
    assert client_for(member).get(f"/events/{event.id}/attendees.csv").status_code == 403
    browser = client_for(organiser)
    page = browser.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert "Waitlist" in page and "Going" in page
    response = browser.get(f"/events/{event.id}/attendees.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "username,name,country,school,status,rsvp_at_utc"
    assert lines[1].startswith(f"{organiser.username},")
    lines = lines[1:]
    assert lines[1].startswith("ann_t,\"'=HYPERLINK(\"\"http://x\"\")\",GB,'+Evil,going,")
    assert lines[2].startswith("bob_t,") and ",waitlisted," in lines[2]
