"""Private messages: conversations, their members, messages, blocks and
reports. Nothing here is ever indexed for search: messages are read only
through `app.messages.services`, which checks membership on every access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class Conversation(db.Model):
    __tablename__ = "pm_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Two people only: found again (not duplicated) when either writes anew.
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_message_id: Mapped[int | None] = mapped_column()

    members: Mapped[list[ConversationMember]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", lazy="selectin")


class ConversationMember(db.Model):
    __tablename__ = "pm_members"
    __table_args__ = (Index("ix_pm_members_user", "user_id"),)

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("pm_conversations.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Everything up to this message id has been read (0: nothing yet).
    last_read_id: Mapped[int] = mapped_column(default=0)
    # Unread messages up to this id have been mailed about (app/notifications/mail.py).
    mailed_id: Mapped[int] = mapped_column(default=0, server_default="0")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Message(db.Model):
    __tablename__ = "pm_messages"
    __table_args__ = (Index("ix_pm_messages_conversation_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("pm_conversations.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Plain text, escaped when shown; never rendered as markup.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sender: Mapped[User | None] = relationship(lazy="joined")


class Block(db.Model):
    """`blocker` no longer receives messages from `blocked`."""

    __tablename__ = "pm_blocks"

    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id], lazy="joined", innerjoin=True)


class MessageReport(db.Model):
    """A member showed a message to the moderators."""

    __tablename__ = "pm_reports"
    __table_args__ = (UniqueConstraint("message_id", "reporter_id", name="uq_pm_reports_message_reporter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("pm_messages.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    message: Mapped[Message] = relationship(lazy="joined", innerjoin=True)
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined", innerjoin=True)
