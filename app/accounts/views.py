"""Account pages: register, sign in and out, profiles and settings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user

from app import storage
from app.accounts import services, sessions
from app.accounts.forms import (
    AvatarForm,
    ConfirmForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    SuspendForm,
    TokenForm,
)
from app.accounts.limits import TooManyAttempts, register_limit
from app.errors import json_error, wants_json
from app.exceptions import AuthenticationFailed, Forbidden, ServiceError
from app.form_errors import attach_errors
from app.i18n import translate
from app.links import safe_path

bp = Blueprint("accounts", __name__)
SIGN_IN_FIRST = _l("Please sign in to see that page.")


def load_user(session_key: str):
    """Flask-Login's user loader: the member of this device's session."""
    return sessions.load(session_key, request.remote_addr)


def sign_in(user, remember: bool = False) -> None:
    """Start a server-side session for this device and put its key in the cookies."""
    sessions.start(user, request.remote_addr, request.user_agent.string)
    login_user(user, remember=remember)


def unauthorized():
    """Flask-Login's answer to a signed-out visitor: 401 under /api/, else the sign-in page."""
    if wants_json():
        return json_error(401)
    flash(SIGN_IN_FIRST, "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    return safe_path(target, url_for("people.home"))


@bp.route("/register", methods=["GET", "POST"])
@register_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("people.home"))
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.register(
                username=form.username.data, email=form.email.data, password=form.password.data,
                display_name=form.display_name.data, country=form.country.data, timezone=form.timezone.data,
            )
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            sign_in(user)
            flash(_("Welcome to Staffroom, %(name)s! Tell colleagues a little about yourself.", name=user.display_name),
                  "success")
            return redirect(url_for("accounts.edit_profile"))
    elif form.is_submitted():
        status = 422
    else:
        form.timezone.render_kw = {"data-device-timezone": ""}  # a first visit: the device's zone
    return render_template("accounts/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data, address=request.remote_addr)
        except (AuthenticationFailed, Forbidden, TooManyAttempts) as error:
            form.password.errors = [translate(error.message)]
            status = error.status
            if error.retry_after:
                headers["Retry-After"] = str(error.retry_after)
        else:
            sign_in(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(_safe_next(request.args.get("next")))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/login.html", form=form), status, headers


@bp.post("/logout")
def logout():
    if ConfirmForm().validate_on_submit():
        if current_user.is_authenticated:
            sessions.end_current(current_user._get_current_object())
        logout_user()
        flash(_("You are signed out. See you soon!"), "info")
    return redirect(url_for("people.home"))


@bp.get("/u/<username>")
def profile(username: str):
    user = services.get_by_username(username)
    if user is None or (not user.is_active and not (current_user.is_authenticated and current_user.is_moderator)):
        abort(404)
    return render_template("accounts/profile.html", user=user, suspend_form=SuspendForm(), confirm_form=ConfirmForm())


@bp.get("/u/<username>/avatar")
def avatar(username: str):
    user = services.get_by_username(username)
    path = storage.path_for("avatars", user.avatar_file) if user and user.avatar_file else None
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=3600)
    return response


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=None if request.method == "POST" else _profile_data(current_user))
    status = 200
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user, display_name=form.display_name.data, country=form.country.data,
                school=form.school.data, timezone=form.timezone.data, subjects=form.subjects.data,
                age_ranges=form.age_ranges.data, bio=form.bio.data, locale=form.locale.data,
            )
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            refresh()  # a new language choice holds from this message on
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile", username=current_user.username))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/edit_profile.html", form=form, avatar_form=AvatarForm(),
                           confirm_form=ConfirmForm()), status


def _profile_data(user):
    class Data:  # WTForms reads attributes from `obj`
        display_name = user.display_name
        country = user.country
        school = user.school
        timezone = user.timezone
        locale = user.locale or ""
        subjects = user.subjects
        age_ranges = user.age_ranges
        bio = user.bio_md

    return Data()


@bp.post("/settings/avatar")
@login_required
def upload_avatar():
    form = AvatarForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.set_avatar(current_user, form.avatar.data.read())
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Your new picture is up."), "success")
            return redirect(url_for("accounts.edit_profile"))
    else:
        status = 422
    # Show the profile page again, with the error under the picture field.
    profile_form = ProfileForm(formdata=None, obj=_profile_data(current_user))
    return render_template("accounts/edit_profile.html", form=profile_form, avatar_form=form,
                           confirm_form=ConfirmForm()), status


@bp.post("/settings/avatar/delete")
@login_required
def delete_avatar():
    if ConfirmForm().validate_on_submit():
        services.remove_avatar(current_user)
        flash(_("Your picture is removed."), "info")
    return redirect(url_for("accounts.edit_profile"))


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.edit_profile"))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/password.html", form=form), status


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token, _row = services.issue_token(current_user, form.name.data)
        form = TokenForm(formdata=None)
    rows = services.list_tokens(current_user)
    return render_template("accounts/tokens.html", form=form, rows=rows, new_token=new_token,
                           confirm_form=ConfirmForm())


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if ConfirmForm().validate_on_submit():
        row = services.own_token(current_user, token_id)
        if row is None:
            abort(404)
        services.revoke_token(row)
        flash(_("Token “%(name)s” is revoked.", name=row.name), "info")
    return redirect(url_for("accounts.tokens"))


@bp.post("/u/<username>/suspend")
@login_required
def suspend(username: str):
    user = services.get_by_username(username) or abort(404)
    form = SuspendForm()
    if form.validate_on_submit():
        services.suspend(user, by=current_user, reason=form.reason.data)
        flash(_("%(name)s is suspended.", name=user.display_name), "info")
    else:
        flash(_("Give a reason for the suspension."), "error")
    return redirect(url_for("accounts.profile", username=user.username))


@bp.post("/u/<username>/unsuspend")
@login_required
def unsuspend(username: str):
    user = services.get_by_username(username) or abort(404)
    if ConfirmForm().validate_on_submit():
        services.unsuspend(user, by=current_user)
        flash(_("%(name)s can sign in again.", name=user.display_name), "info")
    return redirect(url_for("accounts.profile", username=user.username))
