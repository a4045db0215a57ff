"""Moderators' and admins' forum pages, on the forum blueprint: the queue,
the audit log, post and thread actions, and category management."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.api_support import paginate_request
from app.exceptions import Forbidden, NotFound, ServiceError
from app.extensions import db
from app.form_errors import attach_errors
from app.forum import audit, categories, moderation, reading, rules
from app.forum.forms import CategoryForm, ConfirmForm, MoveForm, ReasonForm, SplitForm
from app.forum.models import Category, Post
from app.forum.views import THREADS_PER_PAGE, bp, post_url, problem_text, thread_url
from app.i18n import N_
from app.params import parse_page


def _moderator() -> None:
    if not rules.is_moderator(current_user):
        raise Forbidden(N_("Only moderators can open this page."))


def _admin() -> None:
    if not (rules.signed_in(current_user) and current_user.is_admin):
        raise Forbidden(N_("Only admins manage categories."))


def _back(default: str) -> str:
    """Where a queue form asked to go back to: a path on this site only."""
    target = request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not parts.scheme and not parts.netloc and "\\" not in target \
            and not target.startswith("//"):
        return target
    return default


@bp.get("/discuss/mod")
@login_required
def queue():
    _moderator()
    return render_template("forum/queue.html", reported=moderation.reported_posts(),
                           pending=moderation.pending_posts(), reason_form=ReasonForm(), confirm_form=ConfirmForm())


@bp.get("/discuss/mod/log")
@login_required
def audit_log():
    _moderator()
    return render_template("forum/audit_log.html", result=paginate_request(audit.log_query(), THREADS_PER_PAGE))


# Post actions --------------------------------------------------------------------

POST_ACTIONS = {
    "hide": (moderation.hide_post, N_("Post hidden from members.")),
    "restore": (moderation.restore_post, N_("Post restored.")),
    "reject": (moderation.reject_post, N_("Post rejected.")),
    "dismiss": (moderation.dismiss_reports, N_("Reports dismissed.")),
}


@bp.get("/p/<int:post_id>/moderate")
@login_required
def post_tools(post_id: int):
    """A post's moderation page: approve, hide or restore, dismiss reports, suspend."""
    _moderator()
    found = db.session.get(Post, post_id)
    if found is None:
        raise NotFound(N_("There is no such post."))
    return render_template("forum/moderate_post.html", post=found, thread=found.thread,
                           reports=moderation.open_reports(found), reason_form=ReasonForm())


@bp.post("/p/<int:post_id>/moderate/<action>")
@login_required
def moderate_post(post_id: int, action: str):
    _moderator()
    found = db.session.get(Post, post_id)
    if found is None or action not in POST_ACTIONS | {"approve": None}:
        raise NotFound(N_("There is no such post."))
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            if action == "approve":
                moderation.approve_post(found, current_user)
                message = N_("Post approved and published.")
            else:
                function, message = POST_ACTIONS[action]
                function(found, current_user, form.reason.data or "")
        except ServiceError as error:
            flash(problem_text(error), "error")
        else:
            flash(_(message), "success")
    return redirect(_back(post_url(found, found.thread)))


# Thread actions ------------------------------------------------------------------

THREAD_ACTIONS = {
    "lock": (lambda t, by, reason: moderation.set_locked(t, by, True, reason), N_("Thread locked: no new replies.")),
    "unlock": (lambda t, by, reason: moderation.set_locked(t, by, False, reason), N_("Thread unlocked.")),
    "pin": (lambda t, by, reason: moderation.set_pinned(t, by, True, reason), N_("Thread pinned to the top.")),
    "unpin": (lambda t, by, reason: moderation.set_pinned(t, by, False, reason), N_("Thread unpinned.")),
    "hide": (moderation.hide_thread, N_("Thread hidden from members.")),
    "restore": (moderation.restore_thread, N_("Thread restored.")),
}


@bp.get("/t/<int:thread_id>/moderate")
@login_required
def thread_tools(thread_id: int):
    """A thread's moderation page: lock, pin, hide or restore, move, split."""
    _moderator()
    thread, _state = reading.load_thread(thread_id, current_user)
    return render_template("forum/moderate_thread.html", thread=thread, reason_form=ReasonForm())


@bp.post("/t/<int:thread_id>/moderate/<action>")
@login_required
def moderate_thread(thread_id: int, action: str):
    _moderator()
    if action not in THREAD_ACTIONS:
        raise NotFound(N_("There is no such action."))
    thread, _state = reading.load_thread(thread_id, current_user)
    form = ReasonForm()
    if form.validate_on_submit():
        function, message = THREAD_ACTIONS[action]
        try:
            function(thread, current_user, form.reason.data or "")
        except ServiceError as error:
            flash(problem_text(error), "error")
        else:
            flash(_(message), "success")
    return redirect(thread_url(thread))


@bp.route("/t/<int:thread_id>/move", methods=["GET", "POST"])
@login_required
def move(thread_id: int):
    _moderator()
    thread, _state = reading.load_thread(thread_id, current_user)
    options = [c for c in categories.readable(current_user) if c.id != thread.category_id]
    form = MoveForm()
    form.category.choices = [(c.slug, c.name) for c in options]
    status = 200
    if form.validate_on_submit():
        target = next(c for c in options if c.slug == form.category.data)
        try:
            moderation.move_thread(thread, current_user, target, form.reason.data or "")
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Thread moved to %(category)s.", category=target.name), "success")
            return redirect(thread_url(thread))
    elif form.is_submitted():
        status = 422
    return render_template("forum/move.html", thread=thread, form=form), status


@bp.route("/t/<int:thread_id>/split", methods=["GET", "POST"])
@login_required
def split(thread_id: int):
    _moderator()
    thread, state = reading.load_thread(thread_id, current_user)
    page = parse_page(request.args.get("page"))
    view = reading.thread_page(thread, state, current_user, page)
    form = SplitForm()
    form.post_ids.choices = [(p.id, _("#%(number)s by %(name)s", number=p.number, name=p.author.display_name))
                            for p in view.posts if p.number > 1]
    status = 200
    if form.validate_on_submit():
        try:
            new = moderation.split_thread(thread, current_user, form.post_ids.data, form.title.data,
                                          form.reason.data or "")
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Replies moved into a new thread."), "success")
            return redirect(thread_url(new))
    elif form.is_submitted():
        status = 422
    return render_template("forum/split.html", thread=thread, view=view, form=form), status


# Categories (admins) --------------------------------------------------------------

@bp.get("/discuss/admin/categories")
@login_required
def admin_categories():
    _admin()
    shown = list(db.session.scalars(categories.ordered()))
    return render_template("forum/admin_categories.html", categories=shown,
                           stats=categories.stats([c.id for c in shown]), confirm_form=ConfirmForm())


@bp.route("/discuss/admin/categories/new", methods=["GET", "POST"])
@login_required
def new_category():
    _admin()
    form = CategoryForm()
    status = 200
    if form.validate_on_submit():
        try:
            categories.create(current_user, **form.fields())
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Category created."), "success")
            return redirect(url_for(".admin_categories"))
    elif form.is_submitted():
        status = 422
    return render_template("forum/category_form.html", form=form, category=None), status


@bp.route("/discuss/admin/categories/<int:category_id>/edit", methods=["GET", "POST"])
@login_required
def edit_category(category_id: int):
    _admin()
    found = db.session.get(Category, category_id)
    if found is None:
        raise NotFound(N_("There is no such category."))
    form = CategoryForm(obj=None if request.method == "POST" else found)
    status = 200
    if form.validate_on_submit():
        try:
            categories.update(found, current_user, **form.fields())
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Category saved."), "success")
            return redirect(url_for(".admin_categories"))
    elif form.is_submitted():
        status = 422
    return render_template("forum/category_form.html", form=form, category=found), status


@bp.post("/discuss/admin/categories/<int:category_id>/delete")
@login_required
def delete_category(category_id: int):
    _admin()
    found = db.session.get(Category, category_id)
    if found is None:
        raise NotFound(N_("There is no such category."))
    if ConfirmForm().validate_on_submit():
        try:
            categories.delete(found, current_user)
        except ServiceError as error:
            flash(problem_text(error), "error")
        else:
            flash(_("Category deleted."), "info")
    return redirect(url_for(".admin_categories"))

