"""Following and muting threads and categories, and who hears of a new post.

Each member hears of a post at most once, for the strongest reason: an
answer to their question (the asker is told "answered your question", even
when the answer also mentions them), then a mention, then a reply to their
post, then a thread they watch, then a category they watch. A muted thread
(or, for new threads, a muted category) says nothing at all. Notifications join the caller's transaction.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import member_cache
from app.accounts.models import User
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forum import rules
from app.forum.models import LEVELS, Category, CategoryState, Post, Thread, ThreadState
from app.i18n import N_
from app.notifications import services as notifications


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValidationFailed({"level": _l("One of %(values)s.", values=", ".join(LEVELS))})


def thread_state(user, thread: Thread) -> ThreadState | None:
    return db.session.get(ThreadState, (user.id, thread.id))


def _thread_state_for_update(user, thread: Thread) -> ThreadState:
    state = thread_state(user, thread)
    if state is None:
        state = ThreadState(user_id=user.id, thread_id=thread.id, last_read_number=0, level="normal")
        db.session.add(state)
    return state


def set_thread_level(user, thread: Thread, level: str) -> ThreadState:
    _check_level(level)
    state = _thread_state_for_update(user, thread)
    state.level = level
    db.session.commit()
    return state


def watch_on_reply(user, thread: Thread) -> None:
    """Replying (or starting a thread) subscribes you, unless you muted it."""
    state = _thread_state_for_update(user, thread)
    if state.level == "normal":
        state.level = "watching"


def thread_level(user, thread: Thread) -> str:
    if not rules.signed_in(user):
        return "normal"
    state = thread_state(user, thread)
    return state.level if state else "normal"


def category_level(user, category: Category) -> str:
    if not rules.signed_in(user):
        return "normal"
    state = db.session.get(CategoryState, (user.id, category.id))
    return state.level if state else "normal"


def set_category_level(user, category: Category, level: str) -> CategoryState:
    _check_level(level)
    state = db.session.get(CategoryState, (user.id, category.id))
    if state is None:
        state = CategoryState(user_id=user.id, category_id=category.id)
        db.session.add(state)
    state.level = level
    member_cache.forget(user.id, member_cache.HOME)  # a muted category's questions leave the home page
    db.session.commit()
    return state


def muted_category_ids(user) -> list[int]:
    if not rules.signed_in(user):
        return []
    return list(db.session.scalars(select(CategoryState.category_id).where(
        CategoryState.user_id == user.id, CategoryState.level == "muted")))


# Who hears of a new post ---------------------------------------------------------

def _users(ids) -> dict[int, User]:
    ids = set(ids)
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids), User.suspended_at.is_(None)))}


def announce(post: Post, thread: Thread, mentioned: list[User]) -> int:
    """Notify everyone who should hear of a just-published post; returns how many."""
    author = post.author
    states = {s.user_id: s.level for s in db.session.scalars(
        select(ThreadState).where(ThreadState.thread_id == thread.id))}
    reasons: dict[int, str] = {}

    def offer(user_id: int, reason: str) -> None:
        if user_id != author.id and user_id not in reasons and states.get(user_id) != "muted":
            reasons[user_id] = reason

    if thread.is_question and post.number > 1:
        offer(thread.author_id, "answer")
    for user in mentioned:
        offer(user.id, "mention")
    if post.reply_to_id is not None:
        parent_author = db.session.scalar(select(Post.author_id).where(Post.id == post.reply_to_id))
        if parent_author is not None:
            offer(parent_author, "reply")
    for user_id, level in states.items():
        if level == "watching":
            offer(user_id, "watching")
    if post.number == 1:
        category_states = db.session.execute(select(CategoryState.user_id, CategoryState.level).where(
            CategoryState.category_id == thread.category_id)).all()
        muted = {user_id for user_id, level in category_states if level == "muted"}
        for user_id, level in category_states:
            if level == "watching":
                offer(user_id, "category")
        for user_id in muted:  # a muted category silences all but mentions
            if reasons.get(user_id) not in (None, "mention"):
                reasons.pop(user_id)
    users = _users(reasons)
    sent = 0
    for user_id, reason in reasons.items():
        user = users.get(user_id)
        if user is None or not rules.can_read_category(thread.category, user):
            continue
        text = _text(reason, author, thread)
        if notifications.notify(user, f"forum.{reason}", text, f"/p/{post.id}", actor=author,
                                dedupe_key=f"forum-post:{post.id}"):
            sent += 1
    return sent


def announce_mentions(post: Post, thread: Thread, mentioned: list[User], actor: User) -> None:
    """Members newly mentioned by an edit hear of it (once per post, as always)."""
    muted = set(db.session.scalars(select(ThreadState.user_id).where(
        ThreadState.thread_id == thread.id, ThreadState.level == "muted")))
    for user in mentioned:
        if user.id not in muted and rules.can_read_category(thread.category, user):
            notifications.notify(user, "forum.mention", _text("mention", actor, thread), f"/p/{post.id}",
                                 actor=actor, dedupe_key=f"forum-post:{post.id}")


def _text(reason: str, author: User, thread: Thread) -> notifications.Message:
    """What the member reads, in their own language (notifications.Message)."""
    values = {"name": author.display_name, "title": thread.title}
    if reason == "category":
        values["category"] = thread.category.name
        key = (N_("New question in %(category)s: “%(title)s” by %(name)s") if thread.is_question
               else N_("New thread in %(category)s: “%(title)s” by %(name)s"))
        return notifications.Message(key, values)
    return notifications.Message(_TEXTS.get(reason, _TEXTS["watching"]), values)


_TEXTS = {
    "answer": N_("%(name)s answered your question “%(title)s”"),
    "mention": N_("%(name)s mentioned you in “%(title)s”"),
    "reply": N_("%(name)s replied to your post in “%(title)s”"),
    "watching": N_("%(name)s replied in “%(title)s”"),
}


def announce_accepted(post: Post, thread: Thread, by: User) -> None:
    if post.author_id == by.id:
        return
    author = db.session.get(User, post.author_id)
    if author is not None and author.is_active:
        notifications.notify(author, "forum.accepted", notifications.Message(
            N_("%(name)s accepted your answer to “%(title)s”"), {"name": by.display_name, "title": thread.title}),
                             f"/p/{post.id}", actor=by, dedupe_key=f"forum-accept:{post.id}")
