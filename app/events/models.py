"""Events and their live rooms: hosts, RSVPs, chat messages, moderation,
TweetMeet questions, the Q&A panel and personal calendar feeds."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import N_

# Names in English (the search index and calendar feeds keep them so); pages
# and forms translate them (`_(event.kind_label)`, forms.translated).
KINDS = {
    "connection_call": N_("Connection call"),
    "tweetmeet": N_("TweetMeet"),
    "meetup": N_("Meetup"),
    "webinar": N_("Webinar"),
}
STATUSES = ("draft", "published", "cancelled")
VISIBILITIES = {"public": N_("Everyone, signed in or not"), "members": N_("Signed-in members only")}

# The room opens this long before the start (hosts may open it earlier) and
# stays open this long after the end; afterwards it is a read-only archive.
ROOM_OPENS_BEFORE = timedelta(minutes=15)
ROOM_GRACE = timedelta(minutes=30)


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("duration_min > 0", name="duration_positive"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        Index("ix_events_status_starts", "status", "starts_at"),
        # Upcoming events soonest first (the events page, the visitor's home): read in order, LIMIT
        # stops the scan, and the page count reads only the index.
        Index("ix_events_upcoming", "always_open", "starts_at", "id", "status", "series_id"),
        Index("uq_events_series_occurrence", "series_id", "occurrence_start", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Stored too (not only computed) so lists can filter on it in SQL.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    duration_min: Mapped[int] = mapped_column(Integer)
    # The organiser's zone: the start was entered in it and is shown in it.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    hashtag: Mapped[str | None] = mapped_column(String(60))
    is_online: Mapped[bool] = mapped_column(Boolean, default=True)
    location: Mapped[str | None] = mapped_column(String(200))  # the venue
    # Online events: the call's https address (Zoom, Teams, Jitsi ...), shown
    # only to those going and only around the call (events/meeting.py).
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="published")
    visibility: Mapped[str] = mapped_column(String(12), default="public")
    # A drop-in room that is open around the clock (the demo's open call).
    always_open: Mapped[bool] = mapped_column(Boolean, default=False)
    # iCalendar SEQUENCE: bumped whenever attendees' calendars must change.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    room_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0)
    pinned_message_id: Mapped[int | None] = mapped_column(Integer)
    transcript_indexed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # One date of a repeating event (series.py): its series, and the start the
    # rule gave it (iCalendar RECURRENCE-ID), kept when that date is moved.
    # No ON DELETE (see migration 0016): a series goes only with its organiser, and their events with them.
    series_id: Mapped[int | None] = mapped_column(ForeignKey("event_series.id"), index=True)
    occurrence_start: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organiser: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    # selectin, not joined: the RSVP lock (SELECT ... FOR UPDATE) may not outer-join on PostgreSQL.
    series: Mapped[EventSeries | None] = relationship(lazy="selectin")
    host_rows: Mapped[list[EventHost]] = relationship(
        cascade="all, delete-orphan", order_by="EventHost.position", lazy="selectin"
    )

    @property
    def hosts(self) -> list[User]:
        return [row.user for row in self.host_rows]

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def room_opens_at(self) -> datetime:
        scheduled = self.starts_at - ROOM_OPENS_BEFORE
        if self.room_opened_at is not None and self.room_opened_at < scheduled:
            return self.room_opened_at
        return scheduled

    @property
    def room_closes_at(self) -> datetime:
        return self.ends_at + ROOM_GRACE

    def search_keys(self) -> list[str]:
        return [f"event:{self.id}"]


class EventSeries(db.Model):
    """A repeating event: an RFC 5545 rule expanded in the organiser's zone
    from the first date's wall-clock time. Each date is an Event row (its own
    RSVPs, room, reminders), made a horizon ahead by `series.extend`."""

    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The RRULE value without "RRULE:", e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=12.
    rrule: Mapped[str] = mapped_column(String(500))
    timezone: Mapped[str] = mapped_column(String(64))
    # The first date's start (UTC); in `timezone` it is the rule's DTSTART.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What the dates still to be made copy (edited for every future date at once).
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    # iCalendar SEQUENCE of the series file.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Set when the organiser cancels every date still ahead: no more are made.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organiser: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class SeriesRsvp(db.Model):
    """Going to every date of a series, those made later too."""

    __tablename__ = "event_series_rsvps"

    series_id: Mapped[int] = mapped_column(ForeignKey("event_series.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EventHost(db.Model):
    __tablename__ = "event_hosts"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Rsvp(db.Model):
    """Going, or waiting for a place. Not going means no row."""

    __tablename__ = "event_rsvps"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_event_rsvps_event_user"),
        # The waitlist is promoted in id order: first come, first served.
        Index("ix_event_rsvps_event_status", "event_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))  # going, waitlisted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class EventMessage(db.Model):
    """A line in an event's room. `body_html` is rendered once, when sent."""

    __tablename__ = "event_messages"
    __table_args__ = (
        # A client retrying a send (same client_id) never saves it twice.
        UniqueConstraint("user_id", "client_id", name="uq_event_messages_user_client"),
        Index("ix_event_messages_event_id", "event_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), default="chat")  # chat, question, answer
    number: Mapped[int | None] = mapped_column(Integer)  # TweetMeet: Q<n> or A<n>
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)


class RoomMute(db.Model):
    __tablename__ = "event_mutes"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    muted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TweetMeetQuestion(db.Model):
    """A question prepared by the hosts, posted in the room at its time."""

    __tablename__ = "event_questions"
    __table_args__ = (UniqueConstraint("event_id", "number", name="uq_event_questions_event_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(String(500))
    # Minutes after the start, so the questions move with the event.
    offset_min: Mapped[int] = mapped_column(Integer)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(Integer)


class QaQuestion(db.Model):
    """The Q&A panel of a connection call: asked, upvoted, answered."""

    __tablename__ = "event_qa_questions"
    __table_args__ = (CheckConstraint("vote_count >= 0", name="votes_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(String(500))
    body_html: Mapped[str] = mapped_column(Text)
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class QaVote(db.Model):
    __tablename__ = "event_qa_votes"

    question_id: Mapped[int] = mapped_column(ForeignKey("event_qa_questions.id", ondelete="CASCADE"),
                                             primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class CalendarFeed(db.Model):
    """A member's secret iCal feed address (resettable)."""

    __tablename__ = "event_calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
