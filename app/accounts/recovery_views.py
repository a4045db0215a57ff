"""Pages for the mailed links: confirm an address, send the link again,
change one's address, forgot password, choose a new one. Added to the
accounts blueprint; the rules are in recovery.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import recovery
from app.accounts.forms import ConfirmForm, EmailChangeForm, ForgotPasswordForm, ResetPasswordForm
from app.accounts.views import bp, sign_in
from app.exceptions import ServiceError
from app.form_errors import attach_errors
from app.i18n import translate


def _signed_in():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _link_problem(error: ServiceError, title: str):
    return render_template("accounts/link_problem.html", title=title, message=translate(error.message)), error.status


@bp.get("/email/verify/<token>")
def verify_email(token: str):
    try:
        user = recovery.verify_email(token, _signed_in())
    except ServiceError as error:
        return _link_problem(error, _("We could not confirm your address"))
    flash(_("Thank you: %(email)s is confirmed. You can post, message and share now.", email=user.email), "success")
    return redirect(url_for("people.home") if current_user.is_authenticated else url_for("accounts.login"))


@bp.post("/email/verify/resend")
@login_required
def resend_verification():
    if ConfirmForm().validate_on_submit():
        try:
            recovery.resend_verification(current_user._get_current_object())
        except ServiceError as error:
            flash(translate(error.message), "error")
        else:
            flash(_("We sent a new link to %(email)s. It works for 48 hours.", email=current_user.email), "success")
    return redirect(
        request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("people.home")
    )


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
def change_email():
    form = EmailChangeForm()
    status = 200
    if form.validate_on_submit():
        try:
            recovery.request_email_change(current_user._get_current_object(), form.password.data, form.email.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("We sent a link to %(email)s. Your address changes when you follow it.",
                    email=current_user.pending_email), "info")
            return redirect(url_for("accounts.change_email"))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/change_email.html", form=form), status


@bp.get("/email/change/<token>")
def confirm_email_change(token: str):
    try:
        user = recovery.confirm_email_change(token, _signed_in())
    except ServiceError as error:
        return _link_problem(error, _("We could not change your address"))
    flash(_("Your email address is now %(email)s.", email=user.email), "success")
    return redirect(url_for("people.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            answer = recovery.request_password_reset(form.email.data, request.remote_addr)
        except ServiceError as error:
            if error.fields:
                attach_errors(form, error)
            else:
                form.email.errors = [translate(error.message)]
            status = error.status
            if error.retry_after:
                headers["Retry-After"] = str(error.retry_after)
        else:
            flash(translate(answer), "info")
            return redirect(url_for("accounts.login"))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/forgot_password.html", form=form), status, headers


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = recovery.check_reset_link(token, _signed_in())
    except ServiceError as error:
        return _link_problem(error, _("This reset link does not work"))
    form = ResetPasswordForm()
    status = 200
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:
            form.confirm.errors = [_("The two passwords are not the same.")]
            status = 422
        else:
            try:
                user = recovery.reset_password(token, form.password.data, _signed_in())
            except ServiceError as error:
                attach_errors(form, error)
                status = error.status
            else:
                sign_in(user)
                flash(_("Your new password is set, and every other device is signed out."), "success")
                return redirect(url_for("people.home"))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/reset_password.html", form=form, user=user), status
