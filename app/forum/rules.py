"""Who may see and do what in the forum. Pure functions of the objects and
the viewer; every service, page and API answer goes through them."""

from __future__ import annotations

from app.forum.models import Category, Post, Thread
from app.i18n import N_

# The search index's access labels for each read level of a category.
SEARCH_ACCESS = {"everyone": ["public"], "members": ["members"], "moderators": ["moderators"]}


def signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_moderator(user) -> bool:
    return signed_in(user) and user.is_moderator


def allows(level: str, user) -> bool:
    """Does an access level ("everyone", "members", "moderators") admit `user`?"""
    if level == "everyone":
        return True
    if level == "members":
        return signed_in(user)
    return is_moderator(user)


def can_read_category(category: Category, user) -> bool:
    return allows(category.read_access, user)


def can_start(category: Category, user) -> bool:
    return signed_in(user) and can_read_category(category, user) and allows(category.start_access, user)


def can_see_thread(thread: Thread, user) -> bool:
    if not can_read_category(thread.category, user):
        return False
    if thread.status == "published":
        return True
    if is_moderator(user):
        return True
    return thread.status == "pending" and signed_in(user) and user.id == thread.author_id


def can_see_post(post: Post, user) -> bool:
    if post.status == "published":
        return True
    if is_moderator(user):
        return True
    return post.status == "pending" and signed_in(user) and user.id == post.author_id


def reply_problem(thread: Thread, user) -> str | None:
    """Why `user` may not reply in `thread`, or None."""
    if not signed_in(user):
        return N_("Sign in to reply.")
    if not can_see_thread(thread, user):
        return N_("There is no such thread.")
    if thread.status != "published":
        return N_("This thread is not open for replies.")
    if not allows(thread.category.reply_access, user):
        return N_("Only moderators can reply in this category.")
    if thread.locked and not is_moderator(user):
        return N_("This thread is locked: no new replies.")
    return None


def can_edit_post(post: Post, user) -> bool:
    if not signed_in(user):
        return False
    if is_moderator(user):
        return True
    return user.id == post.author_id and post.status in ("published", "pending")


def can_edit_thread(thread: Thread, user) -> bool:
    return signed_in(user) and (user.id == thread.author_id or user.is_moderator)


def can_accept(thread: Thread, user) -> bool:
    """The asker or a moderator accepts the answer to a question."""
    return thread.is_question and signed_in(user) and (user.id == thread.author_id or user.is_moderator)


def search_access(category: Category) -> list[str]:
    return SEARCH_ACCESS.get(category.read_access, ["moderators"])
