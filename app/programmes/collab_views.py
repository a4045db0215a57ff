"""The collaboration board's pages: requests, offers, suggested matches and
the member's own availability. Added to programmes.bp."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.api_support import paginate_request
from app.exceptions import ServiceError
from app.form_errors import attach_errors
from app.programmes import clock, collaborate, hours
from app.programmes.forms import AvailabilityForm, BoardFilterForm, CollabRequestForm, ConfirmForm, OfferForm
from app.programmes.views import bp, message_of
from app.resources.forms import LANGUAGES, language_name
from app.template_helpers import viewer_timezone
from app.vocabulary import AGE_RANGES, SUBJECTS

PER_PAGE = 20


def _hours_from(form) -> dict | None:
    start, end = hours.parse_minute(form.start.data), hours.parse_minute(form.end.data)
    if start is None:
        form.start.errors = [*form.start.errors, _("Write the time as HH:MM, e.g. 14:00.")]
    if end is None:
        form.end.errors = [*form.end.errors, _("Write the time as HH:MM, e.g. 15:00.")]
    if start is None or end is None:
        return None
    return {"weekdays": form.weekdays.data or [], "start_minute": start, "end_minute": end}


@bp.get("/collaborate")
def board():
    form = BoardFilterForm(request.args)
    subject = form.subject.data if form.subject.data in SUBJECTS else None
    language = form.language.data if form.language.data in LANGUAGES else None
    result = paginate_request(collaborate.open_requests(subject=subject, language=language), PER_PAGE)
    suggested = collaborate.suggestions_for_member(current_user) if current_user.is_authenticated else []
    return render_template("programmes/board.html", form=form, result=result, suggested=suggested,
                           window_label=window_label, language_name=language_name,
                           availability=collaborate.availability_of(current_user))


def window_label(item) -> str:
    """When the request's hours are on the viewer's clock (this coming week),
    then on the poster's own when that is another zone."""
    viewer_zone = viewer_timezone()
    monday = hours.reference_monday(clock.utcnow().date())
    shown = hours.window_in_zone(item.timezone, item.weekday_numbers, item.start_minute, item.end_minute, monday,
                                 viewer_zone)
    if viewer_zone == item.timezone:
        return shown
    own = hours.window_label(item.weekday_numbers, item.start_minute, item.end_minute)
    return _("%(shown)s (%(own)s in %(zone)s, the poster's time)", shown=shown, own=own,
             zone=item.timezone.replace("_", " "))


@bp.route("/collaborate/new", methods=["GET", "POST"])
@login_required
def new_request():
    form = CollabRequestForm(data=None if request.method == "POST" else {"timezone": current_user.timezone})
    status = 200
    if form.validate_on_submit():
        window = _hours_from(form)
        if window is not None:
            try:
                item = collaborate.create_request(
                    current_user, title=form.title.data, body=form.body.data, subject=form.subject.data,
                    age_range=form.age_range.data, language=form.language.data, timezone=form.timezone.data,
                    **window)
            except ServiceError as error:
                attach_errors(form, error)
                status = error.status
            else:
                flash(_("Your request is on the board."), "success")
                return redirect(url_for(".collab_request", request_id=item.id))
        else:
            status = 422
    elif form.is_submitted():
        status = 422
    return render_template("programmes/request_form.html", form=form, subjects=SUBJECTS,
                           age_ranges=AGE_RANGES), status


@bp.get("/collaborate/<int:request_id>")
def collab_request(request_id: int):
    item = collaborate.get_request(request_id)
    own = current_user.is_authenticated and current_user.id == item.author_id
    viewer_match = collaborate.match_for(item, current_user) if current_user.is_authenticated and not own else None
    return render_template(
        "programmes/request.html", item=item, own=own, offer_form=OfferForm(), confirm_form=ConfirmForm(),
        helpers=collaborate.suggestions_for_request(item) if own else [], viewer_match=viewer_match,
        window_label=window_label(item), language_name=language_name,
        offered=current_user.is_authenticated and any(o.user_id == current_user.id for o in item.offers),
        offers=collaborate.visible_offers(item, current_user),
        show_offers=collaborate.can_see_offers(item, current_user),
    )


@bp.post("/collaborate/<int:request_id>/offers")
@login_required
def offer(request_id: int):
    item = collaborate.get_request(request_id)
    form = OfferForm()
    if form.validate_on_submit():
        try:
            collaborate.offer_help(item, current_user, form.message.data)
        except ServiceError as error:
            flash(message_of(error), "error")
        else:
            flash(_("%(name)s has your offer and will be in touch.", name=item.author.display_name), "success")
    else:
        flash(_("Say how you can help."), "error")
    return redirect(url_for(".collab_request", request_id=item.id, _anchor="offers"))


@bp.post("/collaborate/<int:request_id>/close")
@login_required
def close_request(request_id: int):
    item = collaborate.get_request(request_id)
    if ConfirmForm().validate_on_submit():
        collaborate.close_request(item, current_user)
        flash(_("Request closed. Thank you for updating the board."), "info")
    return redirect(url_for(".collab_request", request_id=item.id))


@bp.route("/collaborate/availability", methods=["GET", "POST"])
@login_required
def availability():
    row = collaborate.availability_of(current_user)
    data = None
    if request.method == "GET" and row is not None:
        data = {"languages": row.language_codes, "weekdays": [str(d) for d in row.weekday_numbers],
                "start": hours.minute_label(row.start_minute), "end": hours.minute_label(row.end_minute)}
    form = AvailabilityForm(data=data)
    status = 200
    if form.validate_on_submit():
        window = _hours_from(form)
        if window is not None:
            try:
                collaborate.set_availability(current_user, languages=form.languages.data, **window)
            except ServiceError as error:
                attach_errors(form, error)
                status = error.status
            else:
                flash(_("Saved. The board suggests requests that fit these hours and languages."), "success")
                return redirect(url_for(".board"))
        else:
            status = 422
    elif form.is_submitted():
        status = 422
    return render_template("programmes/availability.html", form=form), status
