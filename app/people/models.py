"""People: a member's directory settings, and who follows whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db

DIGESTS = ("none", "daily", "weekly")


class PeopleSettings(db.Model):
    """No row means the defaults: listed in the directory, no digest."""

    __tablename__ = "people_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    directory_visible: Mapped[bool] = mapped_column(Boolean, default=True)
    # Languages spoken, as ",en,fr," so one LIKE finds a language.
    languages: Mapped[str] = mapped_column(String(200), default="")
    digest: Mapped[str] = mapped_column(String(10), default="none")
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (CheckConstraint("follower_id <> followed_id", name="not_self"),)

    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    followed_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    followed: Mapped[User] = relationship(foreign_keys=[followed_id], lazy="joined", innerjoin=True)
