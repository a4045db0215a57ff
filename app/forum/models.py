"""Discussions and Q&A: categories, threads, posts, reactions, subscriptions,
reports and the moderators' audit log."""

from __future__ import annotations

import json
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db

# Who may read a category, start threads in it, or reply in it.
ACCESS_LEVELS = ("everyone", "members", "moderators")
KINDS = ("discussion", "question")
# published: everyone who may read the category sees it; pending: held for
# approval (its author and moderators see it); hidden: by a moderator;
# deleted: by its author or a moderator. Only moderators see the last three
# of someone else's.
STATUSES = ("published", "pending", "hidden", "deleted")
LEVELS = ("normal", "watching", "muted")


class Category(db.Model):
    __tablename__ = "forum_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    read_access: Mapped[str] = mapped_column(String(12), default="everyone")
    start_access: Mapped[str] = mapped_column(String(12), default="members")
    reply_access: Mapped[str] = mapped_column(String(12), default="members")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Thread(db.Model):
    __tablename__ = "forum_threads"
    __table_args__ = (
        Index("ix_forum_threads_listing", "category_id", "status", "last_posted_at"),
        Index("ix_forum_threads_status_last", "status", "last_posted_at"),
        # Questions newest first across categories (the home page's "unanswered" panel): read in order, no sort.
        Index("ix_forum_threads_kind_created", "kind", "pinned", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="discussion")
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="published")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # No foreign key: posts point at threads, and a cycle of keys would make
    # every insert and delete order-sensitive. Services keep it consistent.
    accepted_post_id: Mapped[int | None] = mapped_column(Integer)
    post_count: Mapped[int] = mapped_column(Integer, default=0)  # published posts, the opener included
    last_number: Mapped[int] = mapped_column(Integer, default=0)  # highest post number given out
    last_visible_number: Mapped[int] = mapped_column(Integer, default=0)  # highest published one
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)  # over all its posts, for "top"
    last_posted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)
    last_poster: Mapped[User | None] = relationship(foreign_keys=[last_poster_id], lazy="joined")
    tag_rows: Mapped[list[ThreadTag]] = relationship(
        cascade="all, delete-orphan", order_by="ThreadTag.name", lazy="selectin"
    )

    @property
    def tags(self) -> list[str]:
        return [row.name for row in self.tag_rows]

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)

    @property
    def is_question(self) -> bool:
        return self.kind == "question"

    @property
    def is_answered(self) -> bool:
        return self.accepted_post_id is not None

    def search_keys(self) -> list[str]:
        return [f"thread:{self.id}"]

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.slug}>"


class ThreadTag(db.Model):
    __tablename__ = "forum_thread_tags"

    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class Post(db.Model):
    __tablename__ = "forum_posts"
    __table_args__ = (
        # Posts are numbered within their thread: page N holds numbers
        # 20(N-1)+1 .. 20N, so a page is an index range, never an OFFSET.
        UniqueConstraint("thread_id", "number", name="uq_forum_posts_thread_number"),
        Index("ix_forum_posts_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("forum_posts.id", ondelete="SET NULL"))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)  # rendered and cleaned once, when written
    status: Mapped[str] = mapped_column(String(12), default="published")
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    # Pages load these with explicit eager options (see services.thread_page).
    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    reply_to: Mapped[Post | None] = relationship(remote_side=[id])
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])

    @property
    def is_visible(self) -> bool:
        return self.status == "published"

    def search_keys(self) -> list[str]:
        # The opener's text is the thread's document; replies are posts.
        keys = [f"post:{self.id}"]
        if self.number == 1:
            keys.append(f"thread:{self.thread_id}")
        return keys


class PostImage(db.Model):
    """A picture a member uploaded for their posts (`forum/media.py`):
    re-encoded, stored under a random name in the "media" storage area and
    served at /media/<file_name>. `used_at` is set when a post first shows
    it; one never used is deleted a day after its upload."""

    __tablename__ = "forum_post_images"
    __table_args__ = (Index("ix_forum_post_images_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PostRevision(db.Model):
    """A version of a post that an edit replaced: who wrote it and when."""

    __tablename__ = "forum_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    written_by: Mapped[User | None] = relationship(lazy="joined")


class Reaction(db.Model):
    __tablename__ = "forum_reactions"

    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True, default="helpful")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ThreadState(db.Model):
    """One member and one thread: how far they have read, and whether they
    watch it (notified of every reply) or muted it."""

    __tablename__ = "forum_thread_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    last_read_number: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[str] = mapped_column(String(12), default="normal")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CategoryState(db.Model):
    """Watching a category: told of each new thread. Muted: never told, and
    its threads are left out of the member's list across all categories."""

    __tablename__ = "forum_category_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id", ondelete="CASCADE"),
                                             primary_key=True, index=True)
    level: Mapped[str] = mapped_column(String(12), default="normal")


class Report(db.Model):
    __tablename__ = "forum_reports"
    __table_args__ = (Index("ix_forum_reports_open", "resolved_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(String(20))  # hidden, dismissed, deleted

    post: Mapped[Post] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined", innerjoin=True)


class AuditEntry(db.Model):
    """What a moderator did, to what, and why."""

    __tablename__ = "forum_audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))  # post, thread, category, user
    target_id: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300))  # in English, as it was made
    summary_key: Mapped[str | None] = mapped_column(String(300))  # its Message, for the reader's language
    summary_params: Mapped[str | None] = mapped_column(Text)  # JSON
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(lazy="joined")

    @property
    def text(self) -> str:
        """The summary in the reader's language; an entry from before keys
        were stored keeps its English."""
        if not self.summary_key:
            return self.summary
        return gettext(self.summary_key, **json.loads(self.summary_params or "{}"))[:300]
