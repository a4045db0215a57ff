"""Repeating events in the JSON API: a series, its dates, going to every
date, editing and cancelling it, and its .ics. A series is made by
POST /events with `rrule`; one date is cancelled with /events/<id>/cancel."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from app import links
from app.api_support import api_login_required
from app.events import calendar, series
from app.events.api import blp
from app.events.schemas import SeriesRsvpSchema, SeriesSchema, SeriesUpdateSchema


def _shown(found):
    """The series with its dates and whether the viewer goes to every one."""
    found.dates = series.dates(found)
    found.going_to_every_date = series.is_member(found, current_user)
    return found


@blp.get("/event-series/<int:series_id>")
@blp.response(200, SeriesSchema)
def get_series(series_id):
    """A series: its rule (and in words), every date made so far with its places, and whether you go to all."""
    return _shown(series.get_for_viewer(series_id, current_user))


@blp.patch("/event-series/<int:series_id>")
@api_login_required
@blp.arguments(SeriesUpdateSchema)
@blp.response(200, SeriesSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def update_series(data, series_id):
    """Change the title or description of every date ahead and of those made later (organiser, hosts, moderators)."""
    found = series.get_for_viewer(series_id, current_user)
    return _shown(series.update_series(found, current_user, **data))


@blp.post("/event-series/<int:series_id>/cancel")
@api_login_required
@blp.response(200, SeriesSchema)
@blp.alt_response(403, response="FORBIDDEN")
def cancel_series(series_id):
    """Cancel every date still ahead (each date's attendees are told); no more dates are made."""
    found = series.get_for_viewer(series_id, current_user)
    return _shown(series.cancel_series(found, current_user))


@blp.post("/event-series/<int:series_id>/rsvp")
@api_login_required
@blp.response(200, SeriesRsvpSchema)
@blp.alt_response(409, response="CONFLICT")
def rsvp_series(series_id):
    """Go to every date ahead and to those made later; a full date puts you on its waitlist."""
    found = series.get_for_viewer(series_id, current_user)
    statuses = series.rsvp_series(found, current_user)
    return {"status": "going", "dates": [{"event_id": key, "status": value} for key, value in statuses.items()]}


@blp.delete("/event-series/<int:series_id>/rsvp")
@api_login_required
@blp.response(200, SeriesRsvpSchema)
def cancel_series_rsvp(series_id):
    """Go to no date ahead any more (each freed place goes to that date's waitlist)."""
    series.cancel_series_rsvp(series.get_for_viewer(series_id, current_user), current_user)
    return {"status": "not_going", "dates": []}


@blp.get("/event-series/<int:series_id>/calendar.ics")
@blp.response(200, {"type": "string"}, content_type="text/calendar",
              description="One repeating VEVENT: DTSTART with TZID and its VTIMEZONE, RRULE, EXDATE per cancelled "
                          "date, RECURRENCE-ID overrides for dates moved on their own.")
def series_calendar(series_id):
    """The series as one .ics file for any calendar app."""
    found = series.get_for_viewer(series_id, current_user)
    return Response(calendar.series_ics(found, series.dates(found), links.site_url()), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="staffroom-series-{found.id}.ics"'})
