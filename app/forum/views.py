"""Forum pages: categories, thread lists, threads, posting, Q&A and
permalinks. Moderation and category admin pages are in `moderation_views.py`
(same blueprint).

Thin views: parse, call a service, render. A thread page renders before it
writes the reader's read mark and view count, so nothing it shows is
reloaded after a commit.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.api_support import paginate, paginate_request
from app.exceptions import Forbidden, ServiceError
from app.form_errors import attach_errors
from app.forum import categories, live, media, reading, rules, services, subscriptions
from app.forum.forms import (
    BODY_HINT,
    ConfirmForm,
    EditPostForm,
    LevelForm,
    ListForm,
    ReplyForm,
    ReportForm,
    ThreadEditForm,
    ThreadForm,
)
from app.forum.markup import quote_markdown
from app.forum.moderation import report_post
from app.i18n import N_, translate
from app.params import MAX_ID, optional_id, parse_page, to_int
from app.template_helpers import viewer_timezone

bp = Blueprint("forum", __name__)
THREADS_PER_PAGE = 20
PROFILE_ANSWERS_PER_PAGE = 10


def thread_url(thread, **params) -> str:
    return url_for("forum.thread", thread_id=thread.id, slug=thread.slug, **params)


def post_url(post, thread) -> str:
    """The page and anchor of a post (what /p/<id> redirects to)."""
    page = reading.page_of(post.number)
    return thread_url(thread, page=page if page > 1 else None, _anchor=f"post-{post.id}")


@bp.app_template_global("forum_profile_panel")
def forum_profile_panel(user) -> dict:
    """For templates/forum/_profile_panel.html on a member's profile: the
    counts, and the accepted answers a page (?answers_page=N) at a time."""
    accepted = paginate(reading.accepted_answers_query(user, current_user),
                        parse_page(request.args.get("answers_page")), PROFILE_ANSWERS_PER_PAGE)
    return {**reading.answer_stats(user, current_user), "accepted_page": accepted}


bp.add_app_template_global(thread_url, "thread_url")


def problem_text(error: ServiceError) -> str:
    """A service error as one line for a flash message."""
    return " ".join(translate(text) for text in error.fields.values()) or translate(error.message)


def _listing(viewer, category=None) -> dict:
    form = ListForm(request.args)
    filters = form.filters()
    muted = subscriptions.muted_category_ids(viewer) if category is None else ()
    statement = reading.list_query(viewer, category=category, sort=filters.get("sort", "latest"),
                                   kind=filters.get("kind"), tag=filters.get("tag"), muted_category_ids=muted)
    result = paginate_request(statement, THREADS_PER_PAGE)
    marks = reading.read_marks(viewer, [t.id for t in result["items"]])
    return {"form": form, "filters": filters, "result": result, "marks": marks, "zone": viewer_timezone()}


# The composer -------------------------------------------------------------------

def composer_step(form) -> tuple[str | None, int] | None:
    """The composer's own submits, which post nothing: "Preview" shows the
    text as it would be posted, and an image chosen in the form is uploaded
    and its markdown added to the end of the text. Returns the preview HTML
    and status to show the form again with, or None: go on and post."""
    if not form.is_submitted():
        return None
    chosen = form.image.data
    uploading = bool(getattr(chosen, "filename", ""))
    if not uploading and "preview" not in request.form:
        return None
    status = 200
    if uploading:
        status = _attach_image(form, chosen)
    elif request.form["preview"] == "image":
        form.image.errors = [_("Choose an image first.")]
        status = 422
    try:
        html = services.preview(current_user, form.body.data)
    except ServiceError as error:
        attach_errors(form, error)
        return None, status if status != 200 else error.status
    return html, status


def _attach_image(form, chosen) -> int:
    """Upload the form's chosen image and add its markdown to the end of the
    text; the status to answer with (its error goes on the image field)."""
    try:
        image = media.add_image(current_user, chosen.read(media.upload_limit() + 1))
    except ServiceError as error:
        attach_errors(form, error)
        return error.status
    markdown = media.markdown_for(image, media.alt_from_file_name(chosen.filename))
    form.body.data = f"{(form.body.data or '').rstrip()}\n\n{markdown}\n".lstrip()
    flash(_("Image added at the end of your text. Say what it shows between the square brackets."), "success")
    return 200


# Lists -------------------------------------------------------------------------

@bp.get("/discuss")
def index():
    viewer = current_user._get_current_object()
    shown = categories.readable(viewer)
    return render_template("forum/index.html", categories=shown,
                           stats=categories.stats([c.id for c in shown]), **_listing(viewer))


@bp.get("/discuss/c/<slug>")
def category(slug: str):
    viewer = current_user._get_current_object()
    found = categories.by_slug(slug, viewer)
    return render_template("forum/category.html", category=found, level=subscriptions.category_level(viewer, found),
                           can_start=rules.can_start(found, viewer), latest_thread_id=live.latest_thread_id(found),
                           **_listing(viewer, found))


@bp.get("/discuss/c/<slug>/new-threads")
@login_required
def new_threads(slug: str):
    """Threads newer than id `after` for the "new threads" bar of a category
    page, rendered as its list rows, with the page's own filters. A fragment."""
    viewer = current_user._get_current_object()
    found = categories.by_slug(slug, viewer)
    filters = ListForm(request.args).filters()
    after = _after_arg()
    threads = live.new_threads(found, viewer, after, filters)
    return render_template("forum/_new_threads.html", threads=threads, zone=viewer_timezone(), after=after,
                           marks=reading.read_marks(viewer, [t.id for t in threads]))


@bp.post("/discuss/c/<slug>/subscription")
@login_required
def category_subscription(slug: str):
    found = categories.by_slug(slug, current_user)
    form = LevelForm()
    if form.validate_on_submit():
        try:
            subscriptions.set_category_level(current_user, found, form.level.data)
        except ServiceError as error:
            flash(problem_text(error), "error")
        else:
            flash({"watching": _("You will hear of every new thread in %(category)s.", category=found.name),
                   "muted": _("%(category)s is muted: its threads leave your list of all discussions.",
                              category=found.name),
                   }.get(form.level.data, _("Back to normal notifications for %(category)s.", category=found.name)),
                  "info")
    return redirect(url_for(".category", slug=found.slug))


# Starting a thread ------------------------------------------------------------------

@bp.route("/discuss/new", methods=["GET", "POST"])
@login_required
def new_thread():
    allowed = categories.startable(current_user)
    form = ThreadForm(category=request.args.get("category"), kind=request.args.get("kind") or "question")
    form.offer(allowed)
    status, headers = 200, {}
    preview = None
    if (step := composer_step(form)) is not None:
        preview, status = step
    elif form.validate_on_submit():
        chosen = next((c for c in allowed if c.slug == form.category.data), None)
        try:
            if chosen is None:
                raise Forbidden(N_("You cannot start a thread in that category."))
            thread = services.create_thread(current_user, chosen, title=form.title.data, body=form.body.data,
                                            kind=form.kind.data, tags=form.tags.data or "")
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
            if isinstance(error, services.TooManyPosts):
                headers["Retry-After"] = str(error.retry_after)
        else:
            if thread.status == "pending":
                flash(_("Thanks! Your first post waits for a moderator's approval; it will appear soon."), "info")
            else:
                flash(_("Your question is up. You will be notified of answers.") if thread.is_question
                      else _("Your thread is up."), "success")
            return redirect(thread_url(thread))
    elif form.is_submitted():
        status = 422
    return render_template("forum/new_thread.html", form=form, preview=preview), status, headers


# A thread -----------------------------------------------------------------------

@bp.get("/t/<int:thread_id>")
def thread_short(thread_id: int):
    thread, _state = reading.load_thread(thread_id, current_user)
    page = parse_page(request.args.get("page"))
    return redirect(thread_url(thread, page=page if page > 1 else None), 301)


@bp.get("/t/<int:thread_id>-<slug>")
def thread(thread_id: int, slug: str):
    # The user object itself, not the proxy: this page asks about it often.
    viewer = current_user._get_current_object()
    thread, state = reading.load_thread(thread_id, viewer)
    page = parse_page(request.args.get("page"))
    if slug != thread.slug:
        return redirect(thread_url(thread, page=page if page > 1 else None), 301)
    view = reading.thread_page(thread, state, viewer, page)
    html = render_template("forum/thread.html", **_thread_context(thread, view, viewer),
                           level=state.level if state else "normal", body_hint=BODY_HINT)
    # After rendering: these commit, and a commit expires what the page showed.
    reading.record_view(thread)
    reading.mark_read(viewer, thread, state, view.posts)
    return html


def _thread_context(thread, view, viewer) -> dict:
    """What forum/thread.html and forum/_post.html need besides the posts."""
    return {"thread": thread, "view": view, "rules": rules, "viewer": viewer,
            "me": viewer if rules.signed_in(viewer) else None, "zone": viewer_timezone(),
            "reply_problem": rules.reply_problem(thread, viewer), "can_accept": rules.can_accept(thread, viewer),
            "is_moderator": rules.is_moderator(viewer)}


def _after_arg() -> int:
    """The `after` query value of the live bars' fragments: a number, 0 and up (else 400)."""
    after = to_int(request.args.get("after", "0"), 0, MAX_ID)
    if after is None:
        abort(400, "after must be a whole number from 0.")
    return after


@bp.get("/t/<int:thread_id>/new-posts")
@login_required
def new_posts(thread_id: int):
    """The posts after number `after`, rendered as on the thread page, for the
    "new replies" bar (static/js/forum_live.js). A fragment, not a page."""
    viewer = current_user._get_current_object()
    thread, _state = reading.load_thread(thread_id, viewer)
    posts, last = live.new_posts(thread, viewer, _after_arg())
    view = reading.ThreadPage(thread=thread, page=1, pages=1, posts=posts,
                              helpful_ids=reading.helpful_marks(viewer, [post.id for post in posts]))
    return render_template("forum/_new_posts.html", **_thread_context(thread, view, viewer), last=last)


@bp.get("/t/<int:thread_id>/unread")
@login_required
def first_unread(thread_id: int):
    thread, state = reading.load_thread(thread_id, current_user)
    post = reading.first_visible_from(thread, reading.first_unread_number(thread, state), current_user)
    if post is None:
        return redirect(thread_url(thread))
    return redirect(post_url(post, thread))


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
def reply(thread_id: int):
    thread, _state = reading.load_thread(thread_id, current_user)
    problem = rules.reply_problem(thread, current_user)
    if problem:
        raise Forbidden(problem)
    form = ReplyForm()
    status, headers = 200, {}
    if request.method == "POST":
        parent_id = optional_id(form.reply_to.data)
    else:
        parent_id = optional_id(request.args.get("quote") or request.args.get("reply_to"))
    parent = services.get_post(parent_id, current_user) if parent_id else None
    if parent is not None and parent.thread_id != thread.id:
        abort(404)
    if request.method == "GET" and parent is not None:
        form.reply_to.data = str(parent.id)
        if request.args.get("quote"):
            form.body.data = quote_markdown(parent, parent.author.display_name)
    preview = None
    if (step := composer_step(form)) is not None:
        preview, status = step
    elif form.validate_on_submit():
        try:
            post = services.reply(thread, current_user, form.body.data, reply_to_id=parent_id)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
            if isinstance(error, services.TooManyPosts):
                headers["Retry-After"] = str(error.retry_after)
        else:
            if post.status == "pending":
                flash(_("Thanks! Your first post waits for a moderator's approval; it will appear soon."), "info")
            return redirect(post_url(post, thread))
    elif form.is_submitted():
        status = 422
    return (render_template("forum/reply.html", thread=thread, form=form, parent=parent, preview=preview),
            status, headers)


@bp.post("/t/<int:thread_id>/subscription")
@login_required
def thread_subscription(thread_id: int):
    thread, _state = reading.load_thread(thread_id, current_user)
    form = LevelForm()
    if form.validate_on_submit():
        try:
            subscriptions.set_thread_level(current_user, thread, form.level.data)
        except ServiceError as error:
            flash(problem_text(error), "error")
        else:
            flash({"watching": _("You are following this thread: you will hear of every reply."),
                   "muted": _("Thread muted: you will not be notified about it.")}
                  .get(form.level.data, _("Notifications for this thread are back to normal.")), "info")
    return redirect(thread_url(thread))


@bp.route("/t/<int:thread_id>/edit", methods=["GET", "POST"])
@login_required
def edit_thread(thread_id: int):
    thread, _state = reading.load_thread(thread_id, current_user)
    if not rules.can_edit_thread(thread, current_user):
        raise Forbidden(N_("Only the person who started this thread, or a moderator, can change it."))
    form = ThreadEditForm(data=None if request.method == "POST" else
                          {"title": thread.title, "tags": ", ".join(thread.tags)})
    status = 200
    if form.validate_on_submit():
        try:
            services.update_thread(thread, current_user, title=form.title.data, tags=form.tags.data or "")
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Thread saved."), "success")
            return redirect(thread_url(thread))
    elif form.is_submitted():
        status = 422
    return render_template("forum/edit_thread.html", thread=thread, form=form), status


@bp.post("/t/<int:thread_id>/unaccept")
@login_required
def unaccept(thread_id: int):
    thread, _state = reading.load_thread(thread_id, current_user)
    if ConfirmForm().validate_on_submit():
        services.unaccept_answer(thread, current_user)
        flash(_("The answer is no longer marked accepted."), "info")
    return redirect(thread_url(thread))


# Posts ------------------------------------------------------------------------------

@bp.get("/p/<int:post_id>")
def post(post_id: int):
    thread, found, _page = reading.locate(post_id, current_user)
    return redirect(post_url(found, thread))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    found = services.get_post(post_id, current_user)
    if not rules.can_edit_post(found, current_user):
        raise Forbidden(N_("You can only edit your own posts."))
    form = EditPostForm(data=None if request.method == "POST" else {"body": found.body_md})
    status, preview = 200, None
    if (step := composer_step(form)) is not None:
        preview, status = step
    elif form.validate_on_submit():
        try:
            services.edit_post(found, current_user, form.body.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Post saved. Earlier versions are kept in its history."), "success")
            return redirect(post_url(found, found.thread))
    elif form.is_submitted():
        status = 422
    return render_template("forum/edit_post.html", post=found, thread=found.thread, form=form,
                           preview=preview), status


@bp.get("/p/<int:post_id>/history")
def post_history(post_id: int):
    found = services.get_post(post_id, current_user)
    return render_template("forum/history.html", post=found, thread=found.thread,
                           revisions=services.revisions(found))


@bp.route("/p/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete_post(post_id: int):
    found = services.get_post(post_id, current_user)
    if not rules.can_edit_post(found, current_user):
        raise Forbidden(N_("You can only delete your own posts."))
    thread = found.thread
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_post(found, current_user, request.form.get("reason", ""))
        if found.number == 1:
            flash(_("The thread is deleted."), "info")
            return redirect(url_for(".category", slug=thread.category.slug))
        flash(_("Post deleted."), "info")
        return redirect(thread_url(thread))
    return render_template("forum/delete_post.html", post=found, thread=thread, form=form)


@bp.post("/p/<int:post_id>/accept")
@login_required
def accept(post_id: int):
    found = services.get_post(post_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            services.accept_answer(found, current_user)
        except ServiceError as error:
            if error.status == 403:
                raise
            flash(problem_text(error), "error")
        else:
            flash(_("Answer accepted. Thank you for closing the loop!"), "success")
    return redirect(post_url(found, found.thread))


@bp.post("/p/<int:post_id>/helpful")
@login_required
def helpful(post_id: int):
    found = services.get_post(post_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            services.set_helpful(found, current_user, request.form.get("helpful") != "0")
        except ServiceError as error:
            flash(problem_text(error), "error")
    return redirect(post_url(found, found.thread))


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report(post_id: int):
    found = services.get_post(post_id, current_user)
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        try:
            report_post(found, current_user, form.reason.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Thank you. The moderators will look at this post."), "success")
            return redirect(post_url(found, found.thread))
    elif form.is_submitted():
        status = 422
    return render_template("forum/report.html", post=found, thread=found.thread, form=form), status
