"""Moderation: reports, the queue, held first posts, hiding and restoring,
locking, pinning, moving and splitting threads. Every action is written to
the audit log with who did it and why. (Suspending a member is the
accounts feature's; the queue links to it.)"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.db_types import utcnow
from app.exceptions import Conflict, Forbidden, ValidationFailed
from app.extensions import db
from app.forum import audit, live, rules, subscriptions
from app.forum.categories import slugify
from app.forum.markup import render_post
from app.forum.models import Category, Post, Report, Thread, ThreadState
from app.forum.reading import lean_user
from app.forum.services import refresh_thread, reindex_thread_posts
from app.i18n import N_
from app.notifications.models import Message

MAX_REASON = 500


def _require_moderator(by) -> None:
    if not rules.is_moderator(by):
        raise Forbidden(N_("Only moderators can do that."))


def _reason(reason: str | None, required: bool = False) -> str:
    reason = " ".join((reason or "").split())
    if required and len(reason) < 3:
        raise ValidationFailed({"reason": N_("Say why, in a few words: it goes in the moderation log.")})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": _l("Use at most %(count)s characters.", count=MAX_REASON)})
    return reason


def _where(post: Post) -> dict:
    """The values that name a post in a summary: its number and thread."""
    return {"number": post.number, "thread": post.thread.title}


# Reports ------------------------------------------------------------------------

def report_post(post: Post, reporter, reason: str) -> Report:
    if not rules.signed_in(reporter):
        raise Forbidden(N_("Sign in to report a post."))
    if post.author_id == reporter.id:
        raise Conflict(N_("You cannot report your own post; edit or delete it instead."))
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValidationFailed({"reason": N_("Tell the moderators what is wrong with this post.")})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": _l("Use at most %(count)s characters.", count=MAX_REASON)})
    if db.session.scalar(select(Report.id).where(Report.post_id == post.id, Report.reporter_id == reporter.id,
                                                 Report.resolved_at.is_(None))):
        raise Conflict(N_("You have already reported this post; a moderator will look at it."))
    report = Report(post_id=post.id, reporter_id=reporter.id, reason=reason)
    db.session.add(report)
    db.session.commit()
    return report


def _resolve_reports(post: Post, by, resolution: str) -> int:
    return db.session.execute(update(Report).where(Report.post_id == post.id, Report.resolved_at.is_(None))
                              .values(resolved_at=utcnow(), resolved_by_id=by.id, resolution=resolution)).rowcount


def dismiss_reports(post: Post, by, reason: str = "") -> None:
    _require_moderator(by)
    reason = _reason(reason)
    if _resolve_reports(post, by, "dismissed"):
        audit.record(by, "report.dismiss", "post", post.id,
                     Message(N_("Dismissed reports on post #%(number)s in “%(thread)s”"), _where(post)), reason)
    db.session.commit()


def open_reports(post: Post) -> list[Report]:
    return list(db.session.scalars(select(Report).where(Report.post_id == post.id, Report.resolved_at.is_(None))
                                   .order_by(Report.created_at, Report.id)))


def reported_posts() -> list[tuple[Post, list[Report]]]:
    """Posts with open reports, oldest report first, with their reports (two queries)."""
    reports = list(db.session.scalars(select(Report).where(Report.resolved_at.is_(None))
                                      .order_by(Report.created_at, Report.id)))
    if not reports:
        return []
    post_ids = list(dict.fromkeys(report.post_id for report in reports))
    posts = {post.id: post for post in db.session.scalars(
        select(Post).where(Post.id.in_(post_ids))
        .options(lean_user(joinedload(Post.author)), joinedload(Post.thread)))}
    return [(posts[pid], [r for r in reports if r.post_id == pid]) for pid in post_ids if pid in posts]


def pending_posts() -> list[Post]:
    """Posts held for approval, oldest first."""
    return list(db.session.scalars(
        select(Post).where(Post.status == "pending").order_by(Post.created_at, Post.id)
        .options(lean_user(joinedload(Post.author)), joinedload(Post.thread))))


def queue_size() -> int:
    open_reports = db.session.scalar(select(db.func.count(db.distinct(Report.post_id)))
                                     .where(Report.resolved_at.is_(None))) or 0
    held = db.session.scalar(select(db.func.count(Post.id)).where(Post.status == "pending")) or 0
    return open_reports + held


# Posts ----------------------------------------------------------------------------

def _set_thread_status(thread: Thread, status: str) -> None:
    thread.status = status
    reindex_thread_posts(thread)


def hide_post(post: Post, by, reason: str) -> None:
    """Hide a post from members (hiding the first post hides the thread)."""
    _require_moderator(by)
    reason = _reason(reason, required=True)
    if post.status == "hidden":
        raise Conflict(N_("This post is already hidden."))
    post.status = "hidden"
    if post.number == 1:
        _set_thread_status(post.thread, "hidden")
    _resolve_reports(post, by, "hidden")
    db.session.flush()
    refresh_thread(post.thread)
    audit.record(by, "post.hide", "post", post.id,
                 Message(N_("Hid post #%(number)s in “%(thread)s”"), _where(post)), reason)
    db.session.commit()


def restore_post(post: Post, by, reason: str = "") -> None:
    """Bring back a hidden or deleted post (and its thread, for a first post)."""
    _require_moderator(by)
    reason = _reason(reason)
    if post.status == "published":
        raise Conflict(N_("This post is already visible."))
    post.status = "published"
    if post.number == 1:
        _set_thread_status(post.thread, "published")
    db.session.flush()
    refresh_thread(post.thread)
    audit.record(by, "post.restore", "post", post.id,
                 Message(N_("Restored post #%(number)s in “%(thread)s”"), _where(post)), reason)
    db.session.commit()


def approve_post(post: Post, by) -> None:
    """Publish a post held for approval, and tell whoever should hear of it."""
    _require_moderator(by)
    if post.status != "pending":
        raise Conflict(N_("This post is not waiting for approval."))
    thread = post.thread
    post.status = "published"
    if post.number == 1:
        _set_thread_status(thread, "published")
    db.session.flush()
    refresh_thread(thread)
    _html, mentioned = render_post(post.body_md)
    subscriptions.announce(post, thread, mentioned)
    audit.record(by, "post.approve", "post", post.id,
                 Message(N_("Approved post #%(number)s in “%(thread)s”"), _where(post)))
    db.session.commit()
    live.announce_post(post, thread)


def reject_post(post: Post, by, reason: str) -> None:
    _require_moderator(by)
    reason = _reason(reason, required=True)
    if post.status != "pending":
        raise Conflict(N_("This post is not waiting for approval."))
    post.status = "deleted"
    if post.number == 1:
        _set_thread_status(post.thread, "deleted")
    db.session.flush()
    refresh_thread(post.thread)
    audit.record(by, "post.reject", "post", post.id,
                 Message(N_("Rejected post #%(number)s in “%(thread)s”"), _where(post)), reason)
    db.session.commit()


# Threads --------------------------------------------------------------------------

def set_locked(thread: Thread, by, locked: bool, reason: str = "") -> None:
    _require_moderator(by)
    reason = _reason(reason)
    if thread.locked != locked:
        thread.locked = locked
        audit.record(by, "thread.lock" if locked else "thread.unlock", "thread", thread.id,
                     Message(N_("Locked “%(thread)s”") if locked else N_("Unlocked “%(thread)s”"),
                             {"thread": thread.title}), reason)
        db.session.commit()


def set_pinned(thread: Thread, by, pinned: bool, reason: str = "") -> None:
    _require_moderator(by)
    reason = _reason(reason)
    if thread.pinned != pinned:
        thread.pinned = pinned
        audit.record(by, "thread.pin" if pinned else "thread.unpin", "thread", thread.id,
                     Message(N_("Pinned “%(thread)s”") if pinned else N_("Unpinned “%(thread)s”"),
                             {"thread": thread.title}), reason)
        db.session.commit()


def move_thread(thread: Thread, by, category: Category, reason: str = "") -> None:
    _require_moderator(by)
    reason = _reason(reason)
    if category.id == thread.category_id:
        raise ValidationFailed({"category_id": N_("The thread is already in that category.")})
    old = thread.category.name
    thread.category_id = category.id
    db.session.flush()
    db.session.expire(thread, ["category"])
    reindex_thread_posts(thread)  # who may read it may have changed
    audit.record(by, "thread.move", "thread", thread.id,
                 Message(N_("Moved “%(thread)s” from %(old)s to %(new)s"),
                         {"thread": thread.title, "old": old, "new": category.name}), reason)
    db.session.commit()


def split_thread(thread: Thread, by, post_ids: list[int], title: str, reason: str = "") -> Thread:
    """Move some replies into a new thread in the same category; the first of
    them (by number) becomes its opening post. Returns the new thread."""
    _require_moderator(by)
    reason = _reason(reason)
    errors: dict[str, str] = {}
    title = " ".join((title or "").split())
    if not 8 <= len(title) <= 200:
        errors["title"] = N_("Give the new thread a title of 8 to 200 characters.")
    ids = sorted({int(i) for i in post_ids or []})
    posts = list(db.session.scalars(select(Post).where(Post.thread_id == thread.id, Post.id.in_(ids or [-1]))
                                    .order_by(Post.number)))
    if not posts or len(posts) != len(ids):
        errors["post_ids"] = N_("Choose replies from this thread.")
    elif posts[0].number == 1:
        errors["post_ids"] = N_("The opening post stays; choose replies only.")
    if errors:
        raise ValidationFailed(errors)
    opener = posts[0]
    new = Thread(category_id=thread.category_id, author_id=opener.author_id, kind="discussion", title=title,
                 slug=slugify(title), status="published", created_at=opener.created_at,
                 last_posted_at=opener.created_at, last_number=len(posts))
    db.session.add(new)
    db.session.flush()
    moved = {post.id for post in posts}
    for number, post in enumerate(posts, start=1):
        post.thread_id, post.number = new.id, number
        if post.reply_to_id is not None and post.reply_to_id not in moved:
            post.reply_to_id = None
        if number == 1 and post.status != "published":
            post.status = "published"
    if thread.accepted_post_id in moved:
        thread.accepted_post_id = None
    db.session.flush()
    for author_id in {post.author_id for post in posts}:
        db.session.add(ThreadState(user_id=author_id, thread_id=new.id, level="watching",
                                   last_read_number=len(posts)))
    db.session.flush()
    db.session.expire(new)
    refresh_thread(new)
    refresh_thread(thread)
    audit.record(by, "thread.split", "thread", thread.id,
                 Message(N_("Split “%(thread)s” into “%(title)s” (thread %(id)s; posts moved: %(num)s)"),
                         {"thread": thread.title, "title": title, "id": new.id, "num": len(posts)}), reason)
    db.session.commit()
    return new


def hide_thread(thread: Thread, by, reason: str) -> None:
    _require_moderator(by)
    reason = _reason(reason, required=True)
    _set_thread_status(thread, "hidden")
    audit.record(by, "thread.hide", "thread", thread.id,
                 Message(N_("Hid thread “%(thread)s”"), {"thread": thread.title}), reason)
    db.session.commit()


def restore_thread(thread: Thread, by, reason: str = "") -> None:
    _require_moderator(by)
    reason = _reason(reason)
    _set_thread_status(thread, "published")
    db.session.execute(update(Post).where(Post.thread_id == thread.id, Post.number == 1,
                                          Post.status.in_(("hidden", "deleted"))).values(status="published"))
    db.session.flush()
    refresh_thread(thread)
    audit.record(by, "thread.restore", "thread", thread.id,
                 Message(N_("Restored thread “%(thread)s”"), {"thread": thread.title}), reason)
    db.session.commit()
