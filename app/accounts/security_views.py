"""The Security page: where a member is signed in, and their API tokens,
with a button to end each. Added to the accounts blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.accounts import services, sessions
from app.accounts.forms import ConfirmForm
from app.accounts.views import bp


@bp.get("/settings/security")
@login_required
def security():
    user = current_user._get_current_object()
    rows = sessions.list_for(user)
    return render_template("accounts/security.html", rows=rows, this_session=sessions.current_id(user),
                           tokens=[t for t in services.list_tokens(user) if t.revoked_at is None],
                           device=sessions.device, confirm_form=ConfirmForm())


@bp.post("/settings/security/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    if ConfirmForm().validate_on_submit():
        if not sessions.end(current_user._get_current_object(), session_id):
            abort(404)
        flash(_("That device is signed out."), "info")
    return redirect(url_for("accounts.security"))


@bp.post("/settings/security/sessions/end-others")
@login_required
def end_other_sessions():
    if ConfirmForm().validate_on_submit():
        count = sessions.end_others(current_user._get_current_object())
        flash(ngettext("Signed out everywhere else (%(num)d device).", "Signed out everywhere else (%(num)d devices).",
                       count), "info")
    return redirect(url_for("accounts.security"))


@bp.post("/settings/security/tokens/<int:token_id>/revoke")
@login_required
def revoke_token_from_security(token_id: int):
    if ConfirmForm().validate_on_submit():
        row = services.own_token(current_user, token_id) or abort(404)
        services.revoke_token(row)
        flash(_("Token “%(name)s” is revoked.", name=row.name), "info")
    return redirect(url_for("accounts.security"))
