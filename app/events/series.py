"""Repeating events: a series is an RFC 5545 rule (RRULE) expanded in the
organiser's zone from the first date's wall-clock time, so "the second
Tuesday at 19:00 Europe/Madrid" stays at 19:00 there across DST changes.

Each date is an ordinary Event row (`series_id`, `occurrence_start`) with
its own RSVPs, live room and reminders. Dates are made `HORIZON` ahead:
when the series is created and, as they pass, by the scheduler (`extend_all`).
Members can go to one date (rsvp.py) or to every date (`rsvp_series`), which
also seats them on dates made later. Cancelling one date is cancelling that
event; the series' .ics carries it as an EXDATE (calendar.series_ics).
"""

from __future__ import annotations

import logging
import re
from calendar import monthrange
from datetime import date, datetime, time, timedelta, timezone
from itertools import islice
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_day_names
from babel.lists import format_list
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from icalendar import vRecur
from sqlalchemy import delete, func, select

from app.accounts.models import User
from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.events import services
from app.events.models import Event, EventHost, EventSeries, SeriesRsvp
from app.exceptions import Conflict, NotFound, ServiceError, ValidationFailed
from app.extensions import db
from app.i18n import N_, current_locale
from app.params import is_id
from app.text import render_markdown

log = logging.getLogger(__name__)
HORIZON = 12  # dates kept made ahead of now
MAX_DATES = 100
MAX_YEARS = 2
MAX_RULE_LENGTH = 500
MAX_INTERVAL = 52
ALLOWED_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"}
# "every week", "every 2 weeks" for each FREQ, in the request's language.
FREQUENCIES = {
    "DAILY": lambda n: ngettext("every day", "every %(num)s days", n),
    "WEEKLY": lambda n: ngettext("every week", "every %(num)s weeks", n),
    "MONTHLY": lambda n: ngettext("every month", "every %(num)s months", n),
    "YEARLY": lambda n: ngettext("every year", "every %(num)s years", n),
}
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# "the second Tuesday": a whole phrase each, as ordinals agree with the day in many languages.
ORDINALS = {1: N_("the first %(day)s"), 2: N_("the second %(day)s"), 3: N_("the third %(day)s"),
            4: N_("the fourth %(day)s"), 5: N_("the fifth %(day)s"), -1: N_("the last %(day)s"),
            -2: N_("the second to last %(day)s")}
# What the create form offers; the API takes any RRULE within the limits.
REPEATS = {
    "weekly": N_("Every week, on the same weekday"),
    "fortnightly": N_("Every 2 weeks, on the same weekday"),
    "monthly_weekday": N_("Every month, on the same weekday (e.g. the second Tuesday)"),
    "monthly_day": N_("Every month, on the same day of the month (e.g. the 14th)"),
}
_BYDAY = re.compile(r"^([+-]?\d{0,2})([A-Z]{2})$")


def _not_valid(error: Exception):
    return _l("The repeat rule is not valid RFC 5545: %(reason)s.", reason=str(error))


def _bad(message) -> ServiceError:
    """A rule we cannot use: 400, naming the `rrule` field."""
    return ServiceError(message, {"rrule": message})


# The rule ----------------------------------------------------------------------------

def build_rule(repeat: str, first_local: datetime, count: int | None = None, until: date | None = None) -> str:
    """The RRULE for one of the form's `REPEATS`, from the first date (local
    wall-clock time), ending after `count` dates or on `until` (a local day)."""
    day = DAY_CODES[first_local.weekday()]
    nth = (first_local.day - 1) // 7 + 1
    rule = {
        "weekly": f"FREQ=WEEKLY;BYDAY={day}",
        "fortnightly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
        "monthly_weekday": f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{day}",
        "monthly_day": f"FREQ=MONTHLY;BYMONTHDAY={first_local.day}",
    }[repeat]
    return f"{rule};UNTIL={until:%Y%m%d}" if until is not None else f"{rule};COUNT={count or HORIZON}"


def _until_utc(value, zone: str) -> datetime:
    """UNTIL as UTC (RFC 5545 asks for it with a zoned DTSTART): a date means
    the end of that day in the series' zone, a floating time that zone's."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59, 59))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(timezone.utc)


def normalise(text: str, zone: str) -> str:
    """One RRULE value ("RRULE:" optional) checked for shape and written the
    one way we store it: upper case, UNTIL in UTC. ServiceError (400) if not."""
    raw = (text or "").strip()
    if raw.upper().startswith("RRULE:"):
        raw = raw[len("RRULE:"):]
    if not raw or len(raw) > MAX_RULE_LENGTH or any(char in raw for char in "\r\n:"):
        raise _bad(_l("Give one RFC 5545 RRULE value of at most %(max)s characters, "
                      "e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=12.", max=MAX_RULE_LENGTH))
    try:
        parts = vRecur.from_ical(raw)
    except ValueError as error:
        raise _bad(_not_valid(error)) from error
    if "FREQ" not in parts:
        raise _bad(N_("The repeat rule needs a FREQ, e.g. FREQ=WEEKLY;COUNT=10."))
    if parts["FREQ"][0] not in FREQUENCIES:
        raise _bad(N_("Events repeat daily, weekly, monthly or yearly: FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad(N_("Give COUNT or UNTIL, not both."))
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _bad(_l("Say when the series ends: COUNT=n (at most %(max)s dates) "
                      "or UNTIL=a date (within %(years)s years).", max=MAX_DATES, years=MAX_YEARS))
    _check_parts(parts)
    if "UNTIL" in parts:
        parts["UNTIL"] = [_until_utc(parts["UNTIL"][0], zone)]
    return parts.to_ical().decode()


def _check_parts(parts) -> None:
    """The parts events use, in range, and never a rule no date can fit:
    dateutil looks for the next date until the year 9999, which takes
    seconds (DAILY;BYMONTH=2;BYMONTHDAY=30 never comes)."""
    unknown = sorted(set(parts) - ALLOWED_PARTS)
    if unknown:
        raise _bad(_l("Repeating events use FREQ, INTERVAL, COUNT or UNTIL, BYDAY, BYMONTHDAY, BYMONTH and WKST; "
                      "not %(parts)s.", parts=", ".join(unknown)))
    if not all(1 <= value <= MAX_INTERVAL for value in parts.get("INTERVAL", [1])):
        raise _bad(_l("INTERVAL is a whole number from 1 to %(max)s.", max=MAX_INTERVAL))
    months = parts.get("BYMONTH", list(range(1, 13)))
    if not all(1 <= month <= 12 for month in months):
        raise _bad(N_("BYMONTH takes months 1 to 12."))
    days = parts.get("BYMONTHDAY", [])
    longest = max(monthrange(2028, month)[1] for month in months)  # 2028: a leap year
    if any(day == 0 or abs(day) > 31 for day in days) or (days and all(abs(day) > longest for day in days)):
        raise _bad(_l("BYMONTHDAY takes days 1 to %(max)s (or -1 for the last) of the months the rule names.",
                       max=longest))
    ordinals = [match.group(1) for match in map(_BYDAY.match, map(str, parts.get("BYDAY", []))) if match]
    if any(number not in ("", "+") for number in ordinals):
        if days:
            raise _bad(N_("Give BYDAY with an ordinal (2TU) or BYMONTHDAY, not both."))
        if any(number not in ("", "+") and not 1 <= abs(int(number)) <= 5 for number in ordinals):
            raise _bad(N_("A BYDAY ordinal is 1 to 5, or -1 to -5 from the end of the month, e.g. 2TU or -1FR."))


def starts(rule: str, zone: str, first: datetime) -> list[datetime]:
    """Every start the rule gives (UTC, in order), the first date included.

    Expanded in `zone` from `first`'s wall-clock time. Never further than
    MAX_YEARS ahead (a COUNT rule is expanded up to that UNTIL instead, so a
    rule no date fits costs two years of steps, not ten thousand)."""
    parts = vRecur.from_ical(rule)
    limit = first + relativedelta(years=MAX_YEARS)
    count = parts.pop("COUNT", [None])[0]
    if count is not None:
        if not 1 <= count <= MAX_DATES:
            raise _bad(_l("A series has at most %(max)s dates.", max=MAX_DATES))
        parts["UNTIL"] = [limit]
    elif parts["UNTIL"][0] > limit:
        raise _bad(_l("A series ends within %(years)s years of its first date: give an earlier end.", years=MAX_YEARS))
    try:
        expanded = rrulestr(parts.to_ical().decode(), dtstart=first.astimezone(ZoneInfo(zone)))
        found = [start.astimezone(timezone.utc) for start in islice(expanded, MAX_DATES + 1)]
    except (ValueError, TypeError, OverflowError) as error:
        raise _bad(_not_valid(error)) from error
    if count is not None:
        if len(found) < count:
            raise _bad(_l("%(num)s dates do not fit within %(years)s years of the first: give fewer.", num=count,
                           years=MAX_YEARS))
        found = found[:count]
    if len(found) > MAX_DATES:
        raise _bad(_l("A series has at most %(max)s dates; this rule gives more. Give an earlier end.", max=MAX_DATES))
    if not found or found[0] != first:
        local = first.astimezone(ZoneInfo(zone))
        raise _bad(_l("The first date (%(date)s) must be one of the rule's dates.", date=f"{local:%a %d %b %Y}"))
    if len(found) < 2:
        raise _bad(N_("A repeating event needs at least two dates."))
    return found


def _day_words(code: str) -> str:
    match = _BYDAY.match(str(code))
    if match is None:
        return str(code)
    number, day = match.groups()
    if day not in DAY_CODES:
        return str(code)
    name = _day_name(DAY_CODES.index(day))
    if number in ("", "+"):
        return name
    phrase = ORDINALS.get(int(number))
    return gettext(phrase, day=name) if phrase else gettext("the %(number)s. %(day)s", number=number, day=name)


def _day_name(weekday: int) -> str:
    """Monday for 0, in the request's language (Babel's CLDR names)."""
    return get_day_names("wide", locale=current_locale())[weekday]


def describe(series: EventSeries, short: bool = False) -> str:
    """The rule in words, in the request's language: "every month on the
    second Tuesday at 19:00 (Europe/Madrid), 12 dates"; `short` stops before
    the time."""
    parts = vRecur.from_ical(series.rrule)
    first = series.starts_at.astimezone(ZoneInfo(series.timezone))
    freq = parts["FREQ"][0]
    interval = parts.get("INTERVAL", [1])[0]
    words = FREQUENCIES[freq](interval)
    locale = current_locale()
    if "BYDAY" in parts:
        days = format_list([_day_words(code) for code in parts["BYDAY"]], locale=locale)
        words = gettext("%(rule)s on %(days)s", rule=words, days=days)
    elif "BYMONTHDAY" in parts:
        days = format_list([str(day) for day in parts["BYMONTHDAY"]], locale=locale)
        words = gettext("%(rule)s on day %(days)s", rule=words, days=days)
    elif freq == "WEEKLY":
        words = gettext("%(rule)s on %(days)s", rule=words, days=_day_name(first.weekday()))
    elif freq == "MONTHLY":
        words = gettext("%(rule)s on day %(days)s", rule=words, days=first.day)
    if short:
        return words
    words = gettext("%(rule)s at %(time)s (%(zone)s)", rule=words, time=f"{first:%H:%M}", zone=series.timezone)
    if "COUNT" in parts:
        count = parts["COUNT"][0]
        return ngettext("%(rule)s, %(num)s date", "%(rule)s, %(num)s dates", count, rule=words)
    until = parts["UNTIL"][0].astimezone(ZoneInfo(series.timezone))
    return gettext("%(rule)s, until %(date)s", rule=words,
                   date=format_date(until, "EEE dd MMM y", locale=locale))


# Making the dates ------------------------------------------------------------------------

def attach(event: Event, rule_text: str) -> EventSeries:
    """Make `event` (validated, not yet added) the first date of a new series
    with this rule. ServiceError (400) for a rule we cannot use."""
    if event.status != "published":
        raise ValidationFailed({"status": N_("A repeating event is published at once; drafts cannot repeat.")})
    if event.always_open:
        raise ValidationFailed({"always_open": N_("A drop-in room is open around the clock: it does not repeat.")})
    rule = normalise(rule_text, event.timezone)
    # Rules count in whole seconds (dateutil drops the microseconds of DTSTART).
    event.starts_at = event.starts_at.replace(microsecond=0)
    event.ends_at = event.starts_at + timedelta(minutes=event.duration_min)
    starts(rule, event.timezone, event.starts_at)
    series = EventSeries(organiser_id=event.organiser_id, organiser=event.organiser, rrule=rule,
                         timezone=event.timezone, starts_at=event.starts_at, title=event.title,
                         description_md=event.description_md, description_html=event.description_html, sequence=0)
    event.series = series
    event.occurrence_start = event.starts_at
    return series


def _copy(template: Event, series: EventSeries, start: datetime) -> Event:
    """A new date like the latest one, with the series' title and description."""
    event = Event(
        organiser_id=template.organiser_id, organiser=template.organiser, kind=template.kind,
        title=series.title, description_md=series.description_md, description_html=series.description_html,
        starts_at=start, ends_at=start + timedelta(minutes=template.duration_min),
        duration_min=template.duration_min, timezone=series.timezone, hashtag=template.hashtag,
        is_online=template.is_online, location=template.location, city=template.city, country=template.country,
        capacity=template.capacity, status="published", visibility=template.visibility, always_open=False,
        sequence=0, slow_mode_seconds=0, series=series, occurrence_start=start,
    )
    event.host_rows = [EventHost(user_id=row.user_id, user=row.user, position=row.position)
                       for row in template.host_rows]
    return event


def extend(series: EventSeries, now: datetime | None = None) -> list[Event]:
    """Make the dates still missing up to HORIZON ahead of now, each with its
    hosts and the members going to every date (the caller commits)."""
    if series.cancelled_at is not None:
        return []
    now = now or utcnow()
    made = list(db.session.scalars(select(Event).where(Event.series_id == series.id)
                                   .order_by(Event.occurrence_start)))
    if not made:
        return []
    template = made[-1]
    ahead = sum(1 for event in made if event.occurrence_start > now)
    new = []
    for start in starts(series.rrule, series.timezone, series.starts_at):
        if ahead >= HORIZON:
            break
        if start <= template.occurrence_start or start <= now:
            continue
        new.append(_copy(template, series, start))
        ahead += 1
    db.session.add_all(new)
    db.session.flush()
    members = list(db.session.scalars(  # suspended (and deleted) members are not seated
        select(SeriesRsvp.user_id).join(User, User.id == SeriesRsvp.user_id)
        .where(SeriesRsvp.series_id == series.id, User.suspended_at.is_(None)).order_by(SeriesRsvp.created_at)))
    for event in new:
        rsvps.hosts_going(event, event.hosts)
        rsvps.seat_new_date(event, members, len(event.host_rows))
    return new


def extend_all(now: datetime | None = None) -> int:
    """The scheduler's round: series with fewer than HORIZON dates ahead get
    theirs (one commit a series). Returns how many dates were made."""
    now = now or utcnow()
    short = (select(Event.series_id).where(Event.series_id.is_not(None), Event.occurrence_start > now)
             .group_by(Event.series_id).having(func.count(Event.id) < HORIZON))
    made = 0
    for series in db.session.scalars(select(EventSeries).where(EventSeries.id.in_(short),
                                                                EventSeries.cancelled_at.is_(None))):
        try:
            made += len(extend(series, now))
        except ServiceError:  # a stored rule our limits no longer take: the other series go on
            log.exception("event series %s: its rule cannot be expanded", series.id)
            db.session.rollback()
            continue
        db.session.commit()
    return made


# Reading -------------------------------------------------------------------------------------

def dates(series: EventSeries) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.series_id == series.id).order_by(Event.starts_at)))


def upcoming(series: EventSeries, now: datetime | None = None) -> list[Event]:
    """Dates not over yet, cancelled ones included (they show as cancelled)."""
    now = now or utcnow()
    return [event for event in dates(series) if event.ends_at > now]


def next_date(series: EventSeries, now: datetime | None = None) -> Event | None:
    """The next date that happens, else the last one."""
    all_dates = dates(series)
    now = now or utcnow()
    ahead = [event for event in all_dates if event.ends_at > now and event.status == "published"]
    return ahead[0] if ahead else (all_dates[-1] if all_dates else None)


def get_for_viewer(series_id: int, user) -> EventSeries:
    """The series, if the viewer may see its dates (they share who sees them)."""
    series = db.session.get(EventSeries, series_id) if is_id(series_id) else None
    first = db.session.scalar(select(Event).where(Event.series_id == series_id).limit(1)) if series else None
    if first is None or not services.can_view(first, user):
        raise NotFound(N_("There is no such series, or you cannot see it."))
    return series


def require_manager(series: EventSeries, user) -> None:
    """The organiser, the hosts of its next date, and moderators run a series."""
    target = next_date(series)
    services.require_manager(target, user)


def is_member(series: EventSeries, user) -> bool:
    if not services.signed_in(user):
        return False
    return db.session.get(SeriesRsvp, (series.id, user.id)) is not None


# Going to every date ---------------------------------------------------------------------------

def _ahead(series: EventSeries) -> list[Event]:
    now = utcnow()
    return [event for event in dates(series) if event.status == "published" and event.ends_at > now]


def rsvp_series(series: EventSeries, user) -> dict[int, str]:
    """Going to every date still ahead, and to those made later. A full date
    puts the member on its waitlist. Returns {event_id: status}."""
    if series.cancelled_at is not None:
        raise Conflict(N_("This series is cancelled."))
    ahead = _ahead(series)
    if not ahead:
        raise Conflict(N_("This series has no dates left."))
    if not is_member(series, user):
        db.session.add(SeriesRsvp(series_id=series.id, user_id=user.id))
        db.session.commit()
    return {event.id: rsvps.rsvp(event, user) for event in ahead}


def cancel_series_rsvp(series: EventSeries, user) -> None:
    """Not going to any date still ahead (hosts stay: they host)."""
    db.session.execute(delete(SeriesRsvp).where(SeriesRsvp.series_id == series.id, SeriesRsvp.user_id == user.id))
    db.session.commit()
    for event in _ahead(series):
        if event.starts_at > utcnow() and not any(row.user_id == user.id for row in event.host_rows):
            rsvps.cancel_rsvp(event, user)


# Organising --------------------------------------------------------------------------------------

def update_series(series: EventSeries, actor, **fields) -> EventSeries:
    """Change the title or description of every date still ahead, and of the
    dates made later (organiser, hosts, moderators). Calendars update."""
    require_manager(series, actor)
    if series.cancelled_at is not None:
        raise Conflict(N_("This series is cancelled; it can no longer change."))
    clean = services.clean_fields({name: fields[name] for name in ("title", "description") if name in fields},
                                  series.organiser)
    if "title" in clean:
        series.title = clean["title"]
    if "description" in clean:
        series.description_md = clean["description"]
        series.description_html = render_markdown(clean["description"])
    now = utcnow()
    for event in dates(series):
        if event.starts_at <= now or event.is_cancelled:
            continue
        if "title" in clean and event.title != series.title:
            event.title = series.title
            event.sequence += 1
        if "description" in clean:
            event.description_md, event.description_html = series.description_md, series.description_html
    series.sequence += 1
    db.session.commit()
    return series


def cancel_series(series: EventSeries, actor) -> EventSeries:
    """Cancel every date still ahead (each one's attendees are told, as for
    one date) and make no more."""
    require_manager(series, actor)
    if series.cancelled_at is None:
        series.cancelled_at = utcnow()
        series.sequence += 1
        db.session.commit()
    for event in dates(series):
        if event.starts_at > utcnow() and not event.is_cancelled:
            services.cancel_event(event, actor)
    return series


def series_members(series: EventSeries) -> int:
    return db.session.scalar(select(func.count()).select_from(SeriesRsvp)
                             .where(SeriesRsvp.series_id == series.id)) or 0

