"""Private-message pages: the inbox, a conversation, blocks and reports.

Sending is a plain form POST (works without JavaScript); the service then
pushes the message to every member's open pages over Socket.IO.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app.accounts import services as accounts
from app.exceptions import ServiceError
from app.extensions import db
from app.form_errors import attach_errors
from app.i18n import translate
from app.messages import services
from app.messages.forms import BlockForm, ConfirmForm, MessageForm, NewConversationForm, ReportForm
from app.params import optional_id

bp = Blueprint("messages", __name__, url_prefix="/messages")


@bp.get("")
@login_required
def inbox():
    conversations = list(db.session.scalars(services.conversations_query(current_user).limit(100)))
    ids = [c.id for c in conversations]
    return render_template("messages/inbox.html", conversations=conversations,
                           unread_by_id=services.unread_by_conversation(current_user.id, ids),
                           last_by_id=services.last_messages(ids))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = NewConversationForm(to=request.args.get("to", ""))
    status = 200
    if form.validate_on_submit():
        try:
            conversation, _ = services.start_conversation(current_user, form.to.data, form.body.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            return redirect(url_for("messages.conversation", conversation_id=conversation.id))
    elif request.method == "POST":
        status = 422
    return render_template("messages/new.html", form=form), status


@bp.route("/<int:conversation_id>", methods=["GET", "POST"])
@login_required
def conversation(conversation_id: int):
    conversation = services.get_conversation(conversation_id, current_user)
    form = MessageForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.send(conversation, current_user, form.body.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            return redirect(url_for("messages.conversation", conversation_id=conversation.id) + "#latest")
    elif request.method == "POST":
        status = 422
    services.mark_read(conversation, current_user)
    others = [member.user for member in conversation.members if member.user_id != current_user.id]
    return render_template("messages/conversation.html", conversation=conversation, form=form,
                           messages=services.messages_of(conversation, current_user),
                           title=services.title_for(conversation, current_user),
                           others=others, blocked=services.blocked_among(current_user, [u.id for u in others]),
                           confirm_form=ConfirmForm()), status


@bp.post("/<int:conversation_id>/read")
@login_required
def mark_read(conversation_id: int):
    conversation = services.get_conversation(conversation_id, current_user)
    if ConfirmForm().validate_on_submit():
        services.mark_read(conversation, current_user)
    return redirect(url_for("messages.conversation", conversation_id=conversation.id))


@bp.route("/report/<int:message_id>", methods=["GET", "POST"])
@login_required
def report(message_id: int):
    message = services.get_message(message_id, current_user)
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.report(message, current_user, form.reason.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(gettext("Thank you: the moderators will look at this message."), "success")
            return redirect(url_for("messages.conversation", conversation_id=message.conversation_id))
    return render_template("messages/report.html", message=message, form=form), status


@bp.get("/blocked")
@login_required
def blocked():
    return render_template("messages/blocked.html", blocks=services.blocked_users(current_user),
                           confirm_form=ConfirmForm())


def _back_to(conversation_value) -> str:
    """The conversation the member came from (if they are in it), else the blocked list."""
    conversation_id = optional_id(conversation_value)
    if conversation_id is None:
        return url_for("messages.blocked")
    services.get_conversation(conversation_id, current_user)  # 404 unless a member
    return url_for("messages.conversation", conversation_id=conversation_id)


@bp.route("/block/<username>", methods=["GET", "POST"])
@login_required
def block(username: str):
    """GET asks "Block X?"; only the POST of that page blocks."""
    other = accounts.get_by_username(username) or abort(404)
    form = BlockForm(conversation=request.args.get("conversation", ""))
    back = _back_to(form.conversation.data)
    if form.validate_on_submit():
        try:
            services.block(current_user, other)
        except ServiceError as error:
            flash(translate(error.fields.get("username", error.message)), "error")
        else:
            flash(gettext("You blocked %(name)s: they can no longer message you.", name=other.display_name), "success")
        return redirect(back)
    form.confirm.data = "yes"
    return render_template("messages/block.html", other=other, form=form, back=back,
                           already=services.has_blocked(current_user.id, other.id))


@bp.post("/unblock/<username>")
@login_required
def unblock(username: str):
    other = accounts.get_by_username(username) or abort(404)
    back = _back_to(request.form.get("conversation"))
    if ConfirmForm().validate_on_submit():
        services.unblock(current_user, other)
        flash(gettext("%(name)s can message you again.", name=other.display_name), "success")
    return redirect(back)


@bp.get("/reports")
@login_required
def reports():
    return render_template("messages/reports.html", reports=services.open_reports(current_user),
                           confirm_form=ConfirmForm())


@bp.post("/reports/<int:report_id>/resolve")
@login_required
def resolve(report_id: int):
    if ConfirmForm().validate_on_submit():
        services.resolve_report(report_id, current_user)
        flash(gettext("Report closed."), "success")
    return redirect(url_for("messages.reports"))


def unread_badge() -> int:
    """For the header: one COUNT for signed-in members."""
    if current_user.is_authenticated:
        return services.unread_badge_count(current_user.id)
    return 0
