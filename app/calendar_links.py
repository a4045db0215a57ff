"""Add-to-calendar links: Google Calendar's and Outlook's "new event" pages,
filled in from the address alone, beside an event's .ics download.

Every value is percent-encoded (`urllib.parse.quote`, nothing left safe:
spaces are %20, never "+", which Outlook would show as a plus). Times are
UTC: Google's `dates=20261207T081300Z/20261207T091300Z`, Outlook's
`startdt=2026-12-07T08:13:00Z`. The details are plain text (calendar apps
show no HTML), cut to MAX_DETAILS characters so the address stays within
what browsers and both services accept, and always end with the page's
address. Callers give the place: a venue, or the event page's address for
an online event, never a meeting link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK_PERSONAL = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_WORK = "https://outlook.office.com/calendar/0/deeplink/compose"
MAX_DETAILS = 1000


@dataclass(frozen=True)
class CalendarEntry:
    title: str
    starts_at: datetime  # aware
    ends_at: datetime
    details: str  # plain text
    location: str
    url: str  # the event's page: always the last line of the details


def _encode(params: dict[str, str]) -> str:
    return urlencode(params, quote_via=quote)


def details(entry: CalendarEntry) -> str:
    """The plain-text details, cut at a word if long, then the page's address."""
    text = entry.details.strip()
    if len(text) > MAX_DETAILS:
        text = text[:MAX_DETAILS].rsplit(None, 1)[0].rstrip(" ,.;:") + " …"
    return f"{text}\n\n{entry.url}" if text else entry.url


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def google(entry: CalendarEntry) -> str:
    dates = f"{_utc(entry.starts_at):%Y%m%dT%H%M%SZ}/{_utc(entry.ends_at):%Y%m%dT%H%M%SZ}"
    return f"{GOOGLE}?" + _encode({"action": "TEMPLATE", "text": entry.title, "dates": dates,
                                   "details": details(entry), "location": entry.location})


def outlook(entry: CalendarEntry, work: bool = False) -> str:
    """Outlook on the web: outlook.live.com for personal accounts, or
    outlook.office.com for work and school (Microsoft 365) ones."""
    return f"{OUTLOOK_WORK if work else OUTLOOK_PERSONAL}?" + _encode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": entry.title,
        "startdt": f"{_utc(entry.starts_at):%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{_utc(entry.ends_at):%Y-%m-%dT%H:%M:%SZ}",
        "body": details(entry), "location": entry.location,
    })


def all_links(entry: CalendarEntry) -> dict[str, str]:
    """{"google", "outlook", "outlook_work"}: the three addresses."""
    return {"google": google(entry), "outlook": outlook(entry), "outlook_work": outlook(entry, work=True)}
