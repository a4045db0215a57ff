"""Event pages: lists, one event, organising, RSVPs, calendars, the room.

Thin views: parse the form, call one service, render. The room page is a
server-rendered transcript that static/js/room.js turns live.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required

from app import links
from app.api_support import paginate_request
from app.db_types import utcnow
from app.events import calendar, chat, meeting, qa, series, services, tweetmeet
from app.events import rsvp as rsvps
from app.events.forms import ConfirmForm, EventFilterForm, EventForm, QuestionForm
from app.events.models import KINDS
from app.exceptions import ServiceError
from app.form_errors import attach_errors
from app.i18n import N_, translate
from app.spreadsheet import safe_cell
from app.template_helpers import localtime

bp = Blueprint("events", __name__)
PER_PAGE = 20


def _list_extras(events) -> dict:
    ids = [event.id for event in events]
    return {"counts": rsvps.rsvp_counts(ids), "mine": rsvps.statuses_for(current_user, ids)}


# Lists ----------------------------------------------------------------------------------

@bp.get("/events")
def index():
    form = EventFilterForm(request.args)
    filters = form.filters()
    now = utcnow()
    live = services.live_now(current_user, now=now, **filters)
    result = paginate_request(services.upcoming_query(current_user, now=now, **filters), PER_PAGE)
    week_end = now + timedelta(days=7)
    this_week = [e for e in result["items"] if e.starts_at <= week_end]
    later = [e for e in result["items"] if e.starts_at > week_end]
    drafts = services.drafts_of(current_user)
    return render_template("events/index.html", form=form, filters=filters, live=live, this_week=this_week,
                           later=later, result=result, drafts=drafts, **_list_extras([*live, *result["items"]]))


@bp.get("/events/past")
def past():
    form = EventFilterForm(request.args)
    filters = form.filters()
    result = paginate_request(services.past_query(current_user, **filters), PER_PAGE)
    ids = [event.id for event in result["items"]]
    return render_template("events/past.html", form=form, filters=filters, result=result,
                           transcripts=chat.message_counts(ids), **_list_extras(result["items"]))


# One event ---------------------------------------------------------------------------------

@bp.get("/events/<int:event_id>")
def show(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    counts = rsvps.rsvp_counts([event.id])[event.id]
    manage = services.can_manage(event, current_user)
    status = rsvps.rsvp_status(event, current_user)
    return render_template(
        "events/show.html", event=event, counts=counts, manage=manage, phase=chat.phase(event),
        repeating=_series_extras(event.series) if event.series else None,
        status=status, confirm_form=ConfirmForm(), meeting=meeting.for_viewer(event, current_user, status=status),
        add_links=calendar.add_links(event, links.site_url()), now=utcnow(),
        questions=tweetmeet.questions(event) if event.kind == "tweetmeet" and manage else [],
    )


JOIN_REFUSED = {
    "none": N_("This event has no link to join a call."),
    "hidden": N_("Only members going to this event get the link to join the call."),
    "over": N_("This event is over: the link to join is no longer shown."),
}


@bp.get("/events/<int:event_id>/join")
@login_required
def join(event_id: int):
    """The call itself, as its link is now, for those who may join now; the
    event page with the reason otherwise. Reminder mail links here."""
    event = services.get_for_viewer(event_id, current_user)
    view = meeting.for_viewer(event, current_user)
    if view.state == "open":
        response = redirect(view.url)
        # The call's site learns nothing of the page, and nothing keeps the address.
        response.headers.update({"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})
        return response
    if view.state == "soon":
        flash(gettext("The link to join appears 15 minutes before the start, at %(time)s.",
                      time=localtime(view.shown_from, "%H:%M")), "info")
    else:
        flash(gettext(JOIN_REFUSED[view.state]), "info")
    return redirect(url_for(".show", event_id=event.id))


def _series_extras(found) -> dict:
    """A date's series on its page: the rule in words, the next dates with
    their places and the viewer's answers, whether they go to every date."""
    ahead = series.upcoming(found)[:8]
    ids = [event.id for event in ahead]
    return {"series": found, "words": series.describe(found), "dates": ahead, "counts": rsvps.rsvp_counts(ids),
            "mine": rsvps.statuses_for(current_user, ids), "member": series.is_member(found, current_user),
            "hosting": current_user.is_authenticated and any(row.user_id == current_user.id
                                                             for event in ahead for row in event.host_rows)}


def _form_page(form: EventForm, event=None, status: int = 200):
    return render_template("events/form.html", form=form, event=event), status


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new():
    form = EventForm()
    if request.method == "GET":
        form.timezone.data = current_user.timezone or "UTC"
        form.country.data = current_user.country or ""
    if form.validate_on_submit():
        try:
            event = services.create_event(current_user, rrule=_repeat_rule(form),
                                          **form.fields(moderator=current_user.is_moderator))
        except ServiceError as error:
            attach_errors(form, _form_names(error))
            return _form_page(form, status=422 if error.status == 400 else error.status)
        flash(_created(event), "success")
        return redirect(url_for(".show", event_id=event.id))
    return _form_page(form, status=422 if form.is_submitted() else 200)


def _created(event) -> str:
    if event.status == "draft":
        return gettext("“%(title)s” is saved as a draft: only its hosts can see it.", title=event.title)
    if event.series:
        count = len(series.dates(event.series))
        return ngettext("“%(title)s” is published, with its next %(num)s date.",
                        "“%(title)s” is published, with its next %(num)s dates.", count, title=event.title)
    return gettext("“%(title)s” is published.", title=event.title)


def _repeat_rule(form: EventForm) -> str | None:
    """The form's repeat choice as an RRULE (series.build_rule), or None."""
    if not form.repeat.data or form.local_start() is None:
        return None
    return series.build_rule(form.repeat.data, form.local_start(), form.repeat_count.data, form.repeat_until.data)


def _form_names(error: ServiceError) -> ServiceError:
    """The service speaks of starts_at and rrule; the form has a date and a
    time, and a repeat choice."""
    for name, field in (("starts_at", "start_time"), ("rrule", "repeat")):
        if name in error.fields:
            error.fields[field] = error.fields.pop(name)
    return error


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    services.require_manager(event, current_user)
    form = EventForm(obj=None if request.method == "POST" else _event_data(event))
    if form.validate_on_submit():
        try:
            services.update_event(event, current_user, **form.fields(with_status=event.status == "draft",
                                                                     moderator=current_user.is_moderator))
        except ServiceError as error:
            if error.status == 403:
                raise
            attach_errors(form, _form_names(error))
            return _form_page(form, event, error.status)
        flash(gettext("Event saved. Those going have been told of any change to its time or place."), "success")
        return redirect(url_for(".show", event_id=event.id))
    return _form_page(form, event, 422 if form.is_submitted() else 200)


def _event_data(event):
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    return SimpleNamespace(
        title=event.title, kind=event.kind, description=event.description_md, start_date=local.date(),
        start_time=local.time().replace(second=0, microsecond=0), timezone=event.timezone,
        duration_min=event.duration_min, hosts=", ".join(u.username for u in event.hosts[1:]),
        hashtag=f"#{event.hashtag}" if event.hashtag else "", is_online="1" if event.is_online else "0",
        meeting_url=event.meeting_url or "",
        location=event.location, city=event.city, country=event.country or "", capacity=event.capacity,
        visibility=event.visibility, status=event.status, always_open=event.always_open,
    )


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    services.require_manager(event, current_user)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.cancel_event(event, current_user)
        flash(gettext("“%(title)s” is cancelled. Everyone who was going has been told.", title=event.title), "info")
        return redirect(url_for(".show", event_id=event.id))
    return render_template("events/cancel.html", event=event, form=form)


@bp.post("/events/<int:event_id>/rsvp")
@login_required
def rsvp(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            status = rsvps.rsvp(event, current_user)
        except ServiceError as error:
            flash(translate(error.message), "error")
        else:
            flash(gettext("You are going. It is in your calendar feed.") if status == "going"
                  else gettext("The event is full: you are on the waitlist, and we will tell you if a place opens up."),
                  "success")
    return redirect(url_for(".show", event_id=event_id))


@bp.post("/events/<int:event_id>/rsvp/cancel")
@login_required
def cancel_rsvp(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            rsvps.cancel_rsvp(event, current_user)
        except ServiceError as error:
            flash(translate(error.message), "error")
        else:
            flash(gettext("You are no longer going."), "info")
    return redirect(url_for(".show", event_id=event_id))


@bp.get("/events/<int:event_id>/attendees")
@login_required
def attendees(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    return render_template("events/attendees.html", event=event, rows=rsvps.attendees(event, current_user))


@bp.get("/events/<int:event_id>/attendees.csv")
@login_required
def attendees_csv(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    rows = rsvps.attendees(event, current_user)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", "name", "country", "school", "status", "rsvp_at_utc"])
    for row in rows:
        user = row.user
        writer.writerow([safe_cell(v) for v in (user.username, user.display_name, user.country, user.school,
                                                row.status, row.created_at.isoformat())])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="event-{event.id}-attendees.csv"'})


def ics_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/events/<int:event_id>/calendar.ics")
def ics(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    return ics_response(calendar.event_ics(event, links.site_url()), f"staffroom-event-{event.id}.ics")


# The room --------------------------------------------------------------------------------

@bp.get("/events/<int:event_id>/room")
def room(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    phase = chat.phase(event)
    if phase == "closed" or not current_user.is_authenticated:
        return render_template("events/archive.html", event=event, phase=phase, transcript=chat.transcript(event))
    return render_template(
        "events/room.html", event=event, phase=phase, messages=chat.history(event),
        info=chat.room_info(event, current_user), panel=qa.panel(event, current_user), has_panel=qa.has_panel(event),
        confirm_form=ConfirmForm(), send_limit=chat.MAX_BODY, meeting=meeting.for_viewer(event, current_user),
        now=utcnow(),
    )


@bp.post("/events/<int:event_id>/room/open")
@login_required
def open_room(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    if ConfirmForm().validate_on_submit():
        chat.open_early(event, current_user)
        flash(gettext("The room is open."), "success")
    return redirect(url_for(".room", event_id=event.id))


@bp.route("/events/<int:event_id>/questions", methods=["GET", "POST"])
@login_required
def questions(event_id: int):
    event = services.get_for_viewer(event_id, current_user)
    services.require_manager(event, current_user)
    form = QuestionForm()
    status = 200
    if form.validate_on_submit():
        try:
            question = tweetmeet.add_question(event, current_user, form.body.data, form.offset_min.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("Q%(number)s is ready.", number=question.number), "success")
            return redirect(url_for(".questions", event_id=event.id))
    elif form.is_submitted():
        status = 422
    return render_template("events/questions.html", event=event, form=form, questions=tweetmeet.questions(event),
                           scheduled_at=tweetmeet.scheduled_at, confirm_form=ConfirmForm(),
                           next_question=tweetmeet.next_question(event), room_open=chat.is_open(event)), status


@bp.route("/events/<int:event_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(event_id: int, question_id: int):
    event = services.get_for_viewer(event_id, current_user)
    services.require_manager(event, current_user)
    question = tweetmeet.get_question(event, question_id)
    form = QuestionForm(obj=None if request.method == "POST" else question)
    status = 200
    if form.validate_on_submit():
        try:
            chat.edit_question(event, current_user, question.id, body=form.body.data,
                               offset_min=form.offset_min.data)
        except ServiceError as error:
            if error.status == 403:
                raise
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("Q%(number)s is saved. The room shows the new text.", number=question.number)
                  if question.posted_at else gettext("Q%(number)s is saved.", number=question.number), "success")
            return redirect(url_for(".questions", event_id=event.id))
    elif form.is_submitted():
        status = 422
    return render_template("events/edit_question.html", event=event, question=question, form=form), status


@bp.post("/events/<int:event_id>/questions/next")
@login_required
def post_next_question(event_id: int):
    """The next question, now (hosts); back to the room or the questions page."""
    event = services.get_for_viewer(event_id, current_user)
    to_room = request.form.get("back") == "room"
    if ConfirmForm().validate_on_submit():
        try:
            message = chat.post_next_question(event, current_user)
        except ServiceError as error:
            if error.status == 403:
                raise
            flash(translate(error.message), "error")
        else:
            flash(gettext("Q%(number)s is posted in the room.", number=message.number), "success")
    return redirect(url_for(".room" if to_room else ".questions", event_id=event.id))


@bp.post("/events/<int:event_id>/questions/<int:question_id>/delete")
@login_required
def delete_question(event_id: int, question_id: int):
    event = services.get_for_viewer(event_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            tweetmeet.delete_question(event, current_user, question_id)
        except ServiceError as error:
            if error.status == 403:
                raise
            flash(translate(error.message), "error")
        else:
            flash(gettext("Question removed; the others keep their numbers."), "info")
    return redirect(url_for(".questions", event_id=event.id))


# The personal calendar feed ---------------------------------------------------------------------

@bp.get("/events/calendar")
@login_required
def calendar_page():
    token = calendar.feed_token(current_user)
    feed_url = links.absolute_url("events.feed", token=token)
    return render_template("events/calendar.html", feed_url=feed_url, form=ConfirmForm(),
                           events=rsvps.events_going(current_user, since=utcnow()))


@bp.post("/events/calendar/reset")
@login_required
def reset_calendar():
    if ConfirmForm().validate_on_submit():
        calendar.reset_feed(current_user)
        flash(gettext("Your calendar feed has a new address. Calendars using the old one stop updating."), "info")
    return redirect(url_for(".calendar_page"))


@bp.get("/events/calendar/<token>.ics")
def feed(token: str):
    user = calendar.user_for_feed(token)
    if user is None:
        abort(404)
    return ics_response(calendar.feed_ics(user, links.site_url()), "staffroom-events.ics")


@bp.app_template_filter("event_kind")
def event_kind(kind: str) -> str:
    return translate(KINDS.get(kind, kind))

