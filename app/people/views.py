"""People pages: the home page, the member directory, following, settings
and "your data" (export and delete)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.accounts import services as accounts
from app.api_support import paginate_request
from app.exceptions import ServiceError
from app.form_errors import attach_errors
from app.i18n import translate
from app.people import export as data_export
from app.people import home as home_panels
from app.people import mydata, preferences, services
from app.people.forms import (
    ConfirmForm,
    DeleteAccountForm,
    DirectoryFilterForm,
    notification_field,
    settings_form,
)
from app.people.preferences import KINDS

bp = Blueprint("people", __name__)
PER_PAGE = 20


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return render_template("people/home_member.html", steps=next_steps(current_user),
                               panels=home_panels.panels(current_user))
    return render_template("people/home_visitor.html", member_count=accounts.count_users(),
                           panels=home_panels.visitor_panels())


def next_steps(user) -> list[dict]:
    """What a signed-in educator could do next, most useful first."""
    steps = []
    if not user.school or not user.subjects:
        steps.append({"title": _("Complete your profile"),
                      "text": _("Add your school, subjects and age ranges so colleagues can find you."),
                      "endpoint": "accounts.edit_profile"})
    if not user.avatar_file:
        steps.append({"title": _("Add a profile picture"),
                      "text": _("Faces make a community: people answer people."),
                      "endpoint": "accounts.edit_profile"})
    return steps


# The directory -----------------------------------------------------------------------

@bp.get("/people")
def directory():
    form = DirectoryFilterForm(request.args)
    filters = form.filters()
    statement = services.directory_query(**filters)
    result = paginate_request(statement, PER_PAGE)
    return render_template("people/directory.html", form=form, filters=filters, result=result,
                           programmes_available=services.programmes is not None)


@bp.post("/people/<username>/follow")
@login_required
def follow(username: str):
    other = accounts.get_by_username(username) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.follow(current_user, other)
            flash(_("You follow %(name)s: their new resources show on your home page.", name=other.display_name),
                  "success")
        except ServiceError as error:
            flash(translate(error.fields.get("username", error.message)), "error")
    return redirect(url_for("accounts.profile", username=other.username))


@bp.post("/people/<username>/unfollow")
@login_required
def unfollow(username: str):
    other = accounts.get_by_username(username) or abort(404)
    if ConfirmForm().validate_on_submit():
        services.unfollow(current_user, other)
        flash(_("You no longer follow %(name)s.", name=other.display_name), "success")
    return redirect(url_for("accounts.profile", username=other.username))


@bp.app_template_global()
def follow_info(user) -> dict:
    """For the profile page: counts, and whether the viewer follows them."""
    return {"counts": services.follow_counts(user),
            "following": services.is_following(current_user, user) if current_user.is_authenticated else False,
            "form": ConfirmForm()}


# Settings ----------------------------------------------------------------------------

@bp.route("/settings/people", methods=["GET", "POST"])
@login_required
def settings():
    row = services.settings_of(current_user)
    chosen = preferences.preferences_of(current_user)
    form = settings_form({"directory_visible": row.directory_visible, "languages": row.language_codes,
                          "digest": row.digest} | {notification_field(kind): chosen[kind] for kind in KINDS})
    status = 200
    if form.validate_on_submit():
        try:
            services.update_settings(current_user, directory_visible=form.directory_visible.data,
                                     languages=form.languages.data or [], digest=form.digest.data,
                                     notifications={kind: form[name].data for name, kind in form.kind_names.items()})
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("people.settings"))
    elif form.is_submitted():
        status = 422
    return render_template("people/settings.html", form=form, url_endpoints=current_app.view_functions), status


@bp.get("/settings/data")
@login_required
def my_data():
    return render_template("people/my_data.html", delete_form=DeleteAccountForm())


@bp.get("/settings/data/export.zip")
@login_required
def export():
    data = data_export.export_zip(current_user)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="staffroom-{current_user.username}.zip"',
        "Cache-Control": "no-store"})


@bp.post("/settings/data/delete")
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            mydata.delete_account(current_user._get_current_object(), form.confirm.data)
        except ServiceError as error:
            attach_errors(form, error)
            return render_template("people/my_data.html", delete_form=form), error.status
        logout_user()
        flash(_("Your account is deleted. Thank you for being part of Staffroom."), "success")
        return redirect(url_for("people.home"))
    return render_template("people/my_data.html", delete_form=form), 422
