"""Pages of a repeating event: the series' address (its next date), going
to every date, editing every date ahead, cancelling them, its .ics.

A series has no page of its own: each date's page shows it (views.show)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required

from app import links
from app.events import calendar, series
from app.events.forms import ConfirmForm, SeriesForm
from app.events.views import bp, ics_response
from app.exceptions import ServiceError
from app.form_errors import attach_errors
from app.i18n import translate
from app.params import to_id


def _back(found):
    """The date the form was sent from, else the series' next date."""
    event_id = to_id(request.form.get("event_id"))
    if event_id is not None and any(event.id == event_id for event in series.dates(found)):
        return redirect(url_for(".show", event_id=event_id))
    return redirect(url_for(".series_page", series_id=found.id))


@bp.get("/events/series/<int:series_id>")
def series_page(series_id: int):
    found = series.get_for_viewer(series_id, current_user)
    return redirect(url_for(".show", event_id=series.next_date(found).id))


@bp.get("/events/series/<int:series_id>/calendar.ics")
def series_ics(series_id: int):
    found = series.get_for_viewer(series_id, current_user)
    return ics_response(calendar.series_ics(found, series.dates(found), links.site_url()),
                        f"staffroom-series-{found.id}.ics")


@bp.post("/events/series/<int:series_id>/rsvp")
@login_required
def series_rsvp(series_id: int):
    found = series.get_for_viewer(series_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            answers = series.rsvp_series(found, current_user)
        except ServiceError as error:
            flash(translate(error.message), "error")
        else:
            full = sum(1 for status in answers.values() if status == "waitlisted")
            going = gettext("You are going to every date, and to those added later.")
            if full:
                going += " " + ngettext("%(num)s of them is full: you are on the waitlist there.",
                                        "%(num)s of them are full: you are on the waitlist there.", full)
            flash(going, "success")
    return _back(found)


@bp.post("/events/series/<int:series_id>/rsvp/cancel")
@login_required
def cancel_series_rsvp(series_id: int):
    found = series.get_for_viewer(series_id, current_user)
    if ConfirmForm().validate_on_submit():
        series.cancel_series_rsvp(found, current_user)
        flash(gettext("You are no longer going to any date of this series."), "info")
    return _back(found)


@bp.route("/events/series/<int:series_id>/edit", methods=["GET", "POST"])
@login_required
def edit_series(series_id: int):
    found = series.get_for_viewer(series_id, current_user)
    series.require_manager(found, current_user)
    form = SeriesForm(obj=None if request.method == "POST" else
                      SimpleNamespace(title=found.title, description=found.description_md))
    status = 200
    if form.validate_on_submit():
        try:
            series.update_series(found, current_user, title=form.title.data, description=form.description.data or "")
        except ServiceError as error:
            if error.status == 403:
                raise
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("Saved for every date ahead, and for the dates added later."), "success")
            return redirect(url_for(".series_page", series_id=found.id))
    elif form.is_submitted():
        status = 422
    return render_template("events/series_form.html", series=found, words=series.describe(found), form=form), status


@bp.route("/events/series/<int:series_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_series(series_id: int):
    found = series.get_for_viewer(series_id, current_user)
    series.require_manager(found, current_user)
    form = ConfirmForm()
    if form.validate_on_submit():
        series.cancel_series(found, current_user)
        flash(gettext("Every date ahead of “%(title)s” is cancelled. Everyone going has been told.",
                      title=found.title), "info")
        return redirect(url_for(".series_page", series_id=found.id))
    return render_template("events/series_cancel.html", series=found, words=series.describe(found),
                           ahead=series.upcoming(found), form=form)


@bp.app_template_filter("repeats")
def repeats(found) -> str:
    """A series' rule in a few words, for event cards."""
    return series.describe(found, short=True)
