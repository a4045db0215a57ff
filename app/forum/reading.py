"""Forum rules for reading: thread pages, lists, permalinks, read marks,
view counts and a member's answer record.

A thread page is two queries whatever its length: the thread (with its
category, tags and the viewer's read mark), then its posts for the page
(with their authors, the post each replies to, the accepted answer and the
viewer's "helpful" marks). Posts are numbered within their thread, so page N
is the index range of numbers 20(N-1)+1 .. 20N, never an OFFSET.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, desc, func, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload, lazyload

from app.accounts.models import User, shown_name
from app.exceptions import NotFound
from app.extensions import db
from app.forum import rules
from app.forum.models import Category, Post, Reaction, Thread, ThreadState, ThreadTag
from app.i18n import N_
from app.tags import normalize_tag

POSTS_PER_PAGE = 20
SORTS = ("latest", "newest", "top", "unanswered")
# Users on forum pages need their name, avatar, role and country: not their
# bio or password hash.
_USER_COLUMNS = (User.id, User.username, User.stored_display_name, User.role, User.country, User.avatar_file,
                 User.created_at, User.suspended_at)


def lean_user(path):
    return path.load_only(*_USER_COLUMNS)


# Loader options are built once: building them costs as much as running the query.
_THREAD_OPTIONS = (lean_user(joinedload(Thread.author)), lazyload(Thread.last_poster), joinedload(Thread.tag_rows))
API_POST_OPTIONS = (lean_user(joinedload(Post.author)), lazyload(Post.reply_to),
                     lean_user(joinedload(Post.edited_by)))


@dataclass(slots=True, frozen=True)
class PageAuthor:
    id: int
    username: str
    display_name: str
    role: str
    avatar_file: str | None


@dataclass(slots=True, frozen=True)
class PagePost:
    """What an HTML thread page shows of a post, read as plain rows: building
    ORM objects took as long as rendering them. Has the attributes of `Post`
    that pages and `rules` use. (The API reads full `Post` objects.)"""

    id: int
    thread_id: int
    number: int
    author_id: int
    reply_to_id: int | None
    body_html: str
    status: str
    helpful_count: int
    created_at: datetime
    edited_at: datetime | None
    author: PageAuthor


_posts, _users = Post.__table__.c, User.__table__.c
PAGE_COLUMNS = (_posts.id, _posts.thread_id, _posts.number, _posts.author_id, _posts.reply_to_id, _posts.body_html,
                 _posts.status, _posts.helpful_count, _posts.created_at, _posts.edited_at,
                 _users.username, _users.display_name, _users.role, _users.avatar_file)


def page_post(row) -> PagePost:
    (post_id, thread_id, number, author_id, reply_to_id, body_html, status, helpful_count, created_at, edited_at,
     username, display_name, role, avatar_file, *_rest) = row
    author = PageAuthor(author_id, username, shown_name(display_name), role, avatar_file)
    return PagePost(post_id, thread_id, number, author_id, reply_to_id, body_html, status, helpful_count,
                    created_at, edited_at, author)
_LIST_OPTIONS = (lean_user(joinedload(Thread.author)), lean_user(joinedload(Thread.last_poster)))


def page_of(number: int) -> int:
    return (max(number, 1) - 1) // POSTS_PER_PAGE + 1


def pages_for(thread: Thread, viewer) -> int:
    last = thread.last_number if rules.is_moderator(viewer) else max(thread.last_visible_number, 1)
    return max(1, page_of(last))


# One thread ---------------------------------------------------------------------

def load_thread(thread_id: int, viewer) -> tuple[Thread, ThreadState | None]:
    """The thread and the viewer's read mark and subscription, in one query."""
    statement = select(Thread).where(Thread.id == thread_id).options(*_THREAD_OPTIONS)
    if rules.signed_in(viewer):
        statement = (statement.add_columns(ThreadState)
                     .outerjoin(ThreadState, and_(ThreadState.thread_id == Thread.id,
                                                  ThreadState.user_id == viewer.id)))
        row = db.session.execute(statement).unique().first()
        thread, state = (row[0], row[1]) if row else (None, None)
    else:
        thread, state = db.session.scalars(statement).unique().first(), None
    if thread is None or not rules.can_see_thread(thread, viewer):
        raise NotFound(N_("There is no such thread."))
    return thread, state


@dataclass
class ThreadPage:
    thread: Thread
    page: int
    pages: int
    posts: list[Post] | list[PagePost]
    accepted: Post | PagePost | None = None
    helpful_ids: set[int] = field(default_factory=set)
    first_unread: int | None = None  # a post number, for "jump to first unread"

    @property
    def parents(self) -> dict[int, Post]:
        """The posts on this page by id, to name the post a reply answers."""
        return {post.id: post for post in self.posts}


def visible_posts(viewer):
    if rules.is_moderator(viewer):
        return None
    if rules.signed_in(viewer):
        return or_(Post.status == "published", and_(Post.status == "pending", Post.author_id == viewer.id))
    return Post.status == "published"


def thread_page(thread: Thread, state: ThreadState | None, viewer, page: int,
                with_markdown: bool = False) -> ThreadPage:
    """One page of posts; raises NotFound past the last page. Pages show the
    stored HTML only; the API asks for the markdown too (`with_markdown`)."""
    pages = pages_for(thread, viewer)
    if page < 1 or page > max(pages, page_of(thread.last_number)):
        raise NotFound(N_("There is no such page."))
    low, high = (page - 1) * POSTS_PER_PAGE, page * POSTS_PER_PAGE
    wanted = and_(Post.number > low, Post.number <= high)
    if page == 1 and thread.accepted_post_id is not None:
        wanted = or_(wanted, Post.id == thread.accepted_post_id)
    if with_markdown:
        statement = select(Post).options(*API_POST_OPTIONS)
    else:
        statement = select(*PAGE_COLUMNS).join_from(Post, User, User.id == Post.author_id)
    statement = statement.where(Post.thread_id == thread.id, wanted).order_by(Post.number)
    visible = visible_posts(viewer)
    if visible is not None:
        statement = statement.where(visible)
    signed_in = rules.signed_in(viewer)
    if signed_in:
        statement = statement.add_columns(Reaction.user_id).outerjoin(Reaction, and_(
            Reaction.post_id == Post.id, Reaction.user_id == viewer.id, Reaction.kind == "helpful"))
    if with_markdown:
        rows = db.session.execute(statement).all() if signed_in else [
            (post, None) for post in db.session.scalars(statement)]
    else:
        rows = [(page_post(row), row[-1] if signed_in else None) for row in db.session.execute(statement)]
    result = ThreadPage(thread=thread, page=page, pages=pages, posts=[])
    for post, helpful_by in rows:
        if helpful_by is not None:
            result.helpful_ids.add(post.id)
        if post.id == thread.accepted_post_id:
            result.accepted = post
        if low < post.number <= high:
            result.posts.append(post)
    if signed_in:
        last_read = state.last_read_number if state else 0
        if last_read < thread.last_visible_number:
            result.first_unread = last_read + 1
    return result


def helpful_marks(viewer, post_ids: list[int]) -> set[int]:
    """Which of these posts the viewer marked helpful."""
    if not rules.signed_in(viewer) or not post_ids:
        return set()
    return set(db.session.scalars(select(Reaction.post_id).where(
        Reaction.user_id == viewer.id, Reaction.kind == "helpful", Reaction.post_id.in_(post_ids))))


def mark_read(viewer, thread: Thread, state: ThreadState | None, posts: list[Post]) -> None:
    """Remember how far a member has read; writes only when they got further."""
    if not rules.signed_in(viewer) or not posts:
        return
    furthest = max(post.number for post in posts)
    if state is None:
        db.session.add(ThreadState(user_id=viewer.id, thread_id=thread.id, last_read_number=furthest))
    elif state.last_read_number < furthest:
        db.session.execute(update(ThreadState).where(
            ThreadState.user_id == viewer.id, ThreadState.thread_id == thread.id,
            ThreadState.last_read_number < furthest).values(last_read_number=furthest))
    else:
        return
    try:
        db.session.commit()
    except (IntegrityError, OperationalError):  # a second tab marked it at the same moment: theirs counts
        db.session.rollback()


def first_unread_number(thread: Thread, state: ThreadState | None) -> int:
    last_read = state.last_read_number if state else 0
    return min(last_read + 1, max(thread.last_visible_number, 1))


def first_visible_from(thread: Thread, number: int, viewer) -> Post | None:
    """The first post the viewer may see at or after `number` (for unread jumps)."""
    statement = select(Post).where(Post.thread_id == thread.id, Post.number >= number)
    visible = visible_posts(viewer)
    if visible is not None:
        statement = statement.where(visible)
    return db.session.scalar(statement.order_by(Post.number).limit(1))


def locate(post_id: int, viewer) -> tuple[Thread, Post, int]:
    """Where a post lives: its thread, itself, and the page it is on."""
    post = db.session.get(Post, post_id)
    if post is None or not rules.can_see_post(post, viewer):
        raise NotFound(N_("There is no such post."))
    thread = post.thread
    if not rules.can_see_thread(thread, viewer):
        raise NotFound(N_("There is no such post."))
    return thread, post, page_of(post.number)


# Lists ------------------------------------------------------------------------------

def list_query(viewer, *, category: Category | None = None, sort: str = "latest", kind: str | None = None,
               tag: str | None = None, muted_category_ids=()):
    """Threads the viewer may open, pinned first, in the chosen order."""
    statement = select(Thread).options(*_LIST_OPTIONS)
    if rules.is_moderator(viewer):
        statement = statement.where(Thread.status.in_(("published", "pending")))
    elif rules.signed_in(viewer):
        statement = statement.where(or_(Thread.status == "published",
                                        and_(Thread.status == "pending", Thread.author_id == viewer.id)))
    else:
        statement = statement.where(Thread.status == "published")
    if category is not None:
        statement = statement.where(Thread.category_id == category.id)
    else:
        readable = [level for level in ("everyone", "members", "moderators") if rules.allows(level, viewer)]
        statement = statement.join(Thread.category).where(Category.read_access.in_(readable))
        if muted_category_ids:
            statement = statement.where(Thread.category_id.not_in(list(muted_category_ids)))
    if sort == "unanswered":
        kind = "question"
        statement = statement.where(Thread.accepted_post_id.is_(None))
    if kind:
        statement = statement.where(Thread.kind == kind)
    if tag:
        statement = statement.where(Thread.tag_rows.any(ThreadTag.name == normalize_tag(tag)))
    order = {
        "newest": (desc(Thread.created_at),),
        "top": (desc(Thread.helpful_count + Thread.post_count * 2 + Thread.view_count / 50),
                desc(Thread.last_posted_at)),
        "unanswered": (desc(Thread.created_at),),
    }.get(sort, (desc(Thread.last_posted_at),))
    return statement.order_by(desc(Thread.pinned), *order, desc(Thread.id))


def read_marks(viewer, thread_ids) -> dict[int, int]:
    """The viewer's last read post number per thread, for "new posts" marks."""
    if not rules.signed_in(viewer) or not thread_ids:
        return {}
    rows = db.session.execute(select(ThreadState.thread_id, ThreadState.last_read_number).where(
        ThreadState.user_id == viewer.id, ThreadState.thread_id.in_(list(thread_ids))))
    return dict(rows.all())


# A member's answers --------------------------------------------------------------------

def _answers_of(user, viewer):
    """The ids of a member's published answers to questions in categories the viewer may read."""
    readable = [level for level in ("everyone", "members", "moderators") if rules.allows(level, viewer)]
    return (select(Post.id).join(Thread, Thread.id == Post.thread_id).join(Category)
            .where(Post.author_id == user.id, Post.number > 1, Post.status == "published",
                   Thread.kind == "question", Thread.status == "published",
                   Category.read_access.in_(readable or ["none"])))


def accepted_answers_query(user, viewer=None):
    """The questions whose accepted answer is the member's, among the threads
    the viewer may read; the latest answer first."""
    accepted = _answers_of(user, viewer).where(Thread.accepted_post_id == Post.id)
    return (select(Thread).join(Post, Post.id == Thread.accepted_post_id).where(Post.id.in_(accepted))
            .order_by(desc(Post.created_at), desc(Thread.id)).options(lazyload("*")))


def answer_stats(user, viewer=None) -> dict:
    """How many answers a member gave to questions the viewer may read, and
    how many of them were accepted."""
    answers = _answers_of(user, viewer)
    total = db.session.scalar(select(func.count()).select_from(answers.subquery())) or 0
    accepted_q = answers.where(Thread.accepted_post_id == Post.id)
    accepted = db.session.scalar(select(func.count()).select_from(accepted_q.subquery())) if total else 0
    return {"answers": total, "accepted": accepted or 0}


# View counts ---------------------------------------------------------------------------

class ViewCounter:
    """Thread views, counted in memory and written in one UPDATE per thread
    every FORUM_VIEW_FLUSH_SECONDS, so reading a thread never waits on a write.
    Each process adds its own counts: nothing is lost or double counted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending: dict[int, int] = {}
        self.flushed_at = time.monotonic()

    def add(self, thread_id: int) -> None:
        with self.lock:
            self.pending[thread_id] = self.pending.get(thread_id, 0) + 1

    def due(self, interval: float) -> bool:
        return bool(self.pending) and time.monotonic() - self.flushed_at >= interval

    def flush(self) -> int:
        with self.lock:
            pending, self.pending = self.pending, {}
            self.flushed_at = time.monotonic()
        for thread_id, count in pending.items():
            db.session.execute(update(Thread.__table__).where(Thread.__table__.c.id == thread_id)
                               .values(view_count=Thread.__table__.c.view_count + count))
        if pending:
            db.session.commit()
        return sum(pending.values())


def _counter() -> ViewCounter:
    app = current_app._get_current_object()
    counter = app.extensions.get("forum_views")
    if counter is None:
        counter = app.extensions.setdefault("forum_views", ViewCounter())
    return counter


def record_view(thread: Thread) -> None:
    counter = _counter()
    counter.add(thread.id)
    if counter.due(current_app.config["FORUM_VIEW_FLUSH_SECONDS"]):
        counter.flush()


def flush_views() -> int:
    return _counter().flush()

