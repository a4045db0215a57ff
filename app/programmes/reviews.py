"""Reviewing nominations: reviewer assignments by country or region, the
conflict rules, rubric scores, and the admins' decisions.

A reviewer sees the submitted applications from the countries and regions
they were assigned, never their own and never one from their own school
(by the school named on the profiles, or a school profile they both lead):
opening one of those is a 403, whoever asks, admins included.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.programmes import clock
from app.programmes import services as cohorts
from app.programmes.models import DECISIONS, RUBRIC, Application, Cohort, Review, ReviewerAssignment, SchoolLeader
from app.programmes.regions import REGIONS, countries_in
from app.vocabulary import is_country


def _school_key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def conflict_reason(reviewer, application: Application) -> str | None:
    if application.user_id == reviewer.id:
        return N_("You cannot review your own application.")
    school = _school_key(application.school) or _school_key(application.user.school)
    if school and school == _school_key(reviewer.school):
        return N_("You cannot review an application from your own school.")
    shared = db.session.scalar(
        select(func.count()).select_from(SchoolLeader)
        .where(SchoolLeader.user_id == reviewer.id,
               SchoolLeader.school_id.in_(select(SchoolLeader.school_id)
                                          .where(SchoolLeader.user_id == application.user_id))))
    if shared:
        return N_("You cannot review an application from a school you lead together.")
    return None


# Assignments ----------------------------------------------------------------------------------

def assign(by, cohort: Cohort, reviewer, *, country: str | None = None, region: str | None = None
           ) -> ReviewerAssignment:
    cohorts.require_admin(by)
    if bool(country) == bool(region):
        raise ValidationFailed({"country": N_("Give a country or a region (one of them).")})
    if country and not is_country(country):
        raise ValidationFailed({"country": N_("Use a two-letter country code such as GB.")})
    if region and region not in REGIONS:
        raise ValidationFailed({"region": f"Pick a region: {', '.join(REGIONS)}."})
    scope, value = ("country", country.upper()) if country else ("region", region)
    row = db.session.scalar(select(ReviewerAssignment).where(
        ReviewerAssignment.cohort_id == cohort.id, ReviewerAssignment.reviewer_id == reviewer.id,
        ReviewerAssignment.scope == scope, ReviewerAssignment.value == value))
    if row is None:
        row = ReviewerAssignment(cohort_id=cohort.id, reviewer_id=reviewer.id, scope=scope, value=value)
        db.session.add(row)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise Conflict(N_("That reviewer already has that assignment.")) from None
    return row


def unassign(by, assignment_id: int) -> None:
    cohorts.require_admin(by)
    db.session.execute(delete(ReviewerAssignment).where(ReviewerAssignment.id == assignment_id))
    db.session.commit()


def assignments(cohort: Cohort) -> list[ReviewerAssignment]:
    return list(db.session.scalars(select(ReviewerAssignment).where(ReviewerAssignment.cohort_id == cohort.id)
                                   .order_by(ReviewerAssignment.id)))


def _countries_for(cohort: Cohort, reviewer) -> set[str]:
    rows = db.session.execute(select(ReviewerAssignment.scope, ReviewerAssignment.value).where(
        ReviewerAssignment.cohort_id == cohort.id, ReviewerAssignment.reviewer_id == reviewer.id)).all()
    countries: set[str] = set()
    for scope, value in rows:
        countries.update([value] if scope == "country" else countries_in(value))
    return countries


def reviewer_cohorts(reviewer) -> list[Cohort]:
    if not (reviewer and reviewer.is_authenticated):
        return []
    return list(db.session.scalars(select(Cohort).where(Cohort.id.in_(
        select(ReviewerAssignment.cohort_id).where(ReviewerAssignment.reviewer_id == reviewer.id)))
        .order_by(Cohort.school_year.desc())))


def is_reviewer(user) -> bool:
    return bool(user and user.is_authenticated and db.session.scalar(
        select(ReviewerAssignment.id).where(ReviewerAssignment.reviewer_id == user.id).limit(1)))


# What a reviewer may open -----------------------------------------------------------------------

def queue(cohort: Cohort, reviewer) -> list[Application]:
    """Submitted applications in the reviewer's countries, conflicts left out."""
    countries = _countries_for(cohort, reviewer)
    if not countries:
        return []
    rows = db.session.scalars(select(Application).where(
        Application.cohort_id == cohort.id, Application.status == "submitted",
        Application.country.in_(sorted(countries)), Application.user_id != reviewer.id)
        .order_by(Application.country, Application.submitted_at))
    return [application for application in rows if conflict_reason(reviewer, application) is None]


def get_for_reviewer(application_id: int, reviewer) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.status != "submitted":
        raise NotFound(N_("No such submitted application."))
    reason = conflict_reason(reviewer, application)
    if reason:
        raise Forbidden(reason)
    if reviewer.is_admin or application.country in _countries_for(application.cohort, reviewer):
        return application
    raise Forbidden(N_("This application is not among those assigned to you."))


def my_review(application: Application, reviewer) -> Review | None:
    return db.session.scalar(select(Review).where(Review.application_id == application.id,
                                                  Review.reviewer_id == reviewer.id))


def save_review(application_id: int, reviewer, *, comment: str = "", now: datetime | None = None,
                **scores) -> Review:
    now = clock.now_or(now)
    application = get_for_reviewer(application_id, reviewer)
    cohort = application.cohort
    if now >= cohort.announce_at:
        raise Conflict(N_("The results are announced; reviews are closed."))
    errors = {}
    for name, label in RUBRIC.items():
        value = scores.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[name] = _l("Score “%(criterion)s” from 1 to 5.", criterion=_l(label))
    if len(comment or "") > 5000:
        errors["comment"] = N_("Use at most 5,000 characters.")
    if errors:
        raise ValidationFailed(errors)
    review = my_review(application, reviewer) or Review(application_id=application.id, reviewer_id=reviewer.id)
    for name in RUBRIC:
        setattr(review, name, scores[name])
    review.comment, review.updated_at = comment or "", now
    db.session.add(review)
    db.session.commit()
    return review


def reviews_of(application: Application) -> list[Review]:
    return list(db.session.scalars(select(Review).where(Review.application_id == application.id)
                                   .order_by(Review.created_at)))


# Decisions (admins) --------------------------------------------------------------------------------

def submitted(cohort: Cohort, *, country: str | None = None) -> list[Application]:
    statement = select(Application).where(Application.cohort_id == cohort.id, Application.status == "submitted")
    if country:
        statement = statement.where(Application.country == country)
    return list(db.session.scalars(statement.order_by(Application.country, Application.submitted_at)))


def score_summary(application_ids: list[int]) -> dict[int, tuple[int, float]]:
    """application id -> (number of reviews, mean total score)."""
    total = Review.impact + Review.innovation + Review.sharing + Review.evidence_quality
    rows = db.session.execute(select(Review.application_id, func.count(), func.avg(total))
                              .where(Review.application_id.in_(application_ids or [-1]))
                              .group_by(Review.application_id))
    return {app_id: (count, float(mean or 0)) for app_id, count, mean in rows}


def decide(by, application_id: int, decision: str, now: datetime | None = None) -> Application:
    now = clock.now_or(now)
    cohorts.require_admin(by)
    application = db.session.get(Application, application_id)
    if application is None or application.status != "submitted":
        raise NotFound(N_("No such submitted application."))
    if application.user_id == by.id:
        raise Forbidden(N_("You cannot decide on your own application."))
    if decision not in DECISIONS:
        raise ValidationFailed({"decision": N_("Decide accepted, declined or waitlisted.")})
    changed = application.decision != decision
    application.decision, application.decided_at, application.decided_by_id = decision, now, by.id
    if changed and application.cohort.announced_at is not None:
        cohorts.notify_late_decision(application)
    db.session.commit()
    return application
