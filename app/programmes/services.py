"""Expert cohorts: creating a school year's cohort and its application form,
finding the open and current cohorts, and announcing the results.

Other features (and the rest of this package) read cohorts through here.
The results of a cohort become visible at `announce_at`, by server time,
whatever else happened: `announce_due` only sends the notifications, once.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.exceptions import Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.notifications import services as notifications
from app.programmes import clock
from app.programmes.models import Application, Cohort, Question
from app.text import render_markdown

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
MAX_QUESTIONS = 20
RESULT_TEXTS = {
    "accepted": N_("Congratulations: you are a Staffroom Expert %(year)s."),
    "waitlisted": N_("Staffroom Experts %(year)s: you are on the waiting list."),
    "declined": N_("Staffroom Experts %(year)s: your application was not selected this year."),
    None: N_("Staffroom Experts %(year)s: the results are out."),
}


def require_admin(user) -> None:
    if not (user and getattr(user, "is_authenticated", False) and user.is_admin):
        raise Forbidden(N_("Only programme admins can do that."))


# Cohorts ---------------------------------------------------------------------------------

def _check_dates(fields: dict, errors: dict[str, str]) -> None:
    order = ["nominations_open_at", "nominations_close_at", "review_starts_at", "review_ends_at", "announce_at"]
    missing = [name for name in order if not isinstance(fields.get(name), datetime) or fields[name].tzinfo is None]
    for name in missing:
        errors[name] = N_("Give a date and time.")
    if missing:
        return
    if fields["nominations_close_at"] <= fields["nominations_open_at"]:
        errors["nominations_close_at"] = N_("Nominations must close after they open.")
    if fields["review_starts_at"] < fields["nominations_close_at"]:
        errors["review_starts_at"] = N_("Reviews start once nominations have closed.")
    if fields["review_ends_at"] <= fields["review_starts_at"]:
        errors["review_ends_at"] = N_("The review period must end after it starts.")
    if fields["announce_at"] < fields["review_ends_at"]:
        errors["announce_at"] = N_("Announce the results after the review period.")


def _clean_questions(questions, errors: dict[str, str]) -> list[dict]:
    clean = []
    for number, raw in enumerate(questions or [], start=1):
        text = " ".join(str(raw.get("text") or "").split())
        if not text:
            continue
        max_length = raw.get("max_length") or 2000
        if not isinstance(max_length, int) or not 50 <= max_length <= 10_000:
            errors[f"questions.{number}"] = N_("A maximum length is between 50 and 10,000 characters.")
        clean.append({"text": text[:300], "help": " ".join(str(raw.get("help") or "").split())[:500],
                      "required": bool(raw.get("required", True)), "max_length": max_length})
    if not clean:
        errors["questions"] = N_("Ask at least one question.")
    elif len(clean) > MAX_QUESTIONS:
        errors["questions"] = _l("Ask at most %(max)s questions.", max=MAX_QUESTIONS)
    return clean


def create_cohort(by, *, school_year: str, title: str = "", description: str = "", questions=(),
                  **dates) -> Cohort:
    """A school year's cohort with its dates and application questions
    (dicts: text, help, required, max_length)."""
    require_admin(by)
    errors: dict[str, str] = {}
    match = SCHOOL_YEAR.match((school_year or "").strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        errors["school_year"] = N_("Write the school year as 2026-2027.")
    elif db.session.scalar(select(Cohort.id).where(Cohort.school_year == school_year.strip())):
        errors["school_year"] = N_("There is already a cohort for that school year.")
    _check_dates(dates, errors)
    clean = _clean_questions(questions, errors)
    if len(description or "") > 10_000:
        errors["description"] = N_("Use at most 10,000 characters.")
    if errors:
        raise ValidationFailed(errors)
    year = school_year.strip()
    cohort = Cohort(school_year=year, title=(title or "").strip()[:120] or f"Staffroom Experts {year}",
                    description_md=description or "", description_html=render_markdown(description or ""),
                    **{name: dates[name] for name in ("nominations_open_at", "nominations_close_at",
                                                      "review_starts_at", "review_ends_at", "announce_at")})
    cohort.questions = [Question(position=n, **q) for n, q in enumerate(clean)]
    db.session.add(cohort)
    db.session.commit()
    return cohort


def get_cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(N_("No such cohort."))
    return cohort


def get_by_year(school_year: str) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.school_year == school_year))
    if cohort is None:
        raise NotFound(N_("No cohort for that school year."))
    return cohort


def all_cohorts() -> list[Cohort]:
    return list(db.session.scalars(select(Cohort).order_by(Cohort.school_year.desc())))


def open_cohort(now: datetime | None = None) -> Cohort | None:
    """The cohort taking nominations now, if any."""
    now = clock.now_or(now)
    return db.session.scalar(select(Cohort).where(Cohort.nominations_open_at <= now,
                                                  Cohort.nominations_close_at > now)
                             .order_by(Cohort.nominations_close_at).limit(1))


def current_cohort(now: datetime | None = None) -> Cohort | None:
    """The latest cohort whose results are out: its experts are the current ones."""
    now = clock.now_or(now)
    return db.session.scalar(select(Cohort).where(Cohort.announce_at <= now)
                             .order_by(Cohort.announce_at.desc(), Cohort.id.desc()).limit(1))


def next_announced(now: datetime | None = None) -> Cohort | None:
    """The cohort whose results come out next, if one is waiting for its announcement."""
    now = clock.now_or(now)
    return db.session.scalar(select(Cohort).where(Cohort.announce_at > now)
                             .order_by(Cohort.announce_at, Cohort.id).limit(1))


def is_current_expert(user, now: datetime | None = None) -> Cohort | None:
    """The current cohort when `user` is one of its experts, else None."""
    if not (user and getattr(user, "is_authenticated", False)):
        return None
    cohort = current_cohort(now)
    if cohort is None:
        return None
    accepted = db.session.scalar(select(Application.id).where(
        Application.cohort_id == cohort.id, Application.user_id == user.id,
        Application.status == "submitted", Application.decision == "accepted"))
    return cohort if accepted else None


# The announcement ---------------------------------------------------------------------------

def result_text(cohort: Cohort, decision: str | None) -> notifications.Message:
    """The applicant's notice, read in their language."""
    return notifications.Message(RESULT_TEXTS.get(decision, RESULT_TEXTS[None]), {"year": cohort.school_year})


def _notify_applicants(cohort: Cohort) -> int:
    applications = db.session.scalars(select(Application).where(
        Application.cohort_id == cohort.id, Application.status == "submitted"))
    sent = 0
    for application in applications:
        item = notifications.notify(application.user, "programme_result",
                                    result_text(cohort, application.decision),
                                    f"/programmes/applications/{application.id}",
                                    dedupe_key=f"programme-result:{application.id}")
        sent += item is not None
    return sent


def announce_due(now: datetime | None = None) -> list[Cohort]:
    """Notify every applicant of each cohort whose announcement time has
    passed and that was not announced yet. Safe to call from any number of
    pages and processes at once: a conditional update lets exactly one
    caller claim each cohort, and its notifications commit with the claim."""
    now = clock.now_or(now)
    due = list(db.session.scalars(select(Cohort).where(Cohort.announce_at <= now,
                                                       Cohort.announced_at.is_(None))))
    announced = []
    for cohort in due:
        claimed = db.session.execute(update(Cohort).where(Cohort.id == cohort.id, Cohort.announced_at.is_(None))
                                     .values(announced_at=now)).rowcount
        if claimed:
            _notify_applicants(cohort)
            announced.append(cohort)
        db.session.commit()
    return announced


def notify_late_decision(application: Application) -> None:
    """A decision changed after the announcement (say, off the waiting
    list): tell that applicant now, in the caller's transaction."""
    notifications.notify(application.user, "programme_result",
                         result_text(application.cohort, application.decision),
                         f"/programmes/applications/{application.id}",
                         dedupe_key=f"programme-result:{application.id}:{application.decision}")
