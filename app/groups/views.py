"""Group pages: the directory, creating and editing groups, the group page
(progress, leaderboard, feed, challenges), members and join requests.

Activity pages and the member's own fitness page are in `activity_views.py`,
on the same blueprint. Thin views: parse, call a service, render.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from babel.dates import format_date
from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app import storage
from app.accounts import services as accounts
from app.accounts.models import User
from app.api_support import paginate_request
from app.exceptions import ServiceError
from app.extensions import db
from app.form_errors import attach_errors
from app.groups import access, activities, challenges, charts, periods, route_map, services, social, stats, units
from app.groups.forms import ChallengeForm, ConfirmForm, CoverForm, GroupForm, RoleForm, TransferForm
from app.groups.models import ANY_SPORT, FOCUSES, ROLE_NAMES, SPORTS
from app.i18n import N_, current_locale, translate
from app.template_helpers import cldr_pattern, number

bp = Blueprint("groups", __name__)
PER_PAGE = 20
FEED_SIZE = 10


# Template helpers ----------------------------------------------------------------------

def viewer_unit() -> str:
    """The signed-in member's distance unit (km or mi), read once a request."""
    if "fitness_unit" not in g:
        g.fitness_unit = activities.unit_of(current_user)
    return g.fitness_unit


@bp.app_template_filter("distance")
def distance_filter(metres, unit: str | None = None) -> str:
    """A distance in the viewer's unit, written for the request's language: "1,234.50 km", "1.234,50 km"."""
    unit = unit or viewer_unit()
    return f"{number(units.from_metres(metres, unit), 2)} {units.unit_label(unit)}"


@bp.app_template_filter("unit_label")
def unit_label_filter(unit: str) -> str:
    return units.unit_label(unit)


@bp.app_template_filter("day")
def day_filter(value: date, fmt: str = "%d %b %Y") -> str:
    """A calendar day (no time, no zone) in the request's language: "07 Dec", "07 dic"."""
    return format_date(value, cldr_pattern(fmt), locale=current_locale())


@bp.app_template_filter("role_name")
def role_name(role: str) -> str:
    return translate(ROLE_NAMES.get(role, role))


@bp.app_template_filter("duration")
def duration_filter(seconds) -> str:
    return units.format_duration(seconds)


@bp.app_template_filter("focus_name")
def focus_name(code: str) -> str:
    return translate(FOCUSES.get(code, code))


@bp.app_template_filter("sport_name")
def sport_name(code: str | None) -> str:
    return translate(SPORTS.get(code, ANY_SPORT) if code else ANY_SPORT)


def _pace(sport: str, distance_m: int, duration_s: int, unit: str) -> str:
    """Pace as units.format_pace writes it; a ride's speed with the language's decimal sign."""
    if sport == "ride" and distance_m and duration_s:
        return f"{number(units.speed(distance_m, duration_s, unit), 1)} {'km/h' if unit == 'km' else 'mph'}"
    return units.format_pace(sport, distance_m, duration_s, unit)


@bp.app_template_global("activity_pace")
def activity_pace(activity, unit: str | None = None) -> str:
    return _pace(activity.sport, activity.distance_m, activity.duration_s, unit or viewer_unit())


@bp.app_template_global("best_pace")
def best_pace(sport: str, seconds_per_metre: float, unit: str | None = None) -> str:
    """A personal best pace (seconds per metre) shown like an activity's."""
    return _pace(sport, 1_000_000, round(seconds_per_metre * 1_000_000), unit or viewer_unit())


@bp.app_template_global("fitness_badges")
def fitness_badges(user):
    return challenges.badges(user, current_user)


@bp.app_template_global("route_map")
def route_map_of(activity, unit: str | None = None) -> dict | None:
    return route_map.route_map(activity.route_points, activity.distance_m, unit or viewer_unit())


bp.add_app_template_global(viewer_unit, "fitness_unit")
bp.add_app_template_global(periods.local_today, "today_local")




def _metres(value) -> int | None:
    return units.to_metres(value, viewer_unit()) if value is not None else None


# The directory and new groups ----------------------------------------------------------

@bp.get("/groups")
def index():
    focus = request.args.get("focus") if request.args.get("focus") in FOCUSES else None
    listing = paginate_request(services.directory(current_user, focus=focus), PER_PAGE)
    ids = [group.id for group in listing["items"]]
    return render_template("groups/index.html", listing=listing, focus=focus, focuses=FOCUSES,
                           counts=services.member_counts(ids), roles=services.roles_of(current_user, ids))


def _group_fields(form: GroupForm) -> dict:
    return {"name": form.name.data, "description": form.description.data, "focus": form.focus.data,
            "visibility": form.visibility.data, "weekly_goal_m": _metres(form.weekly_goal.data),
            "group_goal_m": _metres(form.group_goal.data), "timezone": form.timezone.data}


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new():
    form = GroupForm()
    if request.method == "GET":
        form.timezone.data = current_user.timezone
    status = 200
    if form.validate_on_submit():
        try:
            group = services.create_group(current_user, **_group_fields(form))
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("“%(name)s” is ready. Invite colleagues with this page's link.", name=group.name), "success")
            return redirect(url_for(".show", group_id=group.id))
    elif form.is_submitted():
        status = 422
    return render_template("groups/form.html", form=form, group=None), status


# One group ----------------------------------------------------------------------------------

@bp.get("/groups/<int:group_id>")
def show(group_id: int):
    group = access.get_group(group_id)
    member = access.membership(group, current_user)
    if not access.can_view(group, member):
        return render_template("groups/private.html", group=group, confirm_form=ConfirmForm(),
                               requested=access.has_requested(group, current_user)), 403
    period = request.args.get("period", "week")
    sort = request.args.get("by", "distance")
    context = SimpleNamespace(week=None, chart=None, board=None, feed=None, members_only=0, extras={}, challenges=[],
                              done={}, mine={})
    if group.tracks_fitness:
        context.week = stats.leaderboard(group, "week")
        goal = context.week.group_goal
        context.chart = charts.weekly_bars(stats.group_weekly_totals(group), viewer_unit(),
                                           goal.goal_m if goal else None)
        same = (period, sort) == ("week", "distance")
        context.board = context.week if same else stats.leaderboard(group, period, sort)
        context.feed = paginate_request(activities.feed_query(group, member), FEED_SIZE)
        context.members_only = activities.members_only_count(group, member)
        context.extras = social.extras(context.feed["items"], current_user)
        context.challenges = challenges.for_group(group)[:6]
        ids = [c.id for c in context.challenges]
        context.done = challenges.completion_counts(ids)
        context.mine = challenges.values_for(current_user, ids) if member else {}
        members_list = None
    else:
        members_list = services.members(group)
    return render_template(
        "groups/show.html", group=group, member=member, ctx=context, members_list=members_list,
        pending=services.pending_count(group) if member and member.is_admin else 0,
        messages=stats.goal_messages(context.week, viewer_unit()) if context.week else [],
        requested=access.has_requested(group, current_user) if member is None else False,
        confirm_form=ConfirmForm(), now_week=context.week.period if context.week else None,
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id: int):
    group, _member = access.get_visible(group_id, current_user)
    access.require_admin(group, current_user)
    unit = viewer_unit()
    data = SimpleNamespace(
        name=group.name, description=group.description_md, focus=group.focus, visibility=group.visibility,
        weekly_goal=units.from_metres(group.weekly_goal_m, unit) if group.weekly_goal_m else None,
        group_goal=units.from_metres(group.group_goal_m, unit) if group.group_goal_m else None,
        timezone=group.timezone)
    form = GroupForm(obj=None if request.method == "POST" else data)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_group(group, current_user, **_group_fields(form))
        except ServiceError as error:
            if error.status == 403:
                raise
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("Group saved."), "success")
            return redirect(url_for(".show", group_id=group.id))
    elif form.is_submitted():
        status = 422
    return render_template("groups/form.html", form=form, group=group, cover_form=CoverForm(),
                           confirm_form=ConfirmForm(), is_owner=access.role_of(group, current_user) == "owner"), status


@bp.post("/groups/<int:group_id>/cover")
@login_required
def upload_cover(group_id: int):
    group, _member = access.get_visible(group_id, current_user)
    form = CoverForm()
    if form.validate_on_submit():
        try:
            services.set_cover(group, current_user, form.cover.data.read())
        except ServiceError as error:
            if error.status == 403:
                raise
            flash(translate(error.fields.get("cover", error.message)), "error")
        else:
            flash(gettext("New cover image is up."), "success")
    else:
        flash(gettext("Choose an image."), "error")
    return redirect(url_for(".edit", group_id=group.id))


@bp.post("/groups/<int:group_id>/cover/delete")
@login_required
def delete_cover(group_id: int):
    group, _member = access.get_visible(group_id, current_user)
    if ConfirmForm().validate_on_submit():
        services.remove_cover(group, current_user)
        flash(gettext("Cover image removed."), "info")
    return redirect(url_for(".edit", group_id=group.id))


@bp.get("/groups/<int:group_id>/cover")
def cover(group_id: int):
    group, _member = access.get_visible(group_id, current_user)
    path = storage.path_for("covers", group.cover_file) if group.cover_file else None
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=3600)


@bp.post("/groups/<int:group_id>/delete")
@login_required
def delete(group_id: int):
    group, _member = access.get_visible(group_id, current_user)
    if ConfirmForm().validate_on_submit():
        name = group.name
        services.delete_group(group, current_user)
        flash(gettext("“%(name)s” is deleted.", name=name), "info")
        return redirect(url_for(".index"))
    return redirect(url_for(".edit", group_id=group.id))


# Joining, leaving, members -----------------------------------------------------------------------

@bp.post("/groups/<int:group_id>/join")
@login_required
def join(group_id: int):
    group = access.get_group(group_id)
    if ConfirmForm().validate_on_submit():
        if services.join(group, current_user) == "member":
            flash(gettext("Welcome to %(name)s! Your activities now count here.", name=group.name), "success")
        else:
            flash(gettext("Your request is sent. An owner or admin of the group will approve it."), "info")
    return redirect(url_for(".show", group_id=group.id))


@bp.post("/groups/<int:group_id>/leave")
@login_required
def leave(group_id: int):
    group = access.get_group(group_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.leave(group, current_user)
        except ServiceError as error:
            flash(translate(error.message), "error")
        else:
            flash(gettext("You are no longer in %(name)s.", name=group.name), "info")
    return redirect(url_for(".show", group_id=group.id) if not group.is_private else url_for(".index"))


@bp.get("/groups/<int:group_id>/members")
def members(group_id: int):
    group, member = access.get_visible(group_id, current_user)
    rows = services.members(group)
    transfer_form = None
    if member is not None and member.role == "owner":
        transfer_form = TransferForm()
        transfer_form.username.choices = [(row.user.username, row.user.display_name) for row in rows
                                          if row.user_id != current_user.id]
    return render_template("groups/members.html", group=group, member=member, rows=rows,
                           requests=services.pending_requests(group) if member and member.is_admin else [],
                           confirm_form=ConfirmForm(), role_form=RoleForm(), transfer_form=transfer_form)


def _user_or_404(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _member_action(group_id: int, user_id: int, action, done: str):
    group, _member = access.get_visible(group_id, current_user)
    user = _user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            action(group, current_user, user)
        except ServiceError as error:
            if error.status == 403:
                raise
            flash(translate(error.message), "error")
        else:
            flash(gettext(done, name=user.display_name), "success")
    return redirect(url_for(".members", group_id=group.id))


@bp.post("/groups/<int:group_id>/requests/<int:user_id>/approve")
@login_required
def approve(group_id: int, user_id: int):
    return _member_action(group_id, user_id, services.approve, N_("%(name)s is now a member."))


@bp.post("/groups/<int:group_id>/requests/<int:user_id>/reject")
@login_required
def reject(group_id: int, user_id: int):
    return _member_action(group_id, user_id, services.reject, N_("Request from %(name)s declined."))


@bp.post("/groups/<int:group_id>/members/<int:user_id>/remove")
@login_required
def remove_member(group_id: int, user_id: int):
    return _member_action(group_id, user_id, services.remove_member, N_("%(name)s is no longer a member."))


@bp.post("/groups/<int:group_id>/members/<int:user_id>/role")
@login_required
def set_role(group_id: int, user_id: int):
    form = RoleForm()
    role = form.role.data if form.validate_on_submit() else None
    return _member_action(group_id, user_id, lambda group, by, user: services.set_role(group, by, user, role),
                          N_("%(name)s's role is changed."))


@bp.post("/groups/<int:group_id>/transfer")
@login_required
def transfer(group_id: int):
    group, _member = access.get_visible(group_id, current_user)
    user = accounts.get_by_username(request.form.get("username", ""))
    if user is None:
        flash(gettext("Choose a member of the group."), "error")
        return redirect(url_for(".members", group_id=group.id))
    return _member_action(group_id, user.id, services.transfer_ownership, N_("%(name)s now owns the group."))


# Challenges -------------------------------------------------------------------------------------

@bp.route("/groups/<int:group_id>/challenges/new", methods=["GET", "POST"])
@login_required
def new_challenge(group_id: int):
    group, _member = access.get_visible(group_id, current_user)
    access.require_admin(group, current_user)
    form = ChallengeForm()
    form.sport.choices = [("", gettext("Every sport the group counts"))] + [(s, translate(SPORTS[s]))
                                                                             for s in group.sports]
    status = 200
    if form.validate_on_submit():
        target = form.target.data
        target = _metres(target) if form.kind.data == "distance" else int(target)
        try:
            challenge = challenges.create_challenge(group, current_user, title=form.title.data, kind=form.kind.data,
                                                    target=target, starts_on=form.starts_on.data,
                                                    ends_on=form.ends_on.data, sport=form.sport.data or None)
        except ServiceError as error:
            if error.status == 403:
                raise
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("Challenge “%(title)s” is on.", title=challenge.title), "success")
            return redirect(url_for(".challenge", group_id=group.id, challenge_id=challenge.id))
    elif form.is_submitted():
        status = 422
    return render_template("groups/challenge_form.html", group=group, form=form), status


def _challenge_of(group_id: int, challenge_id: int):
    group, member = access.get_visible(group_id, current_user)
    challenge = challenges.get_challenge(challenge_id)
    if challenge.group_id != group.id:
        abort(404)
    return group, member, challenge


@bp.get("/groups/<int:group_id>/challenges/<int:challenge_id>")
def challenge(group_id: int, challenge_id: int):
    group, member, item = _challenge_of(group_id, challenge_id)
    return render_template("groups/challenge.html", group=group, member=member, challenge=item,
                           rows=challenges.progress(item), confirm_form=ConfirmForm())


@bp.post("/groups/<int:group_id>/challenges/<int:challenge_id>/delete")
@login_required
def delete_challenge(group_id: int, challenge_id: int):
    group, _member, item = _challenge_of(group_id, challenge_id)
    if ConfirmForm().validate_on_submit():
        challenges.delete_challenge(item, current_user)
        flash(gettext("Challenge deleted."), "info")
    return redirect(url_for(".show", group_id=group.id))
