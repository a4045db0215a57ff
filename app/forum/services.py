"""Forum rules for writing: threads, replies, edits, deletes, accepted
answers and "helpful" reactions. Reading (pages, lists, permalinks) lives in
`reading.py`, moderation in `moderation.py`, categories in `categories.py`.

Used by the HTML views, the JSON API, the demo data and the CLI alike;
never touches the request.

Settings (app config, with these defaults):
  FORUM_POSTS_PER_MINUTE = 5     flood control per member (moderators exempt); 0 turns it off
  FORUM_HOLD_FIRST_POST = False  a new member's first post waits for a moderator's approval
  FORUM_VIEW_FLUSH_SECONDS = 30  how often counted thread views are written (reading.py)
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, select, update

from app.accounts.gate import require_verified
from app.db_types import utcnow
from app.exceptions import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from app.extensions import db
from app.forum import audit, live, media, rules, subscriptions
from app.forum.categories import slugify
from app.forum.markup import render_post
from app.forum.models import KINDS, Category, Post, PostRevision, Reaction, Thread, ThreadState, ThreadTag
from app.i18n import N_
from app.notifications.models import Message
from app.rate_limits import allow
from app.search import jobs as search_jobs
from app.tags import normalize_tags

MAX_TITLE = 200
MIN_TITLE = 8
MAX_BODY = 20_000
_MAX_BODY_TEXT = LazyString(lambda: format_decimal(MAX_BODY))  # "20,000", "20.000"... when shown
MAX_TAGS = 5


class TooManyPosts(ServiceError):
    """Flood control: more posts in the last minute than a member may write."""

    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int, limit: int):
        self.retry_after = retry_after
        message = _l("You are posting very quickly: at most %(limit)s posts a minute. "
                     "Please wait %(seconds)s seconds, then post again.", limit=limit, seconds=retry_after)
        super().__init__(message, {"body": message})


# Validation -------------------------------------------------------------------

def _clean_title(title, errors: dict) -> str:
    title = " ".join(str(title or "").split())
    if len(title) < MIN_TITLE:
        errors["title"] = _l("Give it a title of at least %(count)s characters that says what it is about.",
                              count=MIN_TITLE)
    elif len(title) > MAX_TITLE:
        errors["title"] = _l("Use at most %(count)s characters.", count=MAX_TITLE)
    return title


def _clean_body(body, errors: dict) -> str:
    body = str(body or "").strip()
    if len(body) < 2:
        errors["body"] = N_("Write something first.")
    elif len(body) > MAX_BODY:
        errors["body"] = _l("Use at most %(count)s characters.", count=_MAX_BODY_TEXT)
    return body


def _clean_tags(tags, errors: dict) -> list[str]:
    clean = normalize_tags(tags)
    if len(clean) > MAX_TAGS:
        errors["tags"] = _l("Use at most %(count)s tags.", count=MAX_TAGS)
    return clean


# Limits -----------------------------------------------------------------------

def check_flood(author) -> None:
    """At most FORUM_POSTS_PER_MINUTE posts in any 60 seconds (moderators exempt).

    Counted from the posts table, so every process agrees."""
    limit = current_app.config["FORUM_POSTS_PER_MINUTE"]
    if not limit or rules.is_moderator(author):
        return
    now = utcnow()
    recent = db.session.scalars(select(Post.created_at).where(
        Post.author_id == author.id, Post.created_at > now - timedelta(seconds=60)
    ).order_by(Post.created_at)).all()
    if len(recent) >= limit:
        frees_at = recent[len(recent) - limit] + timedelta(seconds=60)
        raise TooManyPosts(max(1, math.ceil((frees_at - now).total_seconds())), limit)


def _held(author) -> bool:
    """A new member's first post waits for a moderator when FORUM_HOLD_FIRST_POST is on."""
    if not current_app.config["FORUM_HOLD_FIRST_POST"] or rules.is_moderator(author):
        return False
    return db.session.scalar(select(Post.id).where(
        Post.author_id == author.id, Post.status == "published").limit(1)) is None


def _next_number(thread: Thread) -> int:
    """The thread's next post number, handed out atomically."""
    table = Thread.__table__
    number = db.session.execute(
        update(table).where(table.c.id == thread.id).values(last_number=table.c.last_number + 1)
        .returning(table.c.last_number)
    ).scalar_one()
    db.session.expire(thread, ["last_number"])
    return number


def _mark_read(user, thread: Thread, number: int) -> None:
    state = db.session.get(ThreadState, (user.id, thread.id))
    if state is None:
        db.session.add(ThreadState(user_id=user.id, thread_id=thread.id, last_read_number=number, level="normal"))
    elif state.last_read_number < number:
        state.last_read_number = number


# Threads ----------------------------------------------------------------------

def create_thread(author, category: Category, *, title: str, body: str, kind: str = "discussion",
                  tags=(), enforce_limits: bool = True) -> Thread:
    """Start a thread (a discussion or a question) with its first post."""
    if not rules.can_start(category, author):
        raise Forbidden(N_("Only moderators can start threads in this category.")
                        if rules.signed_in(author) else N_("Sign in to start a thread."))
    require_verified(author)
    errors: dict[str, str] = {}
    title = _clean_title(title, errors)
    body = _clean_body(body, errors)
    tags = _clean_tags(tags, errors)
    if kind not in KINDS:
        errors["kind"] = N_("A thread is a discussion or a question.")
    if errors:
        raise ValidationFailed(errors)
    if enforce_limits:
        check_flood(author)
    held = enforce_limits and _held(author)
    html, mentioned = render_post(body)
    now = utcnow()
    thread = Thread(
        category_id=category.id, author_id=author.id, kind=kind, title=title, slug=slugify(title),
        status="pending" if held else "published", post_count=0 if held else 1, last_number=1,
        last_visible_number=0 if held else 1, last_posted_at=now, last_poster_id=author.id, created_at=now,
        tag_rows=[ThreadTag(name=tag) for tag in tags],
    )
    db.session.add(thread)
    db.session.flush()
    post = Post(thread_id=thread.id, number=1, author_id=author.id, body_md=body, body_html=html,
                status="pending" if held else "published", created_at=now)
    db.session.add(post)
    db.session.flush()
    media.mark_used(html)
    subscriptions.watch_on_reply(author, thread)
    _mark_read(author, thread, 1)
    if not held:
        subscriptions.announce(post, thread, mentioned)
    db.session.commit()
    live.announce_post(post, thread)
    return thread


def first_post(thread: Thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))


def update_thread(thread: Thread, by, *, title: str | None = None, tags=None) -> Thread:
    """Change a thread's title or tags (its author or a moderator)."""
    if not rules.can_edit_thread(thread, by):
        raise Forbidden(N_("Only the person who started this thread, or a moderator, can change it."))
    errors: dict[str, str] = {}
    if title is not None:
        title = _clean_title(title, errors)
    if tags is not None:
        tags = _clean_tags(tags, errors)
    if errors:
        raise ValidationFailed(errors)
    if title is not None and title != thread.title:
        if by.id != thread.author_id:
            audit.record(by, "thread.retitle", "thread", thread.id,
                         Message(N_("Renamed “%(old)s” to “%(new)s”"), {"old": thread.title, "new": title}))
        thread.title, thread.slug = title, slugify(title)
    if tags is not None:
        thread.tag_rows = [ThreadTag(name=tag) for tag in tags]
    db.session.commit()
    return thread


# Posts ------------------------------------------------------------------------

def reply(thread: Thread, author, body: str, *, reply_to_id: int | None = None,
          enforce_limits: bool = True) -> Post:
    """Add a post to a thread. Refused in locked threads (moderators excepted)."""
    problem = rules.reply_problem(thread, author)
    if problem:
        raise Forbidden(problem)
    require_verified(author)
    errors: dict[str, str] = {}
    body = _clean_body(body, errors)
    if reply_to_id is not None:
        parent = db.session.get(Post, reply_to_id)
        if parent is None or parent.thread_id != thread.id or not rules.can_see_post(parent, author):
            errors["reply_to"] = N_("That post is not in this thread.")
    if errors:
        raise ValidationFailed(errors)
    if enforce_limits:
        check_flood(author)
    held = enforce_limits and _held(author)
    html, mentioned = render_post(body)
    number = _next_number(thread)
    now = utcnow()
    post = Post(thread_id=thread.id, number=number, author_id=author.id, reply_to_id=reply_to_id, body_md=body,
                body_html=html, status="pending" if held else "published", created_at=now)
    db.session.add(post)
    if not held:
        _count_published(thread, post)
    db.session.flush()
    media.mark_used(html)
    subscriptions.watch_on_reply(author, thread)
    _mark_read(author, thread, number)
    if not held:
        subscriptions.announce(post, thread, mentioned)
    db.session.commit()
    live.announce_post(post, thread)
    return post


def _count_published(thread: Thread, post: Post) -> None:
    # SQL expressions: two replies at once both count.
    thread.post_count = Thread.post_count + 1
    thread.last_visible_number = case((Thread.last_visible_number < post.number, post.number),
                                      else_=Thread.last_visible_number)
    thread.last_posted_at = post.created_at
    thread.last_poster_id = post.author_id


def edit_post(post: Post, by, body: str) -> Post:
    """Change a post's text, keeping the version it replaces (who wrote it, when)."""
    if not rules.can_edit_post(post, by):
        raise Forbidden(N_("You can only edit your own posts."))
    errors: dict[str, str] = {}
    body = _clean_body(body, errors)
    if errors:
        raise ValidationFailed(errors)
    if body == post.body_md:
        return post
    html, mentioned = render_post(body)
    db.session.add(PostRevision(post_id=post.id, body_md=post.body_md, body_html=post.body_html,
                                written_by_id=post.edited_by_id or post.author_id,
                                written_at=post.edited_at or post.created_at))
    post.body_md, post.body_html = body, html
    media.mark_used(html)
    post.edited_at, post.edited_by_id = utcnow(), by.id
    thread = post.thread
    if by.id != post.author_id:
        audit.record(by, "post.edit", "post", post.id, Message(N_("Edited post #%(number)s in “%(thread)s”"),
                                 {"number": post.number, "thread": thread.title}))
    if post.status == "published" and thread.status == "published" and mentioned:
        subscriptions.announce_mentions(post, thread, mentioned, actor=by)
    db.session.commit()
    return post


def preview(viewer, body: str) -> str:
    """The HTML a post with this text would show: the same markdown, cleaning
    and @mention links as a posted one. Writes nothing, tells no one."""
    if not rules.signed_in(viewer):
        raise Forbidden(N_("Sign in to preview a post."))
    errors: dict[str, str] = {}
    body = _clean_body(body, errors)
    if errors:
        raise ValidationFailed(errors)
    if not allow("post_preview", viewer.id, current_app.config["RATELIMIT_POST_PREVIEW"]):
        raise media.TooFast(N_("Too many previews in a row. Wait a minute, then try again."), 60, "body")
    html, _mentioned = render_post(body)
    return html


def revisions(post: Post) -> list[PostRevision]:
    return list(db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                                   .order_by(PostRevision.replaced_at.desc(), PostRevision.id.desc())))


def delete_post(post: Post, by, reason: str = "") -> None:
    """Delete a post (its author or a moderator); deleting the first post deletes the thread."""
    if not rules.can_edit_post(post, by):
        raise Forbidden(N_("You can only delete your own posts."))
    thread = post.thread
    if post.number == 1:
        thread.status = "deleted"
        reindex_thread_posts(thread)
        what = Message(N_("Deleted thread “%(thread)s”"), {"thread": thread.title})
    else:
        post.status = "deleted"
        what = Message(N_("Deleted post #%(number)s in “%(thread)s”"), {"number": post.number, "thread": thread.title})
    db.session.flush()
    refresh_thread(thread)
    if by.id != post.author_id or rules.is_moderator(by):
        audit.record(by, "post.delete", "post", post.id, what, reason)
    db.session.commit()


def reindex_thread_posts(thread: Thread) -> None:
    """The thread's visibility or category changed: its posts' index entries follow."""
    post_ids = db.session.scalars(select(Post.id).where(Post.thread_id == thread.id))
    search_jobs.enqueue(f"post:{post_id}" for post_id in post_ids)


def refresh_thread(thread: Thread) -> None:
    """Recount a thread after posts were hidden, restored, deleted or moved."""
    visible = (Post.thread_id == thread.id, Post.status == "published")
    count, last_number, helpful = db.session.execute(
        select(func.count(Post.id), func.max(Post.number), func.coalesce(func.sum(Post.helpful_count), 0))
        .where(*visible)).one()
    last = db.session.scalar(select(Post).where(*visible).order_by(Post.number.desc()).limit(1))
    thread.post_count, thread.last_visible_number, thread.helpful_count = count, last_number or 0, int(helpful)
    thread.last_posted_at = last.created_at if last else thread.created_at
    thread.last_poster_id = last.author_id if last else thread.author_id
    if thread.accepted_post_id is not None and db.session.scalar(
            select(Post.id).where(Post.id == thread.accepted_post_id, *visible)) is None:
        thread.accepted_post_id = None


def get_post(post_id: int, viewer) -> Post:
    """A post the viewer may see, in a thread they may see."""
    post = db.session.get(Post, post_id)
    if post is None or not rules.can_see_post(post, viewer) or not rules.can_see_thread(post.thread, viewer):
        raise NotFound(N_("There is no such post."))
    return post


# Q&A ------------------------------------------------------------------------------

def accept_answer(post: Post, by) -> Thread:
    thread = post.thread
    if not rules.can_accept(thread, by):
        if not thread.is_question:
            raise Conflict(N_("Only questions have accepted answers."))
        raise Forbidden(N_("Only the person who asked, or a moderator, can accept an answer."))
    if post.number == 1:
        raise Conflict(N_("The question cannot be its own answer."))
    if post.status != "published":
        raise Conflict(N_("Only a published answer can be accepted."))
    if thread.accepted_post_id != post.id:
        thread.accepted_post_id = post.id
        if by.id != thread.author_id:
            audit.record(by, "answer.accept", "post", post.id, Message(N_("Accepted post #%(number)s in “%(thread)s”"),
                                 {"number": post.number, "thread": thread.title}))
        subscriptions.announce_accepted(post, thread, by)
        db.session.commit()
    return thread


def unaccept_answer(thread: Thread, by) -> Thread:
    if not rules.can_accept(thread, by):
        raise Forbidden(N_("Only the person who asked, or a moderator, can change the accepted answer."))
    if thread.accepted_post_id is not None:
        thread.accepted_post_id = None
        db.session.commit()
    return thread


def set_helpful(post: Post, user, helpful: bool) -> bool:
    """Mark (or unmark) a post helpful; returns whether it now is, for this member."""
    if not rules.signed_in(user):
        raise Forbidden(N_("Sign in to mark posts helpful."))
    if post.author_id == user.id:
        raise Conflict(N_("You cannot mark your own post helpful."))
    if post.status != "published":
        raise Conflict(N_("Only published posts can be marked helpful."))
    key = (post.id, user.id, "helpful")
    exists = db.session.get(Reaction, key) is not None
    if helpful == exists:
        return helpful
    change = 1 if helpful else -1
    if helpful:
        db.session.add(Reaction(post_id=post.id, user_id=user.id, kind="helpful"))
    else:
        db.session.execute(delete(Reaction).where(Reaction.post_id == post.id, Reaction.user_id == user.id,
                                                  Reaction.kind == "helpful"))
    post.helpful_count = Post.helpful_count + change
    post.thread.helpful_count = Thread.helpful_count + change
    db.session.commit()
    return helpful
