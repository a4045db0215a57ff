"""Event rules: creating, editing and cancelling events, who may see and
manage them, and lists.

The live room's rules are in `chat.py`, calendars in `calendar.py`,
reminders and the scheduler in `reminders.py`, RSVPs in `rsvp.py`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.db_types import utcnow
from app.events import meeting, series
from app.events import rsvp as rsvps
from app.events.models import KINDS, ROOM_GRACE, ROOM_OPENS_BEFORE, VISIBILITIES, Event, EventHost, Rsvp
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.notifications import services as notifications
from app.params import is_id
from app.text import render_markdown
from app.vocabulary import is_country, is_timezone

MAX_HOSTS = 10
MAX_DURATION_MIN = 24 * 60
MAX_CAPACITY = 100_000
_HASHTAG = re.compile(r"^[A-Za-z0-9_]{1,50}$")
# Changing these changes attendees' calendars (SEQUENCE) and tells them.
CALENDAR_FIELDS = ("title", "starts_at", "duration_min", "is_online", "location", "city", "country")


def event_url(event: Event) -> str:
    # A plain path: notifications and the search worker have no request.
    return f"/events/{event.id}"


# Time --------------------------------------------------------------------------

def local_to_utc(local: datetime, zone: str, field: str = "starts_at") -> datetime:
    """A wall-clock time in `zone` as an aware UTC datetime.

    A time the clocks skip (spring forward) is refused; a time that happens
    twice (autumn) means the first of the two.
    """
    if not is_timezone(zone):
        raise ValidationFailed({"timezone": N_("Pick a time zone such as Europe/London.")})
    aware = local.replace(tzinfo=ZoneInfo(zone), fold=0)
    in_utc = aware.astimezone(timezone.utc)
    if in_utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationFailed({field: _l("%(time)s does not exist on that day in %(zone)s: the clocks go forward.",
                                                   time=f"{local:%H:%M}", zone=zone)})
    return in_utc


# Who may do what ------------------------------------------------------------------

def signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_host(event: Event, user) -> bool:
    """Organiser, hosts and moderators run the event and moderate its room."""
    if not signed_in(user):
        return False
    return user.is_moderator or user.id == event.organiser_id or any(row.user_id == user.id for row in event.host_rows)


def can_manage(event: Event, user) -> bool:
    return is_host(event, user)


def can_view(event: Event, user) -> bool:
    if event.status == "draft":
        return is_host(event, user)
    if event.visibility == "members":
        return signed_in(user)
    return True


def get_for_viewer(event_id: int, user) -> Event:
    # Live-room messages carry their event_id unchecked; one past the column's
    # range would make the driver raise.
    event = db.session.get(Event, event_id) if is_id(event_id) else None
    if event is None or not can_view(event, user):
        raise NotFound(N_("There is no such event, or you cannot see it."))
    return event


def require_manager(event: Event, user) -> None:
    if not can_manage(event, user):
        raise Forbidden(N_("Only the event's organiser, its hosts and moderators can do that."))


# Validation ----------------------------------------------------------------------

def _hosts(usernames, organiser: User, errors: dict) -> list[User]:
    if isinstance(usernames, str):
        usernames = usernames.split(",")
    names = []
    for raw in usernames or []:
        name = str(raw).strip().lstrip("@").lower()
        if name and name not in names and name != organiser.username:
            names.append(name)
    if len(names) + 1 > MAX_HOSTS:
        errors["hosts"] = _l("An event can have at most %(max)s hosts.", max=MAX_HOSTS)
        return [organiser]
    found = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names or [""])))}
    missing = [name for name in names if name not in found or not found[name].is_active]
    if missing:
        errors["hosts"] = _l("No member called %(names)s.", names=", ".join("@" + n for n in missing))
    return [organiser, *(found[n] for n in names if n in found)]


def _clean(fields: dict, errors: dict, organiser: User, actor: User | None = None, was_open: bool = False) -> dict:
    actor = actor or organiser
    clean: dict = {}
    if "title" in fields:
        title = " ".join((fields["title"] or "").split())
        if not 3 <= len(title) <= 200:
            errors["title"] = N_("Give the event a title of 3 to 200 characters.")
        clean["title"] = title
    if "kind" in fields:
        if fields["kind"] not in KINDS:
            errors["kind"] = N_("Pick a kind: connection call, TweetMeet, meetup or webinar.")
        clean["kind"] = fields["kind"]
    if "description" in fields:
        description = fields["description"] or ""
        if len(description) > 10_000:
            errors["description"] = N_("Use at most 10,000 characters.")
        clean["description"] = description
    if "timezone" in fields:
        zone = (fields["timezone"] or "UTC").strip()
        if not is_timezone(zone):
            errors["timezone"] = N_("Pick a time zone such as Europe/London.")
        clean["timezone"] = zone
    if "starts_at" in fields:
        starts_at = fields["starts_at"]
        if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
            errors["starts_at"] = N_("Give the start as a date and time with its time zone.")
        else:
            clean["starts_at"] = starts_at.astimezone(timezone.utc)
    if "duration_min" in fields:
        duration = fields["duration_min"]
        if not isinstance(duration, int) or isinstance(duration, bool) or not 5 <= duration <= MAX_DURATION_MIN:
            errors["duration_min"] = N_("Give a duration between 5 minutes and 24 hours (in minutes).")
        clean["duration_min"] = duration
    if "hashtag" in fields:
        tag = (fields["hashtag"] or "").strip().lstrip("#")
        if tag and not _HASHTAG.match(tag):
            errors["hashtag"] = N_("Use letters, digits and underscores only, e.g. #EduChat.")
        clean["hashtag"] = tag or None
    for name, limit in (("location", 200), ("city", 100)):
        if name in fields:
            value = " ".join((fields[name] or "").split())
            if len(value) > limit:
                errors[name] = _l("Use at most %(max)s characters.", max=limit)
            clean[name] = value or None
    if "country" in fields:
        code = (fields["country"] or "").strip().upper()
        if code and not is_country(code):
            errors["country"] = N_("Pick a country (ISO 3166 code such as GB).")
        clean["country"] = code or None
    if "is_online" in fields:
        clean["is_online"] = bool(fields["is_online"])
    if "meeting_url" in fields:
        url = meeting.clean_url(fields["meeting_url"])
        problem = meeting.url_problem(url) if url else None
        if problem:
            errors["meeting_url"] = problem
        clean["meeting_url"] = url
    if "capacity" in fields:
        capacity = fields["capacity"]
        if capacity is not None and (not isinstance(capacity, int) or isinstance(capacity, bool)
                                     or not 1 <= capacity <= MAX_CAPACITY):
            errors["capacity"] = N_("Leave empty for no limit, or give a number of places from 1.")
        clean["capacity"] = capacity
    if "visibility" in fields:
        if fields["visibility"] not in VISIBILITIES:
            errors["visibility"] = N_("Visibility is public or members.")
        clean["visibility"] = fields["visibility"]
    if "hosts" in fields:
        clean["hosts"] = _hosts(fields["hosts"], organiser, errors)
    if "always_open" in fields:
        if bool(fields["always_open"]) != was_open and not actor.is_moderator:
            errors["always_open"] = N_("Only moderators can make a room open around the clock, or stop it being so.")
        clean["always_open"] = bool(fields["always_open"])
    return clean


def clean_fields(fields: dict, organiser: User) -> dict:
    """Some of an event's fields checked and tidied as create and update do;
    ValidationFailed naming each bad one (series edits use it)."""
    errors: dict[str, str] = {}
    clean = _clean(fields, errors, organiser)
    if errors:
        raise ValidationFailed(errors)
    return clean


def _check_capacity(event: Event, errors: dict) -> None:
    hosts = len(event.host_rows)
    if event.capacity is not None and event.capacity < hosts:
        errors["capacity"] = _l("Give at least %(num)s places: each host has one.", num=hosts)


def _welcome_hosts(event: Event, actor: User, before: set[int]) -> None:
    """Hosts named now are going, and hear that they host (the caller commits)."""
    added = [row.user for row in event.host_rows if row.user_id not in before]
    if not added:
        return
    db.session.flush()  # a new event's id
    rsvps.hosts_going(event, added)
    for user in added:
        notifications.notify(user, "event_host", notifications.Message(N_("%(name)s made you a host of “%(title)s”."),
                                                   {"name": actor.display_name, "title": event.title}),
                             event_url(event), actor=actor)


def _check_place(event: Event, errors: dict) -> None:
    """In-person events (every meetup) need a venue, a city and a country."""
    if event.kind == "meetup" and event.is_online:
        errors["is_online"] = N_("A meetup happens in person: give its venue, city and country.")
    if not event.is_online:
        for name, message in (("location", N_("Say where it happens (the venue).")), ("city", N_("Give the city.")),
                              ("country", N_("Give the country."))):
            if not getattr(event, name):
                errors.setdefault(name, message)


def _check_meeting_link(event: Event, clean: dict, errors: dict) -> None:
    """Only online events have a meeting link: one sent for an event in
    person is refused; an event that moves to a venue drops its link."""
    if event.is_online or not event.meeting_url:
        return
    if clean.get("meeting_url"):
        errors["meeting_url"] = N_("Only online events have a meeting link: choose online, or leave the link empty.")
    else:
        event.meeting_url = None


def _apply(event: Event, clean: dict) -> None:
    for key in ("title", "kind", "timezone", "starts_at", "duration_min", "hashtag", "location", "city",
                "country", "is_online", "meeting_url", "capacity", "visibility", "always_open"):
        if key in clean:
            setattr(event, key, clean[key])
    if "description" in clean:
        event.description_md = clean["description"]
        event.description_html = render_markdown(clean["description"])
    if "hosts" in clean:
        event.host_rows = [EventHost(user_id=user.id, user=user, position=n) for n, user in enumerate(clean["hosts"])]
    event.ends_at = event.starts_at + timedelta(minutes=event.duration_min)


def _start_fields(fields: dict, organiser: User) -> dict:
    """`local_start` (a naive wall-clock time) plus `timezone` become `starts_at`."""
    fields = dict(fields)
    local = fields.pop("local_start", None)
    if local is not None:
        fields.setdefault("timezone", organiser.timezone or "UTC")
        fields["starts_at"] = local_to_utc(local, fields["timezone"] or "UTC")
    return fields


def create_event(organiser: User, *, status: str = "published", rrule: str | None = None, **fields) -> Event:
    """Create an event. The start is `starts_at` (aware) or `local_start` in `timezone`.

    With `rrule` (RFC 5545) it is the first date of a series, and the dates
    after it are made too (series.py); a rule we cannot use is a 400."""
    fields = _start_fields(fields, organiser)
    fields.setdefault("timezone", organiser.timezone or "UTC")
    fields.setdefault("hosts", [])
    fields.setdefault("is_online", fields.get("kind") != "meetup")
    errors: dict[str, str] = {}
    for name in ("title", "kind", "starts_at", "duration_min"):
        if fields.get(name) in (None, ""):
            errors[name] = N_("This is required.")
    clean = _clean(fields, errors, organiser)
    if status not in ("published", "draft"):
        errors["status"] = N_("Status is published or draft.")
    if "starts_at" in clean and clean["starts_at"] < utcnow() - timedelta(minutes=5):
        errors["starts_at"] = N_("The start is in the past.")
    event = Event(organiser_id=organiser.id, organiser=organiser, status=status, description_md="",
                  description_html="", sequence=0, slow_mode_seconds=0)
    if not errors:
        _apply(event, clean)
        _check_place(event, errors)
        _check_meeting_link(event, clean, errors)
        _check_capacity(event, errors)
    if errors:
        raise ValidationFailed(errors)
    repeating = series.attach(event, rrule) if rrule else None
    db.session.add(event)
    _welcome_hosts(event, organiser, before=set())
    if repeating is not None:
        series.extend(repeating)
    db.session.commit()
    return event


def _attendees(event_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(Rsvp, Rsvp.user_id == User.id)
                                   .where(Rsvp.event_id == event_id).order_by(Rsvp.id)))


def _tell_attendees(event: Event, actor: User, kind: str, text: notifications.Message) -> None:
    for user in _attendees(event.id):
        notifications.notify(
            user, kind, text, event_url(event), actor=actor, dedupe_key=f"event:{event.id}:{kind}:{event.sequence}"
        )


def update_event(event: Event, actor: User, **fields) -> Event:
    """Change an event (organiser, hosts, moderators); attendees hear of
    changes to its time or place, and their calendars update (SEQUENCE)."""
    require_manager(event, actor)
    if event.is_cancelled:
        raise Conflict(N_("This event is cancelled; it can no longer change."))
    status = fields.pop("status", None)
    fields = _start_fields(fields, event.organiser)
    errors: dict[str, str] = {}
    clean = _clean(fields, errors, event.organiser, actor, was_open=event.always_open)
    if status is not None and status not in ("published", "draft"):
        errors["status"] = N_("Status is published or draft (cancel an event with cancel).")
    if status == "draft" and event.status == "published":
        errors["status"] = N_("A published event cannot go back to being a draft; cancel it instead.")
    before = {name: getattr(event, name) for name in CALENDAR_FIELDS}
    if "starts_at" in clean and clean["starts_at"] == event.starts_at.replace(second=0, microsecond=0):
        del clean["starts_at"]  # the edit form's minute-precise copy of a start made to the second (API)
    if (
        "starts_at" in clean
        and clean["starts_at"] != event.starts_at
        and clean["starts_at"] < utcnow() - timedelta(minutes=5)
    ):
        errors["starts_at"] = N_("The new start is in the past.")
    if errors:
        raise ValidationFailed(errors)
    old_capacity = event.capacity
    old_link = event.meeting_url
    hosts_before = {row.user_id for row in event.host_rows}
    _apply(event, clean)
    _check_place(event, errors)
    _check_meeting_link(event, clean, errors)
    _check_capacity(event, errors)
    if errors:
        db.session.rollback()
        raise ValidationFailed(errors)
    if status is not None:
        event.status = status
    _welcome_hosts(event, actor, hosts_before)
    changed = [name for name in CALENDAR_FIELDS if getattr(event, name) != before[name]]
    if changed:
        event.sequence += 1
        if event.status == "published":
            _tell_attendees(event, actor, "event_changed", notifications.Message(
                N_("“%(title)s” has changed (%(parts)s)."),
                {"title": event.title, "parts": notifications.Message.words(_describe(changed))}))
    if old_link and event.meeting_url != old_link:
        _tell_link_changed(event, actor)
    db.session.commit()
    if event.capacity is None or (old_capacity is not None and event.capacity > old_capacity):
        rsvps.promote_waitlist(event.id)
    return event


def _tell_link_changed(event: Event, actor: User) -> None:
    """Those going may have copied the old link: tell them (never the link itself)."""
    if event.status != "published" or event.ends_at <= utcnow():
        return
    key = (N_("The link to join “%(title)s” has changed: use “Join the call” on the event page.")
           if event.meeting_url else N_("“%(title)s” no longer has a link to join a call."))
    text = notifications.Message(key, {"title": event.title})
    stamp = int(utcnow().timestamp())
    for user in db.session.scalars(select(User).join(Rsvp, Rsvp.user_id == User.id)
                                   .where(Rsvp.event_id == event.id, Rsvp.status == "going")):
        notifications.notify(user, "event_changed", text, event_url(event), actor=actor,
                             dedupe_key=f"event:{event.id}:meeting_link:{stamp}")


# What attendees are told changed, as words each reader gets in their language.
CHANGED_PARTS = {"title": N_("title"), "starts_at": N_("time"), "duration_min": N_("length"),
                 "is_online": N_("place"), "location": N_("place"), "city": N_("place"), "country": N_("place")}


def _describe(changed: list[str]) -> list[str]:
    """The changed fields as words, each once ("place" for a new city and address)."""
    return list(dict.fromkeys(CHANGED_PARTS[name] for name in changed))


def cancel_event(event: Event, actor: User) -> Event:
    require_manager(event, actor)
    if event.is_cancelled:
        return event
    event.status = "cancelled"
    event.cancelled_at = utcnow()
    event.sequence += 1
    _tell_attendees(event, actor, "event_cancelled",
                    notifications.Message(N_("“%(title)s” is cancelled."), {"title": event.title}))
    db.session.commit()
    return event


# Lists ---------------------------------------------------------------------------------

def _listed(viewer):
    statement = select(Event).where(Event.status.in_(("published", "cancelled")))
    if not signed_in(viewer):
        statement = statement.where(Event.visibility == "public")
    return statement


def _filtered(statement, kind: str | None, country: str | None):
    if kind:
        statement = statement.where(Event.kind == kind)
    if country:
        hosted_from = select(EventHost.event_id).join(User, User.id == EventHost.user_id).where(User.country == country)
        statement = statement.where(or_(Event.country == country, Event.id.in_(hosted_from)))
    return statement


def live_now(viewer, kind: str | None = None, country: str | None = None, now: datetime | None = None) -> list[Event]:
    """Events whose room is open now: drop-in rooms first, then by start."""
    now = now or utcnow()
    scheduled = (Event.starts_at <= now + ROOM_OPENS_BEFORE) | (Event.room_opened_at.is_not(None))
    statement = _filtered(_listed(viewer), kind, country).where(
        Event.status == "published",
        Event.always_open | (scheduled & (Event.ends_at > now - ROOM_GRACE)),
    )
    return list(db.session.scalars(statement.order_by(Event.always_open.desc(), Event.starts_at)))


def upcoming_query(viewer, kind: str | None = None, country: str | None = None, now: datetime | None = None):
    """Not yet started, soonest first (so the next seven days come first). A
    series is listed once, at its next date that happens."""
    now = now or utcnow()
    later = aliased(Event)
    next_of_series = (select(func.min(later.starts_at))
                      .where(later.series_id == Event.series_id, later.status == "published", later.starts_at > now)
                      .scalar_subquery())
    return (_filtered(_listed(viewer), kind, country)
            # `= false`, not `IS false`: an index condition on PostgreSQL as on SQLite (never NULL).
            .where(Event.starts_at > now, Event.always_open == false(),
                   or_(Event.series_id.is_(None), Event.starts_at == next_of_series))
            .order_by(Event.starts_at, Event.id))


def past_query(viewer, kind: str | None = None, country: str | None = None, now: datetime | None = None):
    now = now or utcnow()
    return (
        _filtered(_listed(viewer), kind, country)
        .where(Event.ends_at <= now, Event.always_open.is_(False))
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )


def drafts_of(user) -> list[Event]:
    if not signed_in(user):
        return []
    hosted = select(EventHost.event_id).where(EventHost.user_id == user.id)
    return list(db.session.scalars(select(Event).where(
        Event.status == "draft", or_(Event.organiser_id == user.id, Event.id.in_(hosted))).order_by(Event.starts_at)))
