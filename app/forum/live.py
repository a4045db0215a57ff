"""The forum's live bars: "2 new replies — show" on an open thread and
"1 new thread — show" on a category page.

A page's socket joins the room of its thread or category (`watch_room`,
called by app/live/forum_rooms.py, checks the member may read it). After a
reply or a new thread is published, the room hears only ids
(`forum_post {thread_id, number}`, `forum_thread {category_id, thread_id}`);
each page then asks for what is new (`new_posts`, `new_threads`), and the
server decides what this viewer may see: hidden and held posts, private
categories, and nothing by members the viewer has blocked. A reload shows
the thread as it always does.
"""

from __future__ import annotations

from sqlalchemy import desc, func, select, true

from app.accounts.models import User
from app.extensions import db
from app.forum import categories, reading, rules
from app.forum.models import Category, Post, Thread
from app.messages.services import blocked_by
from app.push import forum_category_room, forum_thread_room, push_to_room

MAX_NEW = 50  # posts or threads one "show" brings in; the next push brings the rest


def watch_room(user, *, thread_id: int | None = None, category_id: int | None = None) -> str:
    """The room a page showing this thread (or category) joins; NotFound if
    the member may not read it."""
    if thread_id is not None:
        thread, _state = reading.load_thread(thread_id, user)
        return forum_thread_room(thread.id)
    return forum_category_room(categories.by_id(category_id, user).id)


def announce_post(post: Post, thread: Thread) -> None:
    """Tell the pages showing the thread that a published post arrived (call after commit)."""
    if post.status == "published" and thread.status == "published":
        push_to_room(forum_thread_room(thread.id), "forum_post", {"thread_id": thread.id, "number": post.number})
    if post.number == 1:
        announce_thread(thread)


def announce_thread(thread: Thread) -> None:
    """Tell the pages showing the category that a published thread arrived (call after commit)."""
    if thread.status == "published":
        push_to_room(forum_category_room(thread.category_id), "forum_thread",
                     {"category_id": thread.category_id, "thread_id": thread.id})


def _not_blocked(column, viewer):
    return column.not_in(blocked_by(viewer.id)) if rules.signed_in(viewer) else true()


def _new_posts_where(thread: Thread, viewer, after: int) -> tuple[list, int]:
    """The conditions for the posts after number `after` the viewer may see
    (at most MAX_NEW, without those by members they blocked), and the highest
    number looked at: the next `after`, past the blocked members' posts too."""
    visible = reading.visible_posts(viewer)
    wanted = [Post.thread_id == thread.id, Post.number > after, *([visible] if visible is not None else [])]
    numbers = list(db.session.scalars(select(Post.number).where(*wanted).order_by(Post.number).limit(MAX_NEW)))
    last = numbers[-1] if numbers else after
    return [*wanted, Post.number <= last, _not_blocked(Post.author_id, viewer)], last


def new_posts(thread: Thread, viewer, after: int) -> tuple[list[reading.PagePost], int]:
    """The new posts as a thread page shows them, oldest first, and the next `after`."""
    where, last = _new_posts_where(thread, viewer, after)
    if last == after:
        return [], after
    statement = (select(*reading.PAGE_COLUMNS).join_from(Post, User, User.id == Post.author_id)
                 .where(*where).order_by(Post.number))
    return [reading.page_post(row) for row in db.session.execute(statement)], last


def new_posts_for_api(thread: Thread, viewer, after: int) -> tuple[list[Post], int]:
    """The same posts as full rows (markdown, editor) for the JSON API."""
    where, last = _new_posts_where(thread, viewer, after)
    if last == after:
        return [], after
    statement = select(Post).options(*reading.API_POST_OPTIONS).where(*where).order_by(Post.number)
    return list(db.session.scalars(statement).unique()), last


def latest_thread_id(category: Category) -> int:
    """The newest thread id in the category, whatever its status: where a
    category page's "new threads" bar starts counting."""
    return db.session.scalar(select(func.max(Thread.id)).where(Thread.category_id == category.id)) or 0


def new_threads(category: Category, viewer, after_id: int, filters: dict) -> list[Thread]:
    """Threads of the category newer than id `after_id` that the viewer's list
    (with its filters) would show, newest first, without those by members they blocked."""
    statement = reading.list_query(viewer, category=category, sort=filters.get("sort", "latest"),
                                   kind=filters.get("kind"), tag=filters.get("tag"))
    statement = (statement.where(Thread.id > after_id, _not_blocked(Thread.author_id, viewer))
                 .order_by(None).order_by(desc(Thread.id)))
    return list(db.session.scalars(statement.limit(MAX_NEW)).unique())

