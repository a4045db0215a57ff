"""Showcase school pages: the "near you" directory, school profiles, the
incubator checklist, applying in a window, and the admins' side of it.
Added to programmes.bp."""

from __future__ import annotations

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import services as accounts
from app.exceptions import Forbidden, ServiceError
from app.form_errors import attach_errors
from app.i18n import N_, translate
from app.params import optional_id
from app.programmes import clock, geo, schools, services
from app.programmes.forms import (
    ChecklistItemForm,
    ConfirmForm,
    DirectoryForm,
    LeaderForm,
    SchoolForm,
    ShowcaseApplyForm,
    TickForm,
    WindowForm,
    to_utc,
)
from app.programmes.models import SCHOOL_STATUSES
from app.programmes.views import bp, message_of
from app.template_helpers import viewer_timezone
from app.vocabulary import is_country


@bp.get("/schools")
def schools_directory():
    form = DirectoryForm(request.args)
    valid = form.lat.validate(form) and form.lon.validate(form)  # only the location must be sound
    country = form.country.data if is_country(form.country.data) else None
    city = (form.city.data or "").strip()[:100] or None
    origin, origin_label = None, None
    if valid and form.lat.data is not None and form.lon.data is not None:
        origin, origin_label = (form.lat.data, form.lon.data), f"{form.lat.data:.4f}, {form.lon.data:.4f}"
    elif geo.city_point(form.near.data):
        origin, origin_label = geo.city_point(form.near.data), geo.CITIES[form.near.data][0]
    found = schools.directory(country=country, city=city, origin=origin)
    return render_template("programmes/schools.html", form=form, found=found, origin_label=origin_label,
                           mine=schools.schools_led_by(current_user), now=clock.utcnow(),
                           years=schools.years_in_programme)


def _school_fields(form: SchoolForm) -> dict:
    return {"name": form.name.data, "country": form.country.data, "city": form.city.data,
            "website": form.website.data, "description": form.description.data,
            "latitude": form.latitude.data, "longitude": form.longitude.data}


@bp.route("/schools/new", methods=["GET", "POST"])
@login_required
def new_school():
    form = SchoolForm(data={"country": current_user.country})
    status = 200
    if form.validate_on_submit():
        try:
            school = schools.create_school(current_user, **_school_fields(form))
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("%(school)s is on the incubator path. Work through the checklist below.", school=school.name),
                  "success")
            return redirect(url_for(".school", school_id=school.id))
    elif form.is_submitted():
        status = 422
    return render_template("programmes/school_form.html", form=form, school=None), status


@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
@login_required
def edit_school(school_id: int):
    school = schools.get_school(school_id)
    if not schools.can_manage(school, current_user):
        raise Forbidden(N_("Only the school's leaders (and programme admins) can edit it."))
    data = None if request.method == "POST" else SimpleNamespace(
        name=school.name, country=school.country, city=school.city, website=school.website,
        description=school.description_md, latitude=school.latitude, longitude=school.longitude)
    form = SchoolForm(obj=data)
    status = 200
    if form.validate_on_submit():
        try:
            schools.update_school(school, current_user, **_school_fields(form))
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("School profile saved."), "success")
            return redirect(url_for(".school", school_id=school.id))
    elif form.is_submitted():
        status = 422
    return render_template("programmes/school_form.html", form=form, school=school), status


@bp.get("/schools/<int:school_id>")
def school(school_id: int):
    item = schools.get_school(school_id)
    now = clock.utcnow()
    manage = schools.can_manage(item, current_user)
    return render_template(
        "programmes/school.html", school=item, manage=manage, now=now, statuses=SCHOOL_STATUSES,
        years=schools.years_in_programme(item, now), items=schools.checklist_items(), done=schools.entries(item),
        complete=schools.checklist_complete(item), history=schools.applications_of(item),
        window=schools.open_window(now), next_window=schools.next_window(now),
        apply_problem=_apply_problem(item, now) if manage else None,
        tick_form=TickForm(), apply_form=ShowcaseApplyForm(), leader_form=LeaderForm(), confirm_form=ConfirmForm(),
    )


def _apply_problem(school, now) -> str | None:
    """Why the school cannot apply now, in the reader's language (None: it can)."""
    problem = schools.apply_problem(school, now)
    return translate(problem) if problem else None


def _back(school_id: int, anchor: str = ""):
    return redirect(url_for(".school", school_id=school_id, _anchor=anchor or None))


def _step(school_id: int, action, done: str, anchor: str = ""):
    try:
        action()
    except ServiceError as error:
        if error.status == 403:
            raise
        flash(message_of(error), "error")
    else:
        flash(done, "success")
    return _back(school_id, anchor)


@bp.post("/schools/<int:school_id>/leaders")
@login_required
def add_leader(school_id: int):
    item = schools.get_school(school_id)
    form = LeaderForm()
    if not form.validate_on_submit():
        return _back(item.id, "leaders")
    user = accounts.get_by_username(form.username.data.strip().lower())
    if user is None:
        flash(_("No member with that username."), "error")
        return _back(item.id, "leaders")
    return _step(item.id, lambda: schools.add_leader(item, current_user, user),
                 _("%(name)s is now a leader of %(school)s.", name=user.display_name, school=item.name), "leaders")


@bp.post("/schools/<int:school_id>/leaders/<int:user_id>/remove")
@login_required
def remove_leader(school_id: int, user_id: int):
    item = schools.get_school(school_id)
    if not ConfirmForm().validate_on_submit():
        return _back(item.id, "leaders")
    return _step(item.id, lambda: schools.remove_leader(item, current_user, user_id), _("Leader removed."), "leaders")


@bp.post("/schools/<int:school_id>/checklist/<int:item_id>")
@login_required
def tick(school_id: int, item_id: int):
    item = schools.get_school(school_id)
    form = TickForm()
    if not form.validate_on_submit():
        flash(_("Describe the evidence before ticking the item."), "error")
        return _back(item.id, f"item-{item_id}")
    return _step(item.id, lambda: schools.tick(item, current_user, item_id, evidence=form.evidence.data,
                                               evidence_url=form.evidence_url.data),
                 _("Ticked, with its evidence."), f"item-{item_id}")


@bp.post("/schools/<int:school_id>/checklist/<int:item_id>/untick")
@login_required
def untick(school_id: int, item_id: int):
    item = schools.get_school(school_id)
    if not ConfirmForm().validate_on_submit():
        return _back(item.id, f"item-{item_id}")
    return _step(item.id, lambda: schools.untick(item, current_user, item_id), _("Unticked."), f"item-{item_id}")


@bp.post("/schools/<int:school_id>/apply")
@login_required
def apply_showcase(school_id: int):
    item = schools.get_school(school_id)
    form = ShowcaseApplyForm()
    if not form.validate_on_submit():
        flash(_("Tell the reviewers why your school is ready."), "error")
        return _back(item.id, "apply")
    return _step(item.id, lambda: schools.apply(item, current_user, form.statement.data),
                 _("Application sent. The programme team will decide after the window closes."), "apply")


# Admins ---------------------------------------------------------------------------------------------

@bp.get("/programmes/admin/schools")
@login_required
def manage_schools():
    services.require_admin(current_user)
    return render_template("programmes/manage_schools.html", items=schools.checklist_items(include_inactive=True),
                           windows=schools.windows(), pending=schools.pending_applications(),
                           item_form=ChecklistItemForm(), window_form=WindowForm(), confirm_form=ConfirmForm(),
                           now=clock.utcnow())


@bp.post("/programmes/admin/checklist")
@login_required
def save_checklist_item():
    services.require_admin(current_user)
    form = ChecklistItemForm()
    item_id = optional_id(request.form.get("item_id"))
    if form.validate_on_submit():
        try:
            schools.save_checklist_item(current_user, title=form.title.data, description=form.description.data,
                                        position=form.position.data, active=form.active.data, item_id=item_id)
            flash(_("Checklist saved."), "success")
        except ServiceError as error:
            flash(message_of(error), "error")
    else:
        flash(_("Give the criterion a title."), "error")
    return redirect(url_for(".manage_schools", _anchor="checklist"))


@bp.post("/programmes/admin/windows")
@login_required
def add_window():
    services.require_admin(current_user)
    form = WindowForm()
    if form.validate_on_submit():
        zone = viewer_timezone()
        try:
            schools.add_window(current_user, name=form.name.data, opens_at=to_utc(form.opens_at.data, zone),
                               closes_at=to_utc(form.closes_at.data, zone))
            flash(_("Application window added."), "success")
        except ServiceError as error:
            flash(message_of(error), "error")
    else:
        flash(_("Give the window a name and its dates."), "error")
    return redirect(url_for(".manage_schools", _anchor="windows"))


@bp.post("/programmes/admin/showcase/<int:application_id>/decision")
@login_required
def decide_showcase(application_id: int):
    services.require_admin(current_user)
    if ConfirmForm().validate_on_submit():
        accept = request.form.get("decision") == "accept"
        try:
            application = schools.decide(current_user, application_id, accept)
            flash(_("%(school)s: now a Showcase School.", school=application.school.name) if accept
                  else _("%(school)s: declined.", school=application.school.name), "success")
        except ServiceError as error:
            flash(translate(error.message), "error")
    return redirect(url_for(".manage_schools", _anchor="pending"))
