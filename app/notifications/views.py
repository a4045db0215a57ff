"""The notifications page and the unread badge in the header."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.accounts.forms import ConfirmForm
from app.api_support import paginate_request
from app.notifications import services

bp = Blueprint("notifications", __name__)
PER_PAGE = 30


@bp.get("/notifications")
@login_required
def index():
    listing = paginate_request(services.list_query(current_user), PER_PAGE)
    return render_template("notifications/index.html", listing=listing, confirm_form=ConfirmForm())


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    item = services.get_own(current_user, notification_id) or abort(404)
    services.mark_read(current_user, [item.id])
    return redirect(item.url if item.url.startswith("/") else url_for("notifications.index"))


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    if ConfirmForm().validate_on_submit():
        services.mark_read(current_user)
    return redirect(url_for("notifications.index"))


def unread_badge() -> int:
    """For the header: one cheap COUNT for signed-in members, kept a few seconds."""
    if current_user.is_authenticated:
        return services.unread_badge_count(current_user)
    return 0


def deliver_after_request(response):
    """Push what this request notified, once it has committed."""
    services.deliver_pending()
    return response
