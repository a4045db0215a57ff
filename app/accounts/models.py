"""Accounts: educators, their profile details and their API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, selectinload

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import N_

ROLES = ("member", "moderator", "admin")
# The name a deleted account keeps (people.mydata), stored in English.
DELETED_NAME = N_("Deleted member")


def shown_name(stored: str | None) -> str:
    """A member's name as a page shows it: a deleted account's in the
    reader's language, any other as its member wrote it."""
    return gettext(DELETED_NAME) if stored == DELETED_NAME else (stored or "")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-case: usernames are handles (@mentions, /u/<name>).
    username: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # As written; `display_name` is what pages show (`shown_name`).
    stored_display_name: Mapped[str] = mapped_column("display_name", String(80))
    role: Mapped[str] = mapped_column(String(20), default="member")
    country: Mapped[str | None] = mapped_column(String(2))
    school: Mapped[str | None] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # One of app.i18n.LOCALES ("pt_BR"); None: the switcher's cookie or the browser decides.
    locale: Mapped[str | None] = mapped_column(String(10))
    bio_md: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    avatar_file: Mapped[str | None] = mapped_column(String(80))
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_reason: Mapped[str | None] = mapped_column(String(500))
    # Bumped on password change, suspension and deletion. Sign-ins live in
    # `user_sessions` now; the version stays a record of those events.
    auth_version: Mapped[int] = mapped_column(default=1)
    # None until the member follows the link mailed at registration; until
    # then they may read and edit their profile but not post or message.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An address asked for but not yet confirmed from its own mailbox.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @hybrid_property
    def display_name(self) -> str:
        """In the reader's language for a deleted account; in a query, the column."""
        return shown_name(self.stored_display_name)

    @display_name.inplace.setter
    def _set_display_name(self, value: str) -> None:
        self.stored_display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_column(cls):
        return cls.stored_display_name

    # Loaded when read: a user appears on most pages (authors, hosts,
    # owners) but their subjects on few. Lists that show them ask for them
    # with with_topics() below, so they stay one query, not one a member.
    subject_rows: Mapped[list[UserSubject]] = relationship(
        cascade="all, delete-orphan", order_by="UserSubject.subject"
    )
    age_range_rows: Mapped[list[UserAgeRange]] = relationship(
        cascade="all, delete-orphan", order_by="UserAgeRange.age_range"
    )
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="raise_on_sql"
    )

    # Flask-Login -------------------------------------------------------
    # The key of the server-side session this object was signed in or loaded
    # with (app/accounts/sessions.py). Flask-Login stores it in the session
    # cookie and the remember cookie alike, so ending the session row ends both.
    session_key = None  # str, set per object: not a column

    def get_id(self) -> str | None:
        return self.session_key

    def __eq__(self, other):
        # The same member, whichever session loaded them.
        if isinstance(other, User):
            return self.id is not None and self.id == other.id
        return NotImplemented

    __hash__ = UserMixin.__hash__

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_active(self) -> bool:
        return self.suspended_at is None

    # Convenience ---------------------------------------------------------
    @property
    def subjects(self) -> list[str]:
        return [row.subject for row in self.subject_rows]

    @property
    def age_ranges(self) -> list[str]:
        return [row.age_range for row in self.age_range_rows]

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


# The directory's name order (lower-cased, as it sorts): a page of it is read in order, not sorted.
Index("ix_users_display_name_lower", func.lower(User.stored_display_name), User.id)


class UserSubject(db.Model):
    __tablename__ = "user_subjects"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    subject: Mapped[str] = mapped_column(String(40), primary_key=True)


class UserAgeRange(db.Model):
    __tablename__ = "user_age_ranges"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    age_range: Mapped[str] = mapped_column(String(20), primary_key=True)


class ApiToken(db.Model):
    """A bearer token. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="api")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens", lazy="joined")


class UserSession(db.Model):
    """One sign-in on one device: what the session and remember cookies
    name. Deleting the row signs that device out, whatever cookie it kept.
    Only a hash of the key is stored, like API tokens."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[User] = relationship(lazy="joined")


def with_topics(via=None) -> tuple:
    """Loader options for a list that shows members' subjects and age
    ranges: two queries for the whole list. `via` is the relationship that
    leads to the users (Application.user) when the list is of something else."""
    lists = (selectinload(User.subject_rows), selectinload(User.age_range_rows))
    return lists if via is None else (joinedload(via).options(*lists),)
