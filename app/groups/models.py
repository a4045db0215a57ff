"""Groups and fitness: clubs, their members, activities, kudos, comments,
challenges and each member's fitness settings.

Distances are stored as integer metres and durations as integer seconds.
Integers add up exactly in SQL on SQLite and PostgreSQL alike (SQLite has no
decimal type: a Numeric column there is a float), no GPS track or hand-typed
distance is more precise than a metre, and miles convert with the exact
factor 1,609.344 m (see `units.py`), so a distance typed in either unit reads
back the same at the two decimals we show.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import N_

# Labels are plain English marked with N_: pages translate them on the way out
# (the views' filters, the forms' choices); search and the CSV export keep them as they are.
FOCUSES = {
    "running": N_("Running"),
    "cycling": N_("Cycling"),
    "walking": N_("Walking"),
    "swimming": N_("Swimming"),
    "mixed": N_("Mixed sports"),
    "interest": N_("Interest group (no fitness tracking)"),
}
SPORTS = {"run": N_("Run"), "ride": N_("Ride"), "walk": N_("Walk"), "swim": N_("Swim")}
ANY_SPORT = N_("Any sport")
# Which activities a group counts: its focus's sport, every sport for mixed, none for interest groups.
FOCUS_SPORTS = {
    "running": ("run",), "cycling": ("ride",), "walking": ("walk",), "swimming": ("swim",),
    "mixed": tuple(SPORTS), "interest": (),
}
GROUP_VISIBILITIES = {
    "public": N_("Public: anyone can see and join"),
    "private": N_("Private: members only, joining needs approval"),
}
ROLES = ("owner", "admin", "member")
ROLE_NAMES = {"owner": N_("Owner"), "admin": N_("Admin"), "member": N_("Member")}
ACTIVITY_VISIBILITIES = {"public": N_("Everyone"), "groups": N_("Members of my groups"), "private": N_("Only me")}
UNITS = {"km": N_("Kilometres"), "mi": N_("Miles")}
CHALLENGE_KINDS = {"distance": N_("Distance"), "days": N_("Active days")}


class Group(db.Model):
    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint("weekly_goal_m IS NULL OR weekly_goal_m > 0", name="weekly_goal_positive"),
        CheckConstraint("group_goal_m IS NULL OR group_goal_m > 0", name="group_goal_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    focus: Mapped[str] = mapped_column(String(12))
    visibility: Mapped[str] = mapped_column(String(8), default="public", index=True)
    weekly_goal_m: Mapped[int | None] = mapped_column(Integer)  # each member's goal
    group_goal_m: Mapped[int | None] = mapped_column(Integer)  # the whole group's goal
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")  # weeks run Monday-Sunday here
    cover_file: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def is_private(self) -> bool:
        return self.visibility == "private"

    @property
    def sports(self) -> tuple[str, ...]:
        return FOCUS_SPORTS.get(self.focus, ())

    @property
    def tracks_fitness(self) -> bool:
        return bool(self.sports)

    def search_keys(self) -> list[str]:
        return [f"group:{self.id}"]


class Membership(db.Model):
    __tablename__ = "group_members"
    __table_args__ = (Index("ix_group_members_user", "user_id"),)

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(8), default="member")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    group: Mapped[Group] = relationship(lazy="raise_on_sql")

    @property
    def is_admin(self) -> bool:
        return self.role in ("owner", "admin")


class JoinRequest(db.Model):
    """A request to join a private group, until an owner or admin decides."""

    __tablename__ = "group_join_requests"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class FitnessSettings(db.Model):
    """A member's fitness preferences; no row means the defaults (kilometres)."""

    __tablename__ = "fitness_settings"

    __table_args__ = (CheckConstraint("weekly_goal_m IS NULL OR weekly_goal_m > 0", name="weekly_goal_positive"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    distance_unit: Mapped[str] = mapped_column(String(2), default="km")
    weekly_goal_m: Mapped[int | None] = mapped_column(Integer)  # the dashed line on the member's weekly chart


class Activity(db.Model):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("distance_m >= 0", name="distance_not_negative"),
        CheckConstraint("duration_s > 0", name="duration_positive"),
        # Leaderboards and weekly totals: a member's activities in a time window,
        # covering every column they add up, so the database reads the index alone.
        Index("ix_activities_user_started", "user_id", "started_at", "sport", "visibility", "distance_m",
              "duration_s"),
        Index("ix_activities_started", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(120))
    notes_md: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[str] = mapped_column(Text, default="")
    distance_m: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[int] = mapped_column(Integer)  # moving time for GPX uploads
    elevation_gain_m: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The member's own calendar day and zone when they logged it ("active days").
    started_on: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    visibility: Mapped[str] = mapped_column(String(8), default="groups")
    source: Mapped[str] = mapped_column(String(8), default="manual")  # manual, gpx or fit
    route_points: Mapped[str | None] = mapped_column(Text)  # an SVG polyline's points, computed at upload
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    comments: Mapped[list[ActivityComment]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityComment.id", lazy="raise_on_sql",
        back_populates="activity",
    )
    photos: Mapped[list[ActivityPhoto]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityPhoto.id", lazy="select", back_populates="activity",
    )


class ActivityPhoto(db.Model):
    """A photo on an activity: a re-encoded JPEG under `storage` "photos"
    (no EXIF, no GPS), seen by whoever may see the activity."""

    __tablename__ = "activity_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(String(80))
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="photos", lazy="raise_on_sql")


class Kudos(db.Model):
    __tablename__ = "activity_kudos"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActivityComment(db.Model):
    __tablename__ = "activity_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    activity: Mapped[Activity] = relationship(back_populates="comments", lazy="raise_on_sql")


class Challenge(db.Model):
    """A goal an admin sets for the group between two dates (inclusive, in the
    group's time zone); `starts_at`/`ends_at` are those days' UTC bounds."""

    __tablename__ = "group_challenges"
    __table_args__ = (
        CheckConstraint("target > 0", name="target_positive"),
        Index("ix_group_challenges_group_ends", "group_id", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))  # distance (target in metres) or days
    target: Mapped[int] = mapped_column(Integer)
    sport: Mapped[str | None] = mapped_column(String(8))  # None: every sport the group counts
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)


class ChallengeCompletion(db.Model):
    """A badge: the member reached the challenge's target."""

    __tablename__ = "challenge_completions"

    challenge_id: Mapped[int] = mapped_column(ForeignKey("group_challenges.id", ondelete="CASCADE"),
                                              primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    challenge: Mapped[Challenge] = relationship(lazy="joined", innerjoin=True)


class ActivityTotal(db.Model):
    """A member's all-time totals per sport, of the activities groups count
    (public and group ones). Kept in step by `totals.py` in the same
    transaction as each change, so the all-time leaderboard adds up a few
    rows per member instead of every activity."""

    __tablename__ = "activity_totals"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    sport: Mapped[str] = mapped_column(String(8), primary_key=True)
    activities: Mapped[int] = mapped_column(Integer, default=0)
    distance_m: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_s: Mapped[int] = mapped_column(BigInteger, default=0)
