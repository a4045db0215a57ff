"""How threads and posts appear in the search index.

A thread's document is its title, tags and opening post; each published
reply is a "post" document. Hidden, held, deleted and split-off things are
left out (so removed from the index). Documents carry the access label of
their category's readers: "public", "members" or "moderators".
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User, shown_name
from app.extensions import db
from app.forum import rules
from app.forum.models import Post, Thread
from app.i18n import N_
from app.search.models import Document
from app.search.registry import SearchableType, register


def _thread_document(thread: Thread, opener: Post | None) -> Document:
    return Document(
        key=f"thread:{thread.id}", type="thread", id=thread.id, title=thread.title,
        body=opener.body_md if opener else "", tags=thread.tags, subject=None, country=thread.author.country,
        # A plain path: the worker thread has no request to build URLs from.
        url=f"/t/{thread.id}-{thread.slug}", access=rules.search_access(thread.category),
        created_at=thread.created_at,
        extra=" ".join([thread.author.display_name, thread.category.name,
                        "question" if thread.is_question else "discussion", "answered" if thread.is_answered else ""]),
    )


def _post_document(row, thread: Thread) -> Document:
    """`row`: a reply's id, body_md, created_at and its author's country and display_name."""
    return Document(
        key=f"post:{row.id}", type="post", id=row.id, title=f"Re: {thread.title}", body=row.body_md,
        tags=thread.tags, subject=None, country=row.country, url=f"/p/{row.id}",
        access=rules.search_access(thread.category), created_at=row.created_at,
        extra=" ".join([shown_name(row.display_name), thread.category.name,
                        "accepted answer" if thread.accepted_post_id == row.id else ""]),
    )


def _published_threads():
    return select(Thread).where(Thread.status == "published")


def load_threads(ids: list[int]) -> dict[int, Document]:
    threads = list(db.session.scalars(_published_threads().where(Thread.id.in_(ids))).unique())
    openers = {post.thread_id: post for post in db.session.scalars(select(Post).where(
        Post.thread_id.in_([t.id for t in threads] or [-1]), Post.number == 1, Post.status == "published"))}
    return {t.id: _thread_document(t, openers.get(t.id)) for t in threads if t.id in openers}


def _published_replies():
    return (select(Post).join(Thread, Thread.id == Post.thread_id)
            .where(Post.status == "published", Post.number > 1, Thread.status == "published"))


def load_posts(ids: list[int]) -> dict[int, Document]:
    """Replies as columns (a full rebuild reads 200,000 of them), and the
    few threads they belong to once each."""
    statement = (_published_replies().join(User, User.id == Post.author_id)
                 .with_only_columns(Post.id, Post.thread_id, Post.body_md, Post.created_at, User.country,
                                    User.stored_display_name.label("display_name"))
                 .where(Post.id.in_(ids)))
    rows = db.session.execute(statement).all()
    threads = {thread.id: thread for thread in db.session.scalars(
        select(Thread).where(Thread.id.in_({row.thread_id for row in rows} or {-1}))).unique()}
    return {row.id: _post_document(row, threads[row.thread_id]) for row in rows}


def thread_ids():
    return db.session.scalars(select(Thread.id).where(Thread.status == "published").order_by(Thread.id)).all()


def post_ids():
    return db.session.scalars(_published_replies().with_only_columns(Post.id).order_by(Post.id)).all()


def count_threads() -> int:
    return db.session.scalar(select(func.count(Thread.id)).where(Thread.status == "published")) or 0


def count_posts() -> int:
    return db.session.scalar(select(func.count()).select_from(_published_replies().subquery())) or 0


def register_searchable() -> None:
    register(SearchableType(name="thread", label=N_("Discussions"), load=load_threads, all_ids=thread_ids,
                            count=count_threads))
    register(SearchableType(name="post", label=N_("Replies"), load=load_posts, all_ids=post_ids, count=count_posts))
