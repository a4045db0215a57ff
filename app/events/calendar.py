"""Calendars: an .ics file per event and a member's personal feed of the
events they are going to, at a secret address they can reset.

Times go out in UTC ("...Z"), which every calendar app converts to its own
zone; UID stays the same for the life of an event, SEQUENCE grows with each
change to its time or place, and a cancelled event says STATUS:CANCELLED so
calendars that subscribed drop it. A series also has one file for all its
dates (`series_ics`): the rule in the organiser's zone, its cancelled dates
as EXDATEs. Links go to `site`, where the site is
served (the caller passes app.links.site_url()), and the description is the
event's markdown as plain text: calendar apps show no HTML.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, vRecur
from icalendar import Event as CalendarEvent

from app import calendar_links
from app.accounts.models import User
from app.config import LOCAL_SITE_URL
from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.events.models import CalendarFeed, Event, EventSeries
from app.extensions import db
from app.text import markdown_to_text

PRODID = "-//Staffroom//Events//EN"


def _uid(name: str) -> str:
    """Never from the request: a UID must not change with the address the
    file was fetched from, or calendars would show the event twice."""
    site = current_app.config.get("SITE_URL") or LOCAL_SITE_URL
    return f"{name}@{urlsplit(site).hostname or 'staffroom.example'}"


def uid(event: Event) -> str:
    return _uid(f"event-{event.id}")


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


def _describe(item: CalendarEvent, event: Event, url: str, site: str) -> None:
    """What a calendar shows of a date: title, words, place, link, kind."""
    item.add("summary", event.title)
    item.add("description", f"{markdown_to_text(event.description_md, site)}\n\n{url}".strip())
    item.add("location", _place(event))
    item.add("url", url)
    item.add("categories", [event.kind_label])


def _component(event: Event, stamp, site: str) -> CalendarEvent:
    url = _page(event, site)
    item = CalendarEvent()
    item.add("uid", uid(event))
    item.add("dtstamp", stamp)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    _describe(item, event, url, site)
    item.add("sequence", event.sequence)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("last-modified", event.updated_at)
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


def series_uid(series: EventSeries) -> str:
    return _uid(f"series-{series.id}")


def series_ics(series: EventSeries, dates: list[Event], site: str) -> bytes:
    """The whole series as one repeating VEVENT: DTSTART in the organiser's
    zone (TZID, with its VTIMEZONE), the RRULE, an EXDATE for each cancelled
    date, and a RECURRENCE-ID override for each date moved or lengthened on
    its own. `dates` are the series' dates made so far, oldest first."""
    zone = ZoneInfo(series.timezone)
    first, latest = dates[0], dates[-1]
    url = f"{site.rstrip('/')}/events/series/{series.id}"
    stamp = utcnow()
    calendar = _calendar(series.title)
    master = CalendarEvent()
    master.add("uid", series_uid(series))
    master.add("dtstamp", stamp)
    master.add("dtstart", series.starts_at.astimezone(zone))
    master.add("dtend", (series.starts_at + timedelta(minutes=first.duration_min)).astimezone(zone))
    master.add("rrule", vRecur.from_ical(series.rrule))
    _describe(master, latest, url, site)
    cancelled = [event.occurrence_start.astimezone(zone) for event in dates if event.is_cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    master.add("sequence", series.sequence)
    master.add("status", "CANCELLED" if series.cancelled_at and not _any_left(dates) else "CONFIRMED")
    master.add("last-modified", series.updated_at)
    calendar.add_component(master)
    for event in dates:
        if not event.is_cancelled and (event.starts_at != event.occurrence_start
                                       or event.duration_min != first.duration_min):
            item = CalendarEvent()
            item.add("uid", series_uid(series))
            item.add("dtstamp", stamp)
            item.add("recurrence-id", event.occurrence_start.astimezone(zone))
            item.add("dtstart", event.starts_at.astimezone(zone))
            item.add("dtend", event.ends_at.astimezone(zone))
            _describe(item, event, f"{site.rstrip('/')}/events/{event.id}", site)
            item.add("sequence", event.sequence)
            calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _any_left(dates: list[Event]) -> bool:
    return any(not event.is_cancelled for event in dates)


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
