"""Marshmallow schemas of the events API: they validate requests and
generate the OpenAPI document. Shapes and types here; rules in services."""

from __future__ import annotations

import marshmallow as ma
from flask import g, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import links
from app.api_support import PageArgs, page_schema
from app.events import calendar, meeting
from app.events.models import KINDS, VISIBILITIES
from app.events.rsvp import rsvp_counts
from app.events.series import describe
from app.events.services import MAX_CAPACITY, MAX_DURATION_MIN, MAX_HOSTS
from app.params import MAX_ID

_v = ma.validate
URL_PROPERTY = {"type": "string", "format": "uri-reference"}


class _EventFields(ma.Schema):
    description = ma.fields.String(validate=_v.Length(max=10_000), metadata={"description": "markdown"})
    timezone = ma.fields.String(validate=_v.Length(min=1, max=64), metadata={
        "description": "the organiser's IANA zone, e.g. Asia/Riyadh: the start is shown in it (default: yours)"})
    hashtag = ma.fields.String(validate=_v.Length(max=51), metadata={"description": "e.g. #EduChat"})
    online = ma.fields.Boolean(metadata={"description": "default true, except for meetups"})
    meeting_url = ma.fields.String(
        allow_none=True,
        validate=_v.Length(max=meeting.MAX_LENGTH,
                           error=_l("Use a link of at most %(max)s characters.", max=meeting.MAX_LENGTH)),
        metadata={"description": "online events: the call's https link (Zoom, Teams, Jitsi ...); a real host name, "
                                  "no user name in it; null or empty removes it. Only those going see it, from 15 "
                                  "minutes before the start to the end."})
    location = ma.fields.String(validate=_v.Length(max=200), metadata={"description": "the venue, in person"})
    city = ma.fields.String(validate=_v.Length(max=100))
    country = ma.fields.String(validate=_v.Length(max=2), metadata={"description": "ISO 3166 alpha-2"})
    capacity = ma.fields.Integer(allow_none=True, strict=True, validate=_v.Range(min=1, max=MAX_CAPACITY),
                                 metadata={"description": "null: no limit; beyond it members are waitlisted"})
    hosts = ma.fields.List(ma.fields.String(validate=_v.Length(min=1, max=31)), validate=_v.Length(max=MAX_HOSTS),
                           metadata={"description": "co-hosts' usernames; the organiser is always a host"})
    visibility = ma.fields.String(validate=_v.OneOf(list(VISIBILITIES)))
    always_open = ma.fields.Boolean(metadata={"description": "a drop-in room open around the clock (moderators)"})


class EventCreateSchema(_EventFields):
    title = ma.fields.String(required=True, validate=_v.Length(min=3, max=200))
    kind = ma.fields.String(required=True, validate=_v.OneOf(list(KINDS)))
    starts_at = ma.fields.AwareDateTime(required=True, metadata={"description": "ISO 8601 with an offset"})
    duration_min = ma.fields.Integer(required=True, strict=True, validate=_v.Range(min=5, max=MAX_DURATION_MIN))
    status = ma.fields.String(validate=_v.OneOf(["published", "draft"]),
                              metadata={"description": "draft: only hosts see it (default published)"})
    rrule = ma.fields.String(validate=_v.Length(max=600), metadata={"description": (
        "repeat: an RFC 5545 RRULE value, e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=12, expanded in `timezone` from "
        "the start's local time; it must end (COUNT at most 100, or UNTIL within 2 years) and the start must be "
        "one of its dates. The event is then the first date of a series (400 for a rule that cannot be used)")})


class EventUpdateSchema(_EventFields):
    title = ma.fields.String(validate=_v.Length(min=3, max=200))
    kind = ma.fields.String(validate=_v.OneOf(list(KINDS)))
    starts_at = ma.fields.AwareDateTime(metadata={"description": "ISO 8601 with an offset"})
    duration_min = ma.fields.Integer(strict=True, validate=_v.Range(min=5, max=MAX_DURATION_MIN))
    status = ma.fields.String(validate=_v.OneOf(["published"]), metadata={"description": "publish a draft"})


def api_fields(data: dict) -> dict:
    """Request fields to service arguments."""
    data = dict(data)
    if "online" in data:
        data["is_online"] = data.pop("online")
    if "description" in data and data["description"] is None:
        data["description"] = ""
    return data


class EventListArgs(PageArgs):
    when = ma.fields.String(load_default="upcoming", validate=_v.OneOf(["upcoming", "past", "live"]))
    kind = ma.fields.String(validate=_v.OneOf(list(KINDS)))
    country = ma.fields.String(validate=_v.Length(equal=2), metadata={"description": "venue or a host's country"})


class PersonSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()
    country = ma.fields.String(allow_none=True)


def _counts(event) -> dict:
    counts = getattr(event, "preloaded_rsvp_counts", None)
    return counts if counts is not None else rsvp_counts([event.id])[event.id]


def _meeting(event) -> meeting.MeetingView:
    """The viewer's view of the link, worked out once per event and request."""
    views = g.setdefault("event_meeting_views", {})
    if event.id not in views:
        statuses = g.get("event_rsvp_statuses", {})  # a list's, read at once (api._with_counts)
        status = statuses[event.id] if event.id in statuses else meeting.UNREAD
        views[event.id] = meeting.for_viewer(event, current_user, status=status)
    return views[event.id]


def _add_links(event) -> dict:
    added = g.setdefault("event_add_links", {})
    if event.id not in added:
        added[event.id] = calendar.add_links(event, links.site_url()) or {}
    return added[event.id]


ADD_LINK = {"type": "string", "format": "uri", "nullable": True}


class EventLinksSchema(ma.Schema):
    html = ma.fields.Function(lambda e: url_for("events.show", event_id=e.id), metadata=URL_PROPERTY)
    room = ma.fields.Function(lambda e: url_for("events.room", event_id=e.id), metadata=URL_PROPERTY)
    calendar = ma.fields.Function(lambda e: url_for("events_api.event_calendar", event_id=e.id),
                                  metadata=URL_PROPERTY)
    google_calendar = ma.fields.Function(lambda e: _add_links(e).get("google"), metadata={
        **ADD_LINK, "description": "adds it to Google Calendar; null once cancelled or over, and for drop-in rooms"})
    outlook_calendar = ma.fields.Function(lambda e: _add_links(e).get("outlook"), metadata={
        **ADD_LINK, "description": "adds it to Outlook.com (personal accounts); null as google_calendar"})
    outlook_work_calendar = ma.fields.Function(lambda e: _add_links(e).get("outlook_work"), metadata={
        **ADD_LINK, "description": "adds it to Outlook for work or school (Microsoft 365); null as google_calendar"})


class SeriesLinksSchema(ma.Schema):
    html = ma.fields.Function(lambda s: url_for("events.series_page", series_id=s.id), metadata=URL_PROPERTY)
    api = ma.fields.Function(lambda s: url_for("events_api.get_series", series_id=s.id), metadata=URL_PROPERTY)
    calendar = ma.fields.Function(lambda s: url_for("events_api.series_calendar", series_id=s.id),
                                  metadata={**URL_PROPERTY, "description": "the series as one .ics: RRULE, EXDATEs"})


class _Whole(ma.fields.Nested):
    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return obj


class EventSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(KINDS)})
    description = ma.fields.String(attribute="description_md", metadata={"description": "markdown"})
    description_html = ma.fields.String(metadata={"description": "sanitized HTML rendered from the markdown"})
    starts_at = ma.fields.AwareDateTime(metadata={"description": "UTC"})
    ends_at = ma.fields.AwareDateTime(metadata={"description": "UTC"})
    duration_min = ma.fields.Integer()
    timezone = ma.fields.String(metadata={"description": "the organiser's zone"})
    hashtag = ma.fields.String(allow_none=True)
    online = ma.fields.Boolean(attribute="is_online")
    meeting_url = ma.fields.Function(lambda e: _meeting(e).url, metadata={
        "type": "string", "format": "uri", "nullable": True,
        "description": "the call's link, only for those who may join now: members going, from 15 minutes before "
                       "the start to the end; the organiser, hosts and moderators. Null for everyone else."})
    meeting_url_available_at = ma.fields.Function(
        lambda e: _meeting(e).available_at.isoformat() if _meeting(e).available_at else None, metadata={
            "type": "string", "format": "date-time", "nullable": True,
            "description": "for a member going, before the link is shown: when it will be (UTC). Else null."})
    location = ma.fields.String(allow_none=True)
    city = ma.fields.String(allow_none=True)
    country = ma.fields.String(allow_none=True)
    capacity = ma.fields.Integer(allow_none=True)
    status = ma.fields.String(metadata={"enum": ["draft", "published", "cancelled"]})
    visibility = ma.fields.String(metadata={"enum": list(VISIBILITIES)})
    always_open = ma.fields.Boolean()
    sequence = ma.fields.Integer(metadata={"description": "iCalendar SEQUENCE: grows with each change"})
    organiser = ma.fields.Nested(PersonSchema)
    hosts = ma.fields.List(ma.fields.Nested(PersonSchema))
    going = ma.fields.Function(lambda e: _counts(e)["going"], metadata={"type": "integer"})
    waitlisted = ma.fields.Function(lambda e: _counts(e)["waitlisted"], metadata={"type": "integer"})
    links = _Whole(EventLinksSchema)
    series = ma.fields.Nested(lambda: SeriesBriefSchema(), allow_none=True,
                              metadata={"description": "the series this date belongs to, else null"})
    occurrence_start = ma.fields.AwareDateTime(allow_none=True, metadata={
        "description": "UTC: the start the series' rule gave this date (kept if the date is moved)"})


class SeriesBriefSchema(ma.Schema):
    id = ma.fields.Integer()
    rrule = ma.fields.String(metadata={"description": "RFC 5545 RRULE value; UNTIL in UTC"})
    repeats = ma.fields.Function(lambda s: describe(s), metadata={
        "type": "string", "description": "the rule in words, e.g. every month on the second Tuesday"})
    timezone = ma.fields.String(metadata={"description": "the rule is expanded in this zone"})
    links = _Whole(SeriesLinksSchema)


class SeriesDateSchema(ma.Schema):
    id = ma.fields.Integer()
    starts_at = ma.fields.AwareDateTime(metadata={"description": "UTC"})
    ends_at = ma.fields.AwareDateTime(metadata={"description": "UTC"})
    status = ma.fields.String(metadata={"enum": ["published", "cancelled"]})
    going = ma.fields.Function(lambda e: _counts(e)["going"], metadata={"type": "integer"})
    waitlisted = ma.fields.Function(lambda e: _counts(e)["waitlisted"], metadata={"type": "integer"})
    html = ma.fields.Function(lambda e: url_for("events.show", event_id=e.id), metadata=URL_PROPERTY)


class SeriesSchema(SeriesBriefSchema):
    title = ma.fields.String()
    description = ma.fields.String(attribute="description_md", metadata={"description": "markdown"})
    description_html = ma.fields.String()
    starts_at = ma.fields.AwareDateTime(metadata={"description": "UTC: the first date's start (DTSTART)"})
    sequence = ma.fields.Integer()
    cancelled = ma.fields.Function(lambda s: s.cancelled_at is not None, metadata={"type": "boolean"})
    organiser = ma.fields.Nested(PersonSchema)
    going_to_every_date = ma.fields.Boolean(metadata={"description": "you go to every date (signed in)"})
    dates = ma.fields.List(ma.fields.Nested(SeriesDateSchema), metadata={"description": "every date made so far, "
                           "oldest first: up to 12 ahead of now, more as they pass"})


class SeriesUpdateSchema(ma.Schema):
    title = ma.fields.String(validate=_v.Length(min=3, max=200))
    description = ma.fields.String(validate=_v.Length(max=10_000), metadata={"description": "markdown"})


class SeriesRsvpDateSchema(ma.Schema):
    event_id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": ["going", "waitlisted"]})


class SeriesRsvpSchema(ma.Schema):
    status = ma.fields.String(metadata={"enum": ["going", "not_going"],
                                        "description": "going: to every date, those made later too"})
    dates = ma.fields.List(ma.fields.Nested(SeriesRsvpDateSchema),
                           metadata={"description": "each date ahead: going, or waitlisted where it is full"})


EventPageSchema = page_schema(EventSchema, "EventPage")


class RsvpStateSchema(ma.Schema):
    status = ma.fields.String(metadata={"enum": ["going", "waitlisted", "not_going"]})


class AttendeeSchema(ma.Schema):
    user = ma.fields.Nested(PersonSchema)
    status = ma.fields.String(metadata={"enum": ["going", "waitlisted"]})
    created_at = ma.fields.AwareDateTime()


class AttendeeListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AttendeeSchema))


class MessageArgs(ma.Schema):
    since_id = ma.fields.Integer(validate=_v.Range(min=0, max=MAX_ID),
                                 metadata={"description": "only messages after this id"})


class MessageSchema(ma.Schema):
    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    user = ma.fields.Nested(PersonSchema)
    body = ma.fields.String(attribute="body_html", metadata={"description": "sanitized HTML"})
    text = ma.fields.String(attribute="body")
    kind = ma.fields.String(metadata={"enum": ["chat", "question", "answer"]})
    number = ma.fields.Integer(allow_none=True, metadata={"description": "TweetMeet question number"})
    client_id = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class MessageListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MessageSchema))


class QuestionCreateSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=_v.Length(min=3, max=500))
    offset_min = ma.fields.Integer(required=True, strict=True, validate=_v.Range(min=0, max=MAX_DURATION_MIN),
                                   metadata={"description": "minutes after the start"})


class QuestionUpdateSchema(ma.Schema):
    body = ma.fields.String(validate=_v.Length(min=3, max=500),
                            metadata={"description": "a posted question changes in the room too"})
    offset_min = ma.fields.Integer(strict=True, validate=_v.Range(min=0, max=MAX_DURATION_MIN),
                                   metadata={"description": "minutes after the start; not once posted"})


class QuestionSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.Integer()
    body = ma.fields.String()
    offset_min = ma.fields.Integer()
    posted_at = ma.fields.AwareDateTime(allow_none=True)


class QuestionListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(QuestionSchema))
