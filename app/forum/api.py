"""The forum in the JSON API under /api/v1: categories, threads, posts,
accepted answers, reactions, subscriptions and reports. Thin over the same
services as the pages."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from flask_smorest import Blueprint

from app.accounts import services as accounts
from app.api_support import (
    PageArgs,
    api_login_required,
    exempt_from_form_csrf,
    paginate,
)
from app.errors import json_error
from app.exceptions import NotFound, ValidationFailed
from app.forum import categories, live, moderation, reading, services, similar, subscriptions
from app.forum.schemas import (
    AcceptedAnswerPageSchema,
    CategoryPageSchema,
    NewPostsArgs,
    NewPostsSchema,
    NewThreadsArgs,
    NewThreadsSchema,
    PostCreateSchema,
    PostSchema,
    PostUpdateSchema,
    ReactionCreateSchema,
    ReactionStateSchema,
    ReportCreateSchema,
    ReportSchema,
    RevisionSchema,
    SimilarArgs,
    SimilarSchema,
    SubscriptionSchema,
    ThreadCreateSchema,
    ThreadDetailSchema,
    ThreadListArgs,
    ThreadListSchema,
    ThreadPageArgs,
    ThreadSchema,
    ThreadUpdateSchema,
)
from app.forum.services import TooManyPosts
from app.i18n import N_

blp = Blueprint("forum_api", __name__, url_prefix="/api/v1", description="Discussions and Q&A")
exempt_from_form_csrf(blp)


@blp.errorhandler(TooManyPosts)
def too_many_posts(error: TooManyPosts):
    body, status = json_error(429, error.message, error.fields, error.code)
    return body, status, {"Retry-After": str(error.retry_after)}


class _Detail:
    """A thread plus what the detail schema adds (the page of posts...)."""

    def __init__(self, thread, **extra):
        self._thread = thread
        self.__dict__.update(extra)

    def __getattr__(self, name):
        return getattr(self._thread, name)


def _thread(thread_id: int):
    return reading.load_thread(thread_id, current_user)


# A member's answers ----------------------------------------------------------------

@blp.get("/users/<string:username>/answers")
@blp.arguments(PageArgs, location="query")
@blp.response(200, AcceptedAnswerPageSchema)
def member_answers(args, username):
    """A member's accepted answers, in the questions you may read, the latest first, with how many
    answers they gave in all."""
    user = accounts.public_member(username)
    page = paginate(reading.accepted_answers_query(user, current_user), **args)
    return {**page, "answers_given": reading.answer_stats(user, current_user)["answers"]}


# Categories -------------------------------------------------------------------------

@blp.get("/categories")
@blp.arguments(PageArgs, location="query")
@blp.response(200, CategoryPageSchema)
def list_categories(args):
    """Forum categories the caller may read, in their order."""
    shown = categories.readable(current_user)
    stats = categories.stats([c.id for c in shown])
    start = (args["page"] - 1) * args["per_page"]
    items = [{
        **{name: getattr(c, name) for name in ("id", "slug", "name", "description", "position", "read_access",
                                               "start_access", "reply_access")},
        "thread_count": stats[c.id]["threads"], "post_count": stats[c.id]["posts"], "html_url": f"/discuss/c/{c.slug}",
    } for c in shown[start:start + args["per_page"]]]
    return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": len(shown)}


@blp.get("/categories/<int:category_id>/new-threads")
@api_login_required
@blp.arguments(NewThreadsArgs, location="query")
@blp.response(200, NewThreadsSchema)
def list_new_threads(args, category_id):
    """Threads newer than an id you have (what a category page's "new threads"
    bar shows): ask after a `forum_thread` push on /live."""
    category = categories.by_id(category_id, current_user)
    after = args.pop("after")
    items = live.new_threads(category, current_user, after, args)
    return {"items": items, "last_id": items[0].id if items else after}


@blp.get("/categories/<int:category_id>/subscription")
@api_login_required
@blp.response(200, SubscriptionSchema)
def get_category_subscription(category_id):
    """My notification level for a category."""
    return {"level": subscriptions.category_level(current_user, categories.by_id(category_id, current_user))}


@blp.put("/categories/<int:category_id>/subscription")
@api_login_required
@blp.arguments(SubscriptionSchema)
@blp.response(200, SubscriptionSchema)
def set_category_subscription(data, category_id):
    """Watch a category (hear of every new thread), mute it, or go back to normal."""
    category = categories.by_id(category_id, current_user)
    return {"level": subscriptions.set_category_level(current_user, category, data["level"]).level}


# Threads -----------------------------------------------------------------------------

@blp.get("/threads")
@blp.arguments(ThreadListArgs, location="query")
@blp.response(200, ThreadListSchema)
@blp.alt_response(404, response="NOT_FOUND")
def list_threads(args):
    """Threads the caller may read, pinned first, by latest activity, newest, top or unanswered."""
    category = None
    if "category_id" in args:
        category = categories.by_id(args["category_id"], current_user)
    elif "category" in args:
        category = categories.by_slug(args["category"], current_user)
    statement = reading.list_query(current_user, category=category, sort=args["sort"], kind=args.get("kind"),
                                   tag=args.get("tag"))
    return paginate(statement, args["page"], args["per_page"])


@blp.post("/threads")
@api_login_required
@blp.arguments(ThreadCreateSchema)
@blp.response(201, ThreadSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def create_thread(data):
    """Start a discussion or ask a question (status "pending" while a first post waits for approval)."""
    try:
        category = categories.by_id(data.pop("category_id"), current_user)
    except NotFound as error:
        raise ValidationFailed({"category_id": N_("No such category.")}) from error
    return services.create_thread(current_user, category, **data)


@blp.get("/threads/similar")
@blp.arguments(SimilarArgs, location="query")
@blp.response(200, SimilarSchema)
def similar_threads(args):
    """Threads like a title being typed ("Similar questions" on the new-thread
    form), from the search index, only those you may open."""
    items, available = similar.similar_threads(args["title"], current_user)
    return {"items": items, "available": available}


@blp.get("/threads/<int:thread_id>")
@blp.arguments(ThreadPageArgs, location="query")
@blp.response(200, ThreadDetailSchema)
def get_thread(args, thread_id):
    """A thread with one page of its posts (20 a page) and, on page 1, its accepted answer."""
    thread, state = _thread(thread_id)
    view = reading.thread_page(thread, state, current_user, args["page"], with_markdown=True)
    detail = _Detail(
        thread, posts={"items": view.posts, "page": view.page, "pages": view.pages, "per_page": reading.POSTS_PER_PAGE},
        accepted_answer=view.accepted, helpful_post_ids=sorted(view.helpful_ids), first_unread=view.first_unread,
        subscription=state.level if state else "normal",
    )
    # Serialized before the read mark commits (a commit expires what it shows).
    response = jsonify(ThreadDetailSchema().dump(detail))
    reading.record_view(thread)
    reading.mark_read(current_user, thread, state, view.posts)
    return response


@blp.patch("/threads/<int:thread_id>")
@api_login_required
@blp.arguments(ThreadUpdateSchema)
@blp.response(200, ThreadSchema)
@blp.alt_response(403, response="FORBIDDEN")
def update_thread(data, thread_id):
    """Retitle or retag (author or moderator); move, pin or lock (moderators)."""
    thread, _state = _thread(thread_id)
    reason = data.pop("reason", "")
    if "title" in data or "tags" in data:
        services.update_thread(thread, current_user, title=data.get("title"), tags=data.get("tags"))
    if "category_id" in data and data["category_id"] != thread.category_id:
        try:
            target = categories.by_id(data["category_id"], current_user)
        except NotFound as error:
            raise ValidationFailed({"category_id": N_("No such category.")}) from error
        moderation.move_thread(thread, current_user, target, reason)
    if "pinned" in data:
        moderation.set_pinned(thread, current_user, data["pinned"], reason)
    if "locked" in data:
        moderation.set_locked(thread, current_user, data["locked"], reason)
    return thread


@blp.get("/threads/<int:thread_id>/subscription")
@api_login_required
@blp.response(200, SubscriptionSchema)
def get_thread_subscription(thread_id):
    """My notification level for a thread."""
    thread, state = _thread(thread_id)
    return {"level": state.level if state else "normal"}


@blp.put("/threads/<int:thread_id>/subscription")
@api_login_required
@blp.arguments(SubscriptionSchema)
@blp.response(200, SubscriptionSchema)
def set_thread_subscription(data, thread_id):
    """Follow a thread (every reply), mute it (nothing), or go back to normal."""
    thread, _state = _thread(thread_id)
    return {"level": subscriptions.set_thread_level(current_user, thread, data["level"]).level}


@blp.get("/threads/<int:thread_id>/posts")
@api_login_required
@blp.arguments(NewPostsArgs, location="query")
@blp.response(200, NewPostsSchema)
def list_new_posts(args, thread_id):
    """Posts after a number you have (what the page's "new replies" bar shows):
    ask after a `forum_post` push on /live, or to catch up."""
    thread, _state = _thread(thread_id)
    items, last = live.new_posts_for_api(thread, current_user, args["after"])
    return {"items": items, "last_number": last}


@blp.post("/threads/<int:thread_id>/posts")
@api_login_required
@blp.arguments(PostCreateSchema)
@blp.response(201, PostSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def create_post(data, thread_id):
    """Reply in a thread (refused when it is locked). Replying subscribes you to it."""
    thread, _state = _thread(thread_id)
    return services.reply(thread, current_user, data["body"], reply_to_id=data.get("reply_to"))


# Posts ----------------------------------------------------------------------------------

@blp.get("/posts/<int:post_id>")
@blp.response(200, PostSchema)
def get_post(post_id):
    """One post."""
    return services.get_post(post_id, current_user)


@blp.patch("/posts/<int:post_id>")
@api_login_required
@blp.arguments(PostUpdateSchema)
@blp.response(200, PostSchema)
@blp.alt_response(403, response="FORBIDDEN")
def update_post(data, post_id):
    """Edit a post (its author or a moderator); the replaced version is kept."""
    return services.edit_post(services.get_post(post_id, current_user), current_user, data["body"])


@blp.delete("/posts/<int:post_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def delete_post(post_id):
    """Delete a post (its author or a moderator). Deleting the opening post deletes the thread."""
    services.delete_post(services.get_post(post_id, current_user), current_user)
    return None


@blp.get("/posts/<int:post_id>/revisions")
@blp.response(200, RevisionSchema(many=True))
def list_revisions(post_id):
    """Earlier versions of a post, the most recently replaced first."""
    return services.revisions(services.get_post(post_id, current_user))


@blp.post("/posts/<int:post_id>/accept")
@api_login_required
@blp.response(200, ThreadSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def accept_post(post_id):
    """Mark a reply as the accepted answer of its question (the asker or a moderator)."""
    return services.accept_answer(services.get_post(post_id, current_user), current_user)


@blp.delete("/posts/<int:post_id>/accept")
@api_login_required
@blp.response(200, ThreadSchema)
@blp.alt_response(403, response="FORBIDDEN")
def unaccept_post(post_id):
    """Take back the accepted mark (the asker or a moderator)."""
    post = services.get_post(post_id, current_user)
    thread = post.thread
    if thread.accepted_post_id != post.id:
        raise NotFound(N_("This post is not the accepted answer."))
    return services.unaccept_answer(thread, current_user)


@blp.post("/posts/<int:post_id>/reactions")
@api_login_required
@blp.arguments(ReactionCreateSchema)
@blp.response(200, ReactionStateSchema)
@blp.alt_response(409, response="CONFLICT")
def add_reaction(data, post_id):
    """Mark a post helpful; doing it twice changes nothing."""
    post = services.get_post(post_id, current_user)
    helpful = services.set_helpful(post, current_user, True)
    return {"helpful": helpful, "helpful_count": post.helpful_count}


@blp.delete("/posts/<int:post_id>/reactions/<string:kind>")
@api_login_required
@blp.response(200, ReactionStateSchema)
@blp.alt_response(409, response="CONFLICT")
def remove_reaction(post_id, kind):
    """Take back a "helpful" mark."""
    if kind != "helpful":
        raise NotFound(N_("The only reaction is helpful."))
    post = services.get_post(post_id, current_user)
    helpful = services.set_helpful(post, current_user, False)
    return {"helpful": helpful, "helpful_count": post.helpful_count}


@blp.post("/posts/<int:post_id>/reports")
@api_login_required
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportSchema)
@blp.alt_response(409, response="CONFLICT")
def report_post(data, post_id):
    """Report a post to the moderators, with a reason."""
    return moderation.report_post(services.get_post(post_id, current_user), current_user, data["reason"])

