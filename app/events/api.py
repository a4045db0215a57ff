"""Events in the JSON API under /api/v1: thin over the same services as the
pages and the live room."""

from __future__ import annotations

from flask import Response, g
from flask_login import current_user
from flask_smorest import Blueprint

from app import links
from app.api_support import api_login_required, exempt_from_form_csrf, paginate
from app.events import calendar, chat, services, tweetmeet
from app.events import rsvp as rsvps
from app.events.schemas import (
    AttendeeListSchema,
    EventCreateSchema,
    EventListArgs,
    EventPageSchema,
    EventSchema,
    EventUpdateSchema,
    MessageArgs,
    MessageListSchema,
    MessageSchema,
    QuestionCreateSchema,
    QuestionListSchema,
    QuestionSchema,
    QuestionUpdateSchema,
    RsvpStateSchema,
    api_fields,
)

blp = Blueprint("events_api", __name__, url_prefix="/api/v1", description="Events, RSVPs, calendars and transcripts")
exempt_from_form_csrf(blp)


def _with_counts(events):
    """RSVP counts and the viewer's own RSVPs, read once for a whole list."""
    ids = [event.id for event in events]
    counts = rsvps.rsvp_counts(ids)
    mine = rsvps.statuses_for(current_user, ids)
    g.event_rsvp_statuses = {event_id: mine.get(event_id) for event_id in ids}  # schemas._meeting
    for event in events:
        event.preloaded_rsvp_counts = counts[event.id]
    return events


@blp.get("/events")
@blp.arguments(EventListArgs, location="query")
@blp.response(200, EventPageSchema)
def list_events(args):
    """Upcoming (soonest first; a series once, at its next date), past (latest first) or live now; filter by kind
    and country."""
    page, per_page = args.pop("page"), args.pop("per_page")
    when = args.pop("when")
    if when == "live":
        events = services.live_now(current_user, **args)
        start = (page - 1) * per_page
        result = {"items": events[start:start + per_page], "page": page, "per_page": per_page, "total": len(events)}
    else:
        query = services.upcoming_query if when == "upcoming" else services.past_query
        result = paginate(query(current_user, **args), page, per_page)
    _with_counts(result["items"])
    return result


@blp.post("/events")
@api_login_required
@blp.arguments(EventCreateSchema)
@blp.response(201, EventSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_event(data):
    """Create an event; `starts_at` carries its offset and is stored in UTC."""
    return services.create_event(current_user, **api_fields(data))


@blp.get("/events/<int:event_id>")
@blp.response(200, EventSchema)
def get_event(event_id):
    """An event. Drafts exist only for their hosts; members-only events only for members."""
    return services.get_for_viewer(event_id, current_user)


@blp.patch("/events/<int:event_id>")
@api_login_required
@blp.arguments(EventUpdateSchema)
@blp.response(200, EventSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def update_event(data, event_id):
    """Change an event (organiser, hosts, moderators); attendees hear of new times or places."""
    event = services.get_for_viewer(event_id, current_user)
    return services.update_event(event, current_user, **api_fields(data))


@blp.post("/events/<int:event_id>/cancel")
@api_login_required
@blp.response(200, EventSchema)
@blp.alt_response(403, response="FORBIDDEN")
def cancel_event(event_id):
    """Cancel an event; everyone going or waitlisted is told, calendars show it cancelled."""
    return services.cancel_event(services.get_for_viewer(event_id, current_user), current_user)


@blp.post("/events/<int:event_id>/rsvp")
@api_login_required
@blp.response(200, RsvpStateSchema)
@blp.alt_response(409, response="CONFLICT")
def rsvp(event_id):
    """Going: `going`, or `waitlisted` when the event is full (promoted in order as places free up)."""
    return {"status": rsvps.rsvp(services.get_for_viewer(event_id, current_user), current_user)}


@blp.delete("/events/<int:event_id>/rsvp")
@api_login_required
@blp.response(200, RsvpStateSchema)
@blp.alt_response(409, response="CONFLICT")
def cancel_rsvp(event_id):
    """Not going any more; the first on the waitlist gets the place. Refused (409) once the event is over."""
    return {"status": rsvps.cancel_rsvp(services.get_for_viewer(event_id, current_user), current_user)}


@blp.get("/events/<int:event_id>/attendees")
@api_login_required
@blp.response(200, AttendeeListSchema)
@blp.alt_response(403, response="FORBIDDEN")
def list_attendees(event_id):
    """Going, then the waitlist in order (organiser, hosts, moderators)."""
    event = services.get_for_viewer(event_id, current_user)
    return {"items": rsvps.attendees(event, current_user)}


@blp.get("/events/<int:event_id>/calendar.ics")
@blp.response(200, {"type": "string"}, content_type="text/calendar",
              description="An iCalendar file: UTC times, a stable UID, SEQUENCE, STATUS.")
def event_calendar(event_id):
    """The event as an .ics file for any calendar app."""
    event = services.get_for_viewer(event_id, current_user)
    return Response(calendar.event_ics(event, links.site_url()), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="staffroom-event-{event.id}.ics"'})


@blp.get("/events/<int:event_id>/messages")
@blp.arguments(MessageArgs, location="query")
@blp.response(200, MessageListSchema)
def list_messages(args, event_id):
    """The room's messages: the last 50, or all after `since_id` (what the live room's join returns)."""
    event = services.get_for_viewer(event_id, current_user)
    return {"items": chat.history(event, args.get("since_id"))}


@blp.get("/events/<int:event_id>/questions")
@api_login_required
@blp.response(200, QuestionListSchema)
@blp.alt_response(403, response="FORBIDDEN")
def list_questions(event_id):
    """A TweetMeet's prepared questions (hosts)."""
    event = services.get_for_viewer(event_id, current_user)
    services.require_manager(event, current_user)
    return {"items": tweetmeet.questions(event)}


@blp.post("/events/<int:event_id>/questions")
@api_login_required
@blp.arguments(QuestionCreateSchema)
@blp.response(201, QuestionSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def add_question(data, event_id):
    """Prepare the next TweetMeet question, posted `offset_min` minutes after the start."""
    event = services.get_for_viewer(event_id, current_user)
    return tweetmeet.add_question(event, current_user, data["body"], data["offset_min"])


@blp.patch("/events/<int:event_id>/questions/<int:question_id>")
@api_login_required
@blp.arguments(QuestionUpdateSchema)
@blp.response(200, QuestionSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def edit_question(data, event_id, question_id):
    """Change a question's text or time (hosts). A posted one keeps its time; the room shows its new text."""
    event = services.get_for_viewer(event_id, current_user)
    return chat.edit_question(event, current_user, question_id, body=data.get("body"),
                              offset_min=data.get("offset_min"))


@blp.post("/events/<int:event_id>/questions/next")
@api_login_required
@blp.response(201, MessageSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def post_next_question(event_id):
    """Post the next TweetMeet question in the room now, ahead of its time (hosts, while the room is open)."""
    return chat.post_next_question(services.get_for_viewer(event_id, current_user), current_user)


@blp.delete("/events/<int:event_id>/questions/<int:question_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def delete_question(event_id, question_id):
    """Remove a question that has not been posted yet."""
    tweetmeet.delete_question(services.get_for_viewer(event_id, current_user), current_user, question_id)
    return None
