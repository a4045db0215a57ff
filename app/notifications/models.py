"""Notifications: what happened that a member should know about."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from babel.lists import format_list
from flask_babel import force_locale, gettext
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import DEFAULT_LOCALE, current_locale, isolated
from app.template_helpers import localtime

# How a member hears of a kind of notification: on the site and by email,
# on the site only, or not at all. No preference row means DEFAULT_CHANNEL.
CHANNELS = ("web", "email", "none")
DEFAULT_CHANNEL = "email"
MAILED_AT_ONCE = frozenset({"event_reminder"})  # an hour's notice cannot wait for company


@dataclass(frozen=True)
class Message:
    """A notification's text for translation: an English message marked
    with N_() and its values, e.g. `Message(N_("%(name)s follows you"),
    {"name": "Amira"})`. Stored as such, shown in each reader's language.

    Two kinds of value are written only when shown, because their words
    depend on the reader:

    - a moment, `Message.at(when)` = {"at": "<ISO UTC>"} (with "format", a
      `localtime` format): written in the reader's language and zone;
    - a list of words each marked N_(), `Message.words([...])` =
      {"list": [...]}: each translated, joined as the reader's language
      joins a list ("time and place", "hora y lugar").
    """

    key: str
    params: dict = field(default_factory=dict)

    @staticmethod
    def at(moment: datetime, fmt: str | None = None) -> dict:
        value = {"at": moment.astimezone(UTC).isoformat()}
        return {**value, "format": fmt} if fmt else value

    @staticmethod
    def words(words: list[str]) -> dict:
        return {"list": list(words)}

    def has_moments(self) -> bool:
        return any(isinstance(value, dict) and "at" in value for value in self.params.values())

    def render(self, zone: str | None = None) -> str:
        """In the current language; moments in `zone` (default: the viewer's)."""
        return gettext(self.key, **self._values(zone))

    def english(self, zone: str | None = "UTC") -> str:
        if not self.params:
            return self.key
        with force_locale(DEFAULT_LOCALE):
            return self.key % self._values(zone)

    def __str__(self) -> str:
        return self.render()

    def _values(self, zone: str | None) -> dict:
        return {name: _written(value, zone) for name, value in self.params.items()}


def _written(value, zone: str | None):
    """A stored value as the reader reads it (see Message); a member's
    words (a title, a name) isolated in a right-to-left language."""
    if isinstance(value, str):
        return isolated(value)
    if not isinstance(value, dict):
        return value
    if "at" in value:
        moment = datetime.fromisoformat(value["at"])
        return localtime(moment, value["format"], zone=zone) if value.get("format") else localtime(moment, zone=zone)
    if "list" in value:
        return format_list([gettext(word) for word in value["list"]], locale=current_locale())
    return value


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The same event never notifies a member twice (retries, double posts).
        UniqueConstraint("user_id", "dedupe_key", name="uq_notifications_user_dedupe"),
        # The header's unread count, and the newest unread first without a sort (home page panel).
        Index("ix_notifications_user_unread_created", "user_id", "read_at", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    # The English text it was made with; `text` shows it in the reader's language.
    stored_text: Mapped[str] = mapped_column("text", String(300))
    text_key: Mapped[str | None] = mapped_column(String(300))  # Message.key, when translatable
    text_params: Mapped[str | None] = mapped_column(Text)  # its values, JSON
    url: Mapped[str] = mapped_column(String(500))
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")

    @property
    def message(self) -> Message | None:
        if not self.text_key:
            return None
        return Message(self.text_key, json.loads(self.text_params or "{}"))

    @hybrid_property
    def text(self) -> str:
        """In the current language (the request's, or `i18n.for_member`'s);
        in a query, the stored English column."""
        message = self.message
        if message is None:
            return self.stored_text
        return message.render(self._reader_zone() if message.has_moments() else None)[:300]

    @text.setter
    def text(self, value: str | Message) -> None:
        if isinstance(value, Message):
            self.text_key, self.text_params = value.key, json.dumps(value.params, ensure_ascii=False)
            value = value.english(self._reader_zone() if value.has_moments() else "UTC")
        else:
            self.text_key = self.text_params = None
        self.stored_text = value[:300]

    def _reader_zone(self) -> str:
        """The recipient's time zone, whoever is reading (a push is made in
        the actor's request, a mail by the sender loop)."""
        reader = db.session.get(User, self.user_id) if self.user_id is not None else None
        return (reader.timezone if reader is not None else None) or "UTC"

    @text.inplace.expression
    @classmethod
    def _text_expression(cls):
        return cls.stored_text


class NotificationPreference(db.Model):
    """How a member hears of one kind of notification; no row means "email"
    (shown on the site and emailed when the site sends email)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), default=DEFAULT_CHANNEL)
