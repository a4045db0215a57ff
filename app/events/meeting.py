"""The meeting link of an online event: what a valid one is, and who sees it when.

An online event may carry the https address of its call (Zoom, Teams, Jitsi
or any https URL). It is never public. Members going see it from
LINK_SHOWN_BEFORE (15 minutes) before the start until the end; waitlisted
members, everyone else and visitors never do; nobody does once the event is
cancelled. The organiser, hosts and moderators, who can edit it anyway, see
it whenever the event is not cancelled.

Pages and the reminder mail link to `/events/<id>/join` (`views.join`),
which asks `for_viewer` again at the click and redirects to the link as it
is then, so a link changed after the reminders went out still works and a
member who stopped going gets nothing. Calendar files and feeds, the
add-to-calendar links and the search index never carry it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import idna
from flask_babel import lazy_gettext as _l

from app.db_types import utcnow
from app.events import rsvp as rsvps
from app.events import services
from app.events.models import Event
from app.i18n import N_

LINK_SHOWN_BEFORE = timedelta(minutes=15)
MAX_LENGTH = 500
# Shown on the button ("Join the call on Zoom"); any other https host is fine too.
PROVIDERS = {"zoom.us": "Zoom", "zoom.com": "Zoom", "teams.microsoft.com": "Microsoft Teams",
             "teams.live.com": "Microsoft Teams", "meet.jit.si": "Jitsi Meet", "8x8.vc": "Jitsi Meet",
             "meet.google.com": "Google Meet", "whereby.com": "Whereby", "webex.com": "Webex"}


# What a valid link is ---------------------------------------------------------------

def url_problem(url: str) -> str | None:
    """Why `url` cannot be a meeting link, or None: https, a real host name
    (no address, no "localhost"), no user name in it, at most MAX_LENGTH."""
    if len(url) > MAX_LENGTH:
        return _l("Use a link of at most %(max)s characters.", max=MAX_LENGTH)
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return N_("A link has no spaces: copy it again from your meeting invitation.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return N_("That is not a link: copy it from your meeting invitation, e.g. https://zoom.us/j/123456789.")
    if parts.scheme.lower() != "https":
        return N_("Use an https:// link, e.g. https://zoom.us/j/123456789.")
    if "@" in parts.netloc:
        return N_("Use the meeting's own link, without a user name or password in it.")
    if not _real_host(parts.hostname or ""):
        return N_("Give the link with its full site name, e.g. https://meet.jit.si/YourRoom.")
    return None


def _real_host(host: str) -> bool:
    """A public DNS name with a dot and an alphabetic top-level label."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return False
    except ValueError:
        pass
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    top = labels[-1]
    return len(labels) >= 2 and (top.isalpha() or top.startswith("xn--")) and len(top) >= 2


def clean_url(value: str | None) -> str | None:
    """The submitted link without surrounding spaces; empty means none."""
    return (value or "").strip() or None


def provider(url: str | None) -> str | None:
    """"Zoom", "Microsoft Teams" ... for a well-known host, else None."""
    host = (urlsplit(url).hostname or "") if url else ""
    for domain, name in PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


# Who sees it, when ----------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingView:
    """What one viewer gets of an event's meeting link at one moment.

    state: "none" (no link, or not an online event, or cancelled), "hidden"
    (not going: visitor, member, waitlisted), "soon" (going, before the
    window), "open" (shown: `url` is set), "over" (going, after the end).
    """

    state: str
    url: str | None = None
    shown_from: datetime | None = None
    provider: str | None = None

    @property
    def available_at(self) -> datetime | None:
        """When the viewer will see the link, while they wait for it."""
        return self.shown_from if self.state == "soon" else None


NO_LINK = MeetingView("none")
UNREAD = object()


def shown_from(event: Event) -> datetime:
    return event.starts_at - LINK_SHOWN_BEFORE


def has_link(event: Event) -> bool:
    return bool(event.meeting_url) and event.is_online and event.status != "cancelled"


def for_viewer(event: Event, user, now: datetime | None = None, status=UNREAD) -> MeetingView:
    """The rule, in one place. `status` is the viewer's RSVP when the caller
    already read it (lists); otherwise it is read here, only if needed."""
    if not has_link(event):
        return NO_LINK
    opens = None if event.always_open else shown_from(event)
    named = provider(event.meeting_url)
    if services.is_host(event, user):
        return MeetingView("open", event.meeting_url, opens, named)
    if not services.signed_in(user):
        return MeetingView("hidden", shown_from=opens, provider=named)
    if (rsvps.rsvp_status(event, user) if status is UNREAD else status) != "going":
        return MeetingView("hidden", shown_from=opens, provider=named)
    now = now or utcnow()
    if event.always_open:
        return MeetingView("open", event.meeting_url, None, named)
    if now < opens:
        return MeetingView("soon", shown_from=opens, provider=named)
    if now >= event.ends_at:
        return MeetingView("over", shown_from=opens, provider=named)
    return MeetingView("open", event.meeting_url, opens, named)
