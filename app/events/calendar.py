"""Calendars: an .ics file per event and a member's personal feed of the
events they are going to, at a secret address they can reset.

Times go out in UTC ("...Z"), which every calendar app converts to its own
zone; UID stays the same for the life of an event, SEQUENCE grows with each
change to its time or place, and a cancelled event says STATUS:CANCELLED so
calendars that subscribed drop it. Links go to `site`, where the site is
served (the caller passes app.links.site_url()), and the description is the
event's markdown as plain text: calendar apps show no HTML.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from app import calendar_links
from app.accounts.models import User
from app.config import LOCAL_SITE_URL
from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.events.models import CalendarFeed, Event
from app.extensions import db
from app.text import markdown_to_text

PRODID = "-//Staffroom//Events//EN"


def uid(event: Event) -> str:
    """Never from the request: a UID must not change with the address the
    file was fetched from, or calendars would show the event twice."""
    site = current_app.config.get("SITE_URL") or LOCAL_SITE_URL
    return f"event-{event.id}@{urlsplit(site).hostname or 'staffroom.example'}"


def _place(event: Event) -> str:
    if event.is_online:
        return "Online: Staffroom live room"
    return ", ".join(filter(None, [event.location, event.city, event.country]))


def _page(event: Event, site: str) -> str:
    return f"{site.rstrip('/')}/events/{event.id}"


def add_links(event: Event, site: str, now=None) -> dict[str, str] | None:
    """Google Calendar and Outlook links for an event still to come (none for
    a cancelled or finished one, or a drop-in room). An online event's place
    is its page here: never its meeting link."""
    if event.is_cancelled or event.always_open or event.ends_at <= (now or utcnow()):
        return None
    page = _page(event, site)
    return calendar_links.all_links(calendar_links.CalendarEntry(
        title=event.title, starts_at=event.starts_at, ends_at=event.ends_at,
        details=markdown_to_text(event.description_md, site), url=page,
        location=page if event.is_online else _place(event)))


def _component(event: Event, stamp, site: str) -> CalendarEvent:
    url = _page(event, site)
    item = CalendarEvent()
    item.add("uid", uid(event))
    item.add("dtstamp", stamp)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    item.add("description", f"{markdown_to_text(event.description_md, site)}\n\n{url}".strip())
    item.add("location", _place(event))
    item.add("url", url)
    item.add("sequence", event.sequence)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("last-modified", event.updated_at)
    item.add("categories", [event.kind_label])
    return item


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def event_ics(event: Event, site: str) -> bytes:
    calendar = _calendar(event.title)
    calendar.add_component(_component(event, utcnow(), site))
    return calendar.to_ical()


def feed_ics(user: User, site: str) -> bytes:
    calendar = _calendar(f"Staffroom: {user.display_name}'s events")
    stamp = utcnow()
    for event in rsvps.events_going(user):
        calendar.add_component(_component(event, stamp, site))
    return calendar.to_ical()


# The secret feed address ---------------------------------------------------------------

def feed_token(user: User) -> str:
    """The member's feed token, made the first time it is asked for."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(24))
        db.session.add(feed)
        db.session.commit()
    return feed.token


def reset_feed(user: User) -> str:
    """A new address; the old one stops working at once."""
    feed = db.session.get(CalendarFeed, user.id)
    token = secrets.token_urlsafe(24)
    if feed is None:
        db.session.add(CalendarFeed(user_id=user.id, token=token))
    else:
        feed.token = token
        feed.created_at = utcnow()
    db.session.commit()
    return token


def user_for_feed(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(db.select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    return user if user is not None and user.is_active else None
