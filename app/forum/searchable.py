"""How threads and posts appear in the search index.

A thread's document is its title, tags and opening post; each published
reply is a "post" document. Hidden, held, deleted and split-off things are
left out (so removed from the index). Documents carry the access label of
their category's readers: "public", "members" or "moderators".
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

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


def _post_document(post: Post) -> Document:
    thread = post.thread
    return Document(
        key=f"post:{post.id}", type="post", id=post.id, title=f"Re: {thread.title}", body=post.body_md,
        tags=thread.tags, subject=None, country=post.author.country, url=f"/p/{post.id}",
        access=rules.search_access(thread.category), created_at=post.created_at,
        extra=" ".join([post.author.display_name, thread.category.name,
                        "accepted answer" if thread.accepted_post_id == post.id else ""]),
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
    statement = _published_replies().where(Post.id.in_(ids)).options(joinedload(Post.author),
                                                                      joinedload(Post.thread))
    return {post.id: _post_document(post) for post in db.session.scalars(statement).unique()}


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
