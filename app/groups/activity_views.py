"""Activity pages (log, show, edit, delete, kudos, comments) and the
member's own fitness page with its CSV export. Same blueprint as the group
pages (`groups`); imported by the app factory so the routes exist."""

from __future__ import annotations

from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app import storage
from app.api_support import paginate_request
from app.db_types import utcnow
from app.exceptions import ServiceError
from app.form_errors import attach_errors
from app.groups import access, activities, charts, export, photos, social, stats, tracks, units
from app.groups.forms import ActivityForm, CommentForm, ConfirmForm, PhotoForm, UnitForm
from app.groups.gpx import MAX_GPX_BYTES
from app.groups.views import bp, distance_filter, viewer_unit
from app.i18n import translate
from app.params import to_id
from app.uploads.held import HeldFile


def _return_group() -> int | None:
    """?group=<id> on the log form: go back to that group's page afterwards."""
    group_id = to_id(request.args.get("group"))
    if group_id and access.membership(group_id, current_user) is not None:
        return group_id
    return None


def _held_gpx(form: ActivityForm) -> HeldFile:
    return HeldFile(form, field="gpx", key="activity-new",
                    read=lambda stream: stream.read(MAX_GPX_BYTES + 1),  # one byte more than allowed: refused
                    check=lambda data, _name: tracks.read(data))


def _gpx_bytes(held: HeldFile) -> bytes | None:
    posted = held.upload()
    return posted[0] if posted is not None else None


def _fields(form: ActivityForm, unit: str) -> dict:
    return {
        "sport": form.sport.data,
        "distance_m": units.to_metres(form.distance.data, unit) if form.distance.data is not None else None,
        "duration_s": form.duration.data, "day": form.date.data, "start_time": form.start_time.data,
        "title": form.title.data or "", "notes": form.notes.data or "", "visibility": form.visibility.data,
    }


def _label_units(form: ActivityForm, unit: str) -> None:
    form.distance.label.text = gettext("Distance (%(unit)s)", unit=unit)


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def new_activity():
    unit = viewer_unit()
    form = ActivityForm()
    _label_units(form, unit)
    if request.method == "GET":
        now = utcnow().astimezone(ZoneInfo(current_user.timezone or "UTC"))
        form.date.data = now.date()
        form.start_time.data = now.time().replace(second=0, microsecond=0)
    held = _held_gpx(form)
    status = 200
    if form.validate_on_submit():
        try:
            activity = activities.log_activity(current_user, **_fields(form, unit), gpx_data=_gpx_bytes(held),
                                               unit=unit)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("“%(title)s” is logged: %(distance)s.", title=activity.title,
                          distance=distance_filter(activity.distance_m, unit)), "success")
            group_id = _return_group()
            if group_id:
                return redirect(url_for(".show", group_id=group_id))
            return redirect(url_for(".activity", activity_id=activity.id))
    elif form.is_submitted():
        status = 422
    return render_template("groups/activity_form.html", form=form, activity=None, unit=unit,
                           return_group=_return_group(), held=held.keep()), status


@bp.get("/activities/<int:activity_id>")
def activity(activity_id: int):
    item = activities.get_visible(activity_id, current_user)
    extras = social.extras([item], current_user)[item.id]
    return render_template("groups/activity.html", activity=item, extras=extras,
                           groups=activities.counting_groups(item) if current_user.is_authenticated
                           and current_user.id == item.user_id else [],
                           local=activities.local_start(item), comment_form=CommentForm(), confirm_form=ConfirmForm(),
                           photos=photos.photos_of(item), photo_form=PhotoForm(), max_photos=photos.MAX_PHOTOS)


# Photos -------------------------------------------------------------------------------------------

@bp.post("/activities/<int:activity_id>/photos")
@login_required
def add_photo(activity_id: int):
    item = activities.get_own(activity_id, current_user)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            photos.add_photo(item, current_user, form.photo.data.read(), form.alt_text.data)
        except ServiceError as error:
            flash(translate(next(iter(error.fields.values()), error.message)), "error")
        else:
            flash(gettext("Photo added."), "success")
    else:
        errors = " ".join(map(str, form.photo.errors + form.alt_text.errors))
        flash(errors or gettext("The form expired. Please try again."), "error")
    return redirect(url_for(".activity", activity_id=item.id) + "#photos-heading")


@bp.get("/activities/<int:activity_id>/photos/<int:photo_id>.jpg")
def photo(activity_id: int, photo_id: int):
    """The photo, to whoever may see the activity; shared caches keep only public ones."""
    item = activities.get_visible(activity_id, current_user)
    path = storage.path_for("photos", photos.get_photo(item, photo_id).file)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=3600)
    if item.visibility != "public":
        response.cache_control.public = False
        response.cache_control.private = True
    return response


@bp.post("/activities/<int:activity_id>/photos/<int:photo_id>/delete")
@login_required
def delete_photo(activity_id: int, photo_id: int):
    item = activities.get_own(activity_id, current_user)
    if ConfirmForm().validate_on_submit():
        photos.delete_photo(photos.get_photo(item, photo_id), item, current_user)
        flash(gettext("Photo deleted."), "info")
    return redirect(url_for(".activity", activity_id=item.id) + "#photos-heading")


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit_activity(activity_id: int):
    item = activities.get_own(activity_id, current_user)
    unit = viewer_unit()
    local = activities.local_start(item)
    data = SimpleNamespace(sport=item.sport, distance=units.from_metres(item.distance_m, unit),
                           duration=item.duration_s, date=local.date(), start_time=local.time(), title=item.title,
                           notes=item.notes_md, visibility=item.visibility, gpx=None)
    form = ActivityForm(obj=None if request.method == "POST" else data)
    _label_units(form, unit)
    status = 200
    if form.validate_on_submit():
        fields = _fields(form, unit)
        if form.distance.data == units.from_metres(item.distance_m, unit):
            del fields["distance_m"]  # unchanged: keep the exact metres (GPX tracks)
        try:
            activities.update_activity(item, current_user, unit=unit, **fields)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("Activity saved."), "success")
            return redirect(url_for(".activity", activity_id=item.id))
    elif form.is_submitted():
        status = 422
    return render_template("groups/activity_form.html", form=form, activity=item, unit=unit,
                           return_group=None), status


@bp.route("/activities/<int:activity_id>/delete", methods=["GET", "POST"])
@login_required
def delete_activity(activity_id: int):
    item = activities.get_own(activity_id, current_user)
    form = ConfirmForm()
    if form.validate_on_submit():
        activities.delete_activity(item, current_user)
        flash(gettext("“%(name)s” is deleted.", name=item.title), "info")
        return redirect(url_for(".me"))
    return render_template("groups/delete_activity.html", activity=item, form=form)


def _back(item) -> str:
    """Back to the page the button was on (a group feed or the activity)."""
    group_id = to_id(request.form.get("group_id"))
    if group_id and access.membership(group_id, current_user) is not None:
        return url_for(".show", group_id=group_id) + f"#activity-{item.id}"
    return url_for(".activity", activity_id=item.id)


@bp.post("/activities/<int:activity_id>/kudos")
@login_required
def kudos(activity_id: int):
    item = activities.get_visible(activity_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            if request.form.get("undo"):
                social.take_back_kudos(item, current_user)
            else:
                social.give_kudos(item, current_user)
        except ServiceError as error:
            flash(translate(error.message), "error")
    return redirect(_back(item))


@bp.post("/activities/<int:activity_id>/comments")
@login_required
def comment(activity_id: int):
    item = activities.get_visible(activity_id, current_user)
    form = CommentForm()
    if form.validate_on_submit():
        social.add_comment(item, current_user, form.body.data)
        flash(gettext("Comment added."), "success")
    else:
        flash(" ".join(map(str, form.body.errors)) or gettext("The form expired. Please try again."), "error")
    return redirect(_back(item))


@bp.post("/activities/<int:activity_id>/comments/<int:comment_id>/delete")
@login_required
def delete_comment(activity_id: int, comment_id: int):
    item = activities.get_visible(activity_id, current_user)
    if ConfirmForm().validate_on_submit():
        social.delete_comment(social.get_comment(item, comment_id), item, current_user)
        flash(gettext("Comment deleted."), "info")
    return redirect(_back(item))


# The member's own page ------------------------------------------------------------------------

@bp.get("/me/fitness")
@login_required
def me():
    return _me_page(UnitForm(distance_unit=viewer_unit(), weekly_goal=_goal_in(viewer_unit())))


def _goal_in(unit: str):
    goal = activities.settings_of(current_user).weekly_goal_m
    return format(units.from_metres(goal, unit).normalize(), "f") if goal else None  # "20", not "20.00"


def _me_page(unit_form: UnitForm, status: int = 200):
    unit = viewer_unit()
    weeks = stats.weekly_totals(current_user, 12)
    listing = paginate_request(activities.mine_query(current_user), 20)
    chart = charts.weekly_bars(weeks, unit, activities.settings_of(current_user).weekly_goal_m)
    return render_template("groups/me.html", unit=unit, weeks=weeks, chart=chart,
                           streaks=stats.streaks(current_user), bests=stats.personal_bests(current_user),
                           listing=listing, unit_form=unit_form), status


def _settings_saved(unit: str, goal: int | None) -> str:
    """The flash after saving the fitness settings, in the reader's language."""
    if goal:
        if unit == "km":
            return gettext("Settings saved: distances in kilometres, a weekly goal of %(goal)s.",
                           goal=distance_filter(goal, unit))
        return gettext("Settings saved: distances in miles, a weekly goal of %(goal)s.",
                       goal=distance_filter(goal, unit))
    return gettext("Settings saved: distances in kilometres, no weekly goal.") if unit == "km" else gettext(
        "Settings saved: distances in miles, no weekly goal.")


@bp.post("/me/fitness/settings")
@login_required
def fitness_settings():
    form = UnitForm()
    if form.validate_on_submit():
        unit = form.distance_unit.data
        goal = units.to_metres(form.weekly_goal.data, unit) if form.weekly_goal.data is not None else None
        try:
            activities.set_settings(current_user, unit=unit, weekly_goal_m=goal)
        except ServiceError as error:
            attach_errors(form, error)
            return _me_page(form, error.status)
        flash(_settings_saved(unit, goal), "success")
        return redirect(url_for(".me"))
    return _me_page(form, 422)


@bp.get("/me/fitness/activities.csv")
@login_required
def export_csv():
    body = "".join(export.activities_csv(current_user, viewer_unit()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="staffroom-activities-{current_user.username}.csv"'
    return response
