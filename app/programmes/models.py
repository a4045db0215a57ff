"""Programme tables: expert cohorts and their applications, reviews and
announcements; showcase schools and their incubator checklist; the
collaboration board. All times are UTC (`UTCDateTime`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import N_

APPLICATION_STATUSES = ("draft", "submitted", "withdrawn")
DECISIONS = {"accepted": N_("Accepted"), "declined": N_("Declined"), "waitlisted": N_("Waitlisted")}
RUBRIC = {
    "impact": N_("Impact on learners"),
    "innovation": N_("Innovation in teaching"),
    "sharing": N_("Sharing with colleagues"),
    "evidence_quality": N_("Quality of the evidence"),
}
EVIDENCE_KINDS = ("link", "file", "portfolio")
SCHOOL_STATUSES = {"incubator": N_("Incubator school"), "showcase": N_("Showcase School")}
SHOWCASE_STATUSES = ("submitted", "accepted", "declined")


# Expert cohorts ---------------------------------------------------------------------

class Cohort(db.Model):
    __tablename__ = "programme_cohorts"
    __table_args__ = (
        CheckConstraint("nominations_open_at < nominations_close_at", name="window_order"),
        CheckConstraint("review_starts_at < review_ends_at", name="review_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year: Mapped[str] = mapped_column(String(9), unique=True)  # "2026-2027"
    title: Mapped[str] = mapped_column(String(120))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    nominations_open_at: Mapped[datetime] = mapped_column(UTCDateTime())
    nominations_close_at: Mapped[datetime] = mapped_column(UTCDateTime())
    review_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    review_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    announce_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # Set once, by whoever announces first (command or page load): applicants
    # are notified exactly once.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    questions: Mapped[list[Question]] = relationship(
        cascade="all, delete-orphan", order_by="Question.position", lazy="selectin"
    )

    def is_open(self, now: datetime) -> bool:
        return self.nominations_open_at <= now < self.nominations_close_at

    def is_announced(self, now: datetime) -> bool:
        return now >= self.announce_at

    def phase(self, now: datetime) -> str:
        if now < self.nominations_open_at:
            return "upcoming"
        if now < self.nominations_close_at:
            return "nominations"
        if now < self.announce_at:
            return "review"
        return "announced"


class Question(db.Model):
    __tablename__ = "programme_questions"
    __table_args__ = (CheckConstraint("max_length > 0", name="max_length_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("programme_cohorts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(300))
    help: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    max_length: Mapped[int] = mapped_column(Integer, default=2000)


class Application(db.Model):
    __tablename__ = "programme_applications"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id", name="uq_programme_applications_cohort_user"),
        Index("ix_programme_applications_cohort_status", "cohort_id", "status", "country"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("programme_cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    # The applicant's country and school when they last saved or submitted:
    # the public list and the same-school rule use these.
    country: Mapped[str | None] = mapped_column(String(2))
    school: Mapped[str | None] = mapped_column(String(120))
    # Kept from applicants (and everyone but admins) until announce_at.
    decision: Mapped[str | None] = mapped_column(String(12))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    evidence: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", order_by="Evidence.id", lazy="selectin"
    )

    def answer_for(self, question_id: int) -> Answer | None:
        return next((a for a in self.answers if a.question_id == question_id), None)


class Answer(db.Model):
    """One answer; `version` grows with each save, so a save that started
    from an older version is caught instead of overwriting silently."""

    __tablename__ = "programme_answers"
    __table_args__ = (UniqueConstraint("application_id", "question_id", name="uq_programme_answers_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("programme_applications.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("programme_questions.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Evidence(db.Model):
    """A link, a file, or an item of the member's portfolio (a snapshot of
    it: the evidence stays readable if the original changes)."""

    __tablename__ = "programme_evidence"
    __table_args__ = (UniqueConstraint("application_id", "ref", name="uq_programme_evidence_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("programme_applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # link, file, portfolio
    source: Mapped[str | None] = mapped_column(String(20))  # resource, answer, event, tweetmeet, group
    ref: Mapped[str | None] = mapped_column(String(60))  # "resource:12"
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    item_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    storage_name: Mapped[str | None] = mapped_column(String(80))
    file_name: Mapped[str | None] = mapped_column(String(200))
    mime: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewerAssignment(db.Model):
    __tablename__ = "programme_reviewers"
    __table_args__ = (
        UniqueConstraint("cohort_id", "reviewer_id", "scope", "value", name="uq_programme_reviewers_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("programme_cohorts.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(10))  # country or region
    value: Mapped[str] = mapped_column(String(20))  # "GB" or "europe"

    reviewer: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Review(db.Model):
    __tablename__ = "programme_reviews"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id", name="uq_programme_reviews_reviewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("programme_applications.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    impact: Mapped[int] = mapped_column(Integer)
    innovation: Mapped[int] = mapped_column(Integer)
    sharing: Mapped[int] = mapped_column(Integer)
    evidence_quality: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reviewer: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in RUBRIC)


class Certification(db.Model):
    """A credential an expert adds to their profile: self-reported."""

    __tablename__ = "programme_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Announcement(db.Model):
    """Early access news for the experts of one cohort only."""

    __tablename__ = "programme_announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("programme_cohorts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    author: Mapped[User | None] = relationship(lazy="joined")

    def search_keys(self) -> list[str]:
        return [f"announcement:{self.id}"]


# Showcase schools -------------------------------------------------------------------

class School(db.Model):
    __tablename__ = "programme_schools"
    __table_args__ = (
        CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"),
        CheckConstraint("longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"),
        Index("ix_programme_schools_country_city", "country", "city"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(500))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), default="incubator")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    showcase_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    leader_rows: Mapped[list[SchoolLeader]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def leaders(self) -> list[User]:
        return [row.user for row in self.leader_rows]

    @property
    def is_showcase(self) -> bool:
        return self.status == "showcase"


class SchoolLeader(db.Model):
    __tablename__ = "programme_school_leaders"

    school_id: Mapped[int] = mapped_column(ForeignKey("programme_schools.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class ChecklistItem(db.Model):
    """A criterion of the incubator path, set by admins."""

    __tablename__ = "programme_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(String(1000), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ChecklistEntry(db.Model):
    """A school's tick on one item, with its evidence. No row: not ticked."""

    __tablename__ = "programme_checklist_entries"

    school_id: Mapped[int] = mapped_column(ForeignKey("programme_schools.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("programme_checklist_items.id", ondelete="CASCADE"), primary_key=True)
    evidence: Mapped[str] = mapped_column(String(2000))
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    ticked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ticked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ShowcaseWindow(db.Model):
    """One of the (at most) two application windows of a calendar year."""

    __tablename__ = "programme_showcase_windows"
    __table_args__ = (CheckConstraint("opens_at < closes_at", name="window_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class ShowcaseApplication(db.Model):
    __tablename__ = "programme_showcase_applications"
    __table_args__ = (UniqueConstraint("school_id", "window_id", name="uq_programme_showcase_school_window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("programme_schools.id", ondelete="CASCADE"), index=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("programme_showcase_windows.id", ondelete="CASCADE"))
    statement: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="submitted")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    school: Mapped[School] = relationship(lazy="joined", innerjoin=True)
    window: Mapped[ShowcaseWindow] = relationship(lazy="joined", innerjoin=True)


# Collaboration board -------------------------------------------------------------------

class CollabRequest(db.Model):
    """"A guest speaker for my Year 9 class": with a weekly time window in
    the poster's own time zone (minutes after local midnight)."""

    __tablename__ = "programme_collab_requests"
    __table_args__ = (
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
                        name="window_order"),
        Index("ix_programme_collab_requests_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(40))
    age_range: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    weekdays: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4")  # 0 = Monday
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    offers: Mapped[list[CollabOffer]] = relationship(
        cascade="all, delete-orphan", order_by="CollabOffer.id", lazy="selectin"
    )

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(day) for day in self.weekdays.split(",") if day.isdigit()]


class CollabOffer(db.Model):
    __tablename__ = "programme_collab_offers"
    __table_args__ = (UniqueConstraint("request_id", "user_id", name="uq_programme_collab_offers_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("programme_collab_requests.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class CollabAvailability(db.Model):
    """When and in which languages a member can help (their own time zone)."""

    __tablename__ = "programme_collab_availability"
    __table_args__ = (
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
                        name="window_order"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    languages: Mapped[str] = mapped_column(String(60))  # "en,fr"
    weekdays: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4")
    start_minute: Mapped[int] = mapped_column(Integer, default=9 * 60)
    end_minute: Mapped[int] = mapped_column(Integer, default=17 * 60)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(day) for day in self.weekdays.split(",") if day.isdigit()]
