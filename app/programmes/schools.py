"""Showcase schools: profiles, the incubator checklist, the two application
windows a year, admins' decisions and the "near you" directory.

Every school starts on the incubator path. Its leaders tick the checklist
(the admins' list of criteria), each tick with its evidence; once every
active item is ticked, the school may apply in an open window, one
application per window. An admin accepts (the school becomes a Showcase
School) or declines (it may apply again in a later window).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.programmes import clock, geo
from app.programmes import services as cohorts
from app.programmes.models import (
    ChecklistEntry,
    ChecklistItem,
    School,
    SchoolLeader,
    ShowcaseApplication,
    ShowcaseWindow,
)
from app.template_helpers import localtime
from app.text import render_markdown
from app.vocabulary import is_country

WINDOWS_PER_YEAR = 2
MAX_POSITION = 10_000  # checklist order; far more items than a checklist has


def _http_url(value: str | None) -> bool:
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.hostname) and len(value) <= 500 and " " not in value


# Profiles ------------------------------------------------------------------------------------

def _clean(fields: dict) -> dict:
    errors, clean = {}, {}
    if "name" in fields:
        clean["name"] = " ".join((fields["name"] or "").split())
        if not 3 <= len(clean["name"]) <= 160:
            errors["name"] = N_("Give the school's name (3 to 160 characters).")
    if "country" in fields:
        clean["country"] = (fields["country"] or "").upper()
        if not is_country(clean["country"]):
            errors["country"] = N_("Pick the school's country.")
    if "city" in fields:
        clean["city"] = " ".join((fields["city"] or "").split())
        if not 1 <= len(clean["city"]) <= 100:
            errors["city"] = N_("Give the city or town (up to 100 characters).")
    if "website" in fields:
        clean["website"] = (fields["website"] or "").strip() or None
        if clean["website"] and not _http_url(clean["website"]):
            errors["website"] = N_("A website starts with http:// or https://.")
    if "description" in fields:
        clean["description"] = fields["description"] or ""
        if len(clean["description"]) > 10_000:
            errors["description"] = N_("Use at most 10,000 characters.")
    if "latitude" in fields or "longitude" in fields:
        lat, lon = fields.get("latitude"), fields.get("longitude")
        if (lat is None) != (lon is None):
            errors["latitude"] = N_("Give both latitude and longitude, or neither.")
        elif lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["latitude"] = N_("Latitude is -90 to 90 and longitude -180 to 180.")
        clean["latitude"], clean["longitude"] = lat, lon
    if errors:
        raise ValidationFailed(errors)
    return clean


def _apply(school: School, clean: dict) -> None:
    for key in ("name", "country", "city", "website", "latitude", "longitude"):
        if key in clean:
            setattr(school, key, clean[key])
    if "description" in clean:
        school.description_md = clean["description"]
        school.description_html = render_markdown(clean["description"])


def create_school(by, now: datetime | None = None, **fields) -> School:
    """A member registers their school; they become its first leader."""
    clean = _clean({"name": "", "country": "", "city": "", **fields})
    school = School(joined_at=clock.now_or(now), status="incubator")
    _apply(school, clean)
    school.leader_rows = [SchoolLeader(user_id=by.id)]
    db.session.add(school)
    db.session.commit()
    return school


def get_school(school_id: int) -> School:
    school = db.session.get(School, school_id)
    if school is None:
        raise NotFound(N_("No such school."))
    return school


def is_leader(school: School, user) -> bool:
    return bool(user and user.is_authenticated and any(row.user_id == user.id for row in school.leader_rows))


def can_manage(school: School, user) -> bool:
    return is_leader(school, user) or bool(user and user.is_authenticated and user.is_admin)


def _require_manage(school: School, user) -> None:
    if not can_manage(school, user):
        raise Forbidden(N_("Only the school's leaders (and programme admins) can do that."))


def update_school(school: School, by, **fields) -> School:
    _require_manage(school, by)
    _apply(school, _clean(fields))
    db.session.commit()
    return school


def add_leader(school: School, by, user) -> None:
    _require_manage(school, by)
    if not is_leader(school, user):
        school.leader_rows.append(SchoolLeader(user_id=user.id))
        db.session.commit()


def remove_leader(school: School, by, user_id: int) -> None:
    _require_manage(school, by)
    if len(school.leader_rows) <= 1 and not by.is_admin:
        raise Conflict(N_("A school keeps at least one leader."))
    db.session.execute(delete(SchoolLeader).where(SchoolLeader.school_id == school.id,
                                                  SchoolLeader.user_id == user_id))
    db.session.commit()


def years_in_programme(school: School, now: datetime | None = None) -> int:
    now = clock.now_or(now)
    return max(1, now.year - school.joined_at.year + (1 if (now.month, now.day) >= (school.joined_at.month,
                                                                                   school.joined_at.day) else 0))


# The checklist -------------------------------------------------------------------------------------

def checklist_items(include_inactive: bool = False) -> list[ChecklistItem]:
    statement = select(ChecklistItem).order_by(ChecklistItem.position, ChecklistItem.id)
    if not include_inactive:
        statement = statement.where(ChecklistItem.active.is_(True))
    return list(db.session.scalars(statement))


def save_checklist_item(by, *, title: str, description: str = "", position: int | None = None,
                        active: bool = True, item_id: int | None = None) -> ChecklistItem:
    cohorts.require_admin(by)
    title = " ".join((title or "").split())
    if not 3 <= len(title) <= 160:
        raise ValidationFailed({"title": N_("Give the criterion a title (3 to 160 characters).")})
    if len(description or "") > 1000:
        raise ValidationFailed({"description": N_("Use at most 1,000 characters.")})
    if position is not None and not 0 <= position <= MAX_POSITION:
        raise ValidationFailed({"position": _l("A position from 0 to %(max)s.", max=f"{MAX_POSITION:,}")})
    item = db.session.get(ChecklistItem, item_id) if item_id else ChecklistItem()
    if item is None:
        raise NotFound(N_("No such checklist item."))
    if position is None and item.id is None:
        position = (db.session.scalar(select(func.max(ChecklistItem.position))) or 0) + 1
    item.title, item.description, item.active = title, description or "", bool(active)
    if position is not None:
        item.position = position
    db.session.add(item)
    db.session.commit()
    return item


def entries(school: School) -> dict[int, ChecklistEntry]:
    return {e.item_id: e for e in db.session.scalars(select(ChecklistEntry)
                                                     .where(ChecklistEntry.school_id == school.id))}


def tick(school: School, by, item_id: int, *, evidence: str, evidence_url: str | None = None,
         now: datetime | None = None) -> ChecklistEntry:
    _require_manage(school, by)
    item = db.session.get(ChecklistItem, item_id)
    if item is None or not item.active:
        raise NotFound(N_("No such checklist item."))
    evidence = (evidence or "").strip()
    errors = {}
    if not 10 <= len(evidence) <= 2000:
        errors["evidence"] = N_("Describe the evidence (10 to 2,000 characters).")
    evidence_url = (evidence_url or "").strip() or None
    if evidence_url and not _http_url(evidence_url):
        errors["evidence_url"] = N_("Links must start with http:// or https://.")
    if errors:
        raise ValidationFailed(errors)
    entry = db.session.get(ChecklistEntry, (school.id, item.id)) or ChecklistEntry(school_id=school.id,
                                                                                   item_id=item.id)
    entry.evidence, entry.evidence_url = evidence, evidence_url
    entry.ticked_by_id, entry.ticked_at = by.id, clock.now_or(now)
    db.session.add(entry)
    db.session.commit()
    return entry


def untick(school: School, by, item_id: int) -> None:
    _require_manage(school, by)
    db.session.execute(delete(ChecklistEntry).where(ChecklistEntry.school_id == school.id,
                                                    ChecklistEntry.item_id == item_id))
    db.session.commit()


def checklist_complete(school: School) -> bool:
    done = entries(school)
    return all(item.id in done for item in checklist_items())


# Application windows and decisions --------------------------------------------------------------------

def windows() -> list[ShowcaseWindow]:
    return list(db.session.scalars(select(ShowcaseWindow).order_by(ShowcaseWindow.opens_at)))


def add_window(by, *, name: str, opens_at: datetime, closes_at: datetime) -> ShowcaseWindow:
    """Two windows a calendar year (by opening date), never overlapping."""
    cohorts.require_admin(by)
    name = " ".join((name or "").split())
    errors = {}
    if not 3 <= len(name) <= 80:
        errors["name"] = N_("Name the window, e.g. Spring 2027.")
    if not (isinstance(opens_at, datetime) and isinstance(closes_at, datetime)) or closes_at <= opens_at:
        errors["closes_at"] = N_("The window must close after it opens.")
    if errors:
        raise ValidationFailed(errors)
    same_year = [w for w in windows() if w.opens_at.year == opens_at.year]
    if len(same_year) >= WINDOWS_PER_YEAR:
        raise ValidationFailed({"opens_at": f"{opens_at.year} already has its {WINDOWS_PER_YEAR} windows."})
    if any(w.opens_at < closes_at and opens_at < w.closes_at for w in windows()):
        raise ValidationFailed({"opens_at": N_("Windows may not overlap.")})
    window = ShowcaseWindow(name=name, opens_at=opens_at, closes_at=closes_at)
    db.session.add(window)
    db.session.commit()
    return window


def open_window(now: datetime | None = None) -> ShowcaseWindow | None:
    now = clock.now_or(now)
    return db.session.scalar(select(ShowcaseWindow).where(ShowcaseWindow.opens_at <= now,
                                                          ShowcaseWindow.closes_at > now).limit(1))


def next_window(now: datetime | None = None) -> ShowcaseWindow | None:
    now = clock.now_or(now)
    return db.session.scalar(select(ShowcaseWindow).where(ShowcaseWindow.opens_at > now)
                             .order_by(ShowcaseWindow.opens_at).limit(1))


def applications_of(school: School) -> list[ShowcaseApplication]:
    return list(db.session.scalars(select(ShowcaseApplication).where(ShowcaseApplication.school_id == school.id)
                                   .order_by(ShowcaseApplication.created_at.desc())))


def apply_problem(school: School, now: datetime | None = None) -> str | None:
    """Why this school cannot apply now, or None when it can. The school page
    shows this instead of the form; `apply` refuses with it."""
    now = clock.now_or(now)
    if school.is_showcase:
        return N_("This school is already a Showcase School.")
    history = applications_of(school)
    waiting = next((a for a in history if a.status == "submitted"), None)
    if waiting is not None:
        return _l("This school's application (%(window)s) is waiting for a decision; the programme team decides "
                  "after the window closes.", window=waiting.window.name)
    window = open_window(now)
    if window is None:
        upcoming = next_window(now)
        if upcoming is None:
            return N_("Applications are taken in two windows a year, and none is open now.")
        return _l("Applications are taken in two windows a year, and none is open now. The next opens on "
                  "%(date)s (%(window)s).", date=localtime(upcoming.opens_at, "%d %B %Y", "UTC"), window=upcoming.name)
    if any(a.window_id == window.id for a in history):
        return _l("This school already applied in this window (%(window)s); apply again in the next one.",
                  window=window.name)
    if not checklist_complete(school):
        return N_("Tick every item of the incubator checklist, with its evidence, before applying.")
    return None


def apply(school: School, by, statement: str, now: datetime | None = None) -> ShowcaseApplication:
    now = clock.now_or(now)
    _require_manage(school, by)
    problem = apply_problem(school, now)
    if problem:
        raise Conflict(problem)
    statement = (statement or "").strip()
    if not 20 <= len(statement) <= 5000:
        raise ValidationFailed({"statement": N_("Tell the reviewers why (20 to 5,000 characters).")})
    window = open_window(now)
    application = ShowcaseApplication(school_id=school.id, window_id=window.id, statement=statement,
                                      submitted_by_id=by.id, created_at=now)
    db.session.add(application)
    try:
        db.session.commit()
    except IntegrityError:  # two leaders applying at the same moment
        db.session.rollback()
        raise Conflict(_l("This school already applied in this window (%(window)s); apply again in the next one.",
                          window=window.name)) from None
    return application


def pending_applications() -> list[ShowcaseApplication]:
    return list(db.session.scalars(select(ShowcaseApplication).where(ShowcaseApplication.status == "submitted")
                                   .order_by(ShowcaseApplication.created_at)))


def decide(by, application_id: int, accept: bool, now: datetime | None = None) -> ShowcaseApplication:
    now = clock.now_or(now)
    cohorts.require_admin(by)
    application = db.session.get(ShowcaseApplication, application_id)
    if application is None:
        raise NotFound(N_("No such showcase application."))
    if application.status != "submitted":
        raise Conflict(N_("That application was already decided."))
    application.status = "accepted" if accept else "declined"
    application.decided_by_id, application.decided_at = by.id, now
    if accept:
        application.school.status, application.school.showcase_since = "showcase", now
    db.session.commit()
    return application


# The directory ------------------------------------------------------------------------------------------

@dataclass
class Listed:
    school: School
    distance_km: float | None


def directory(*, country: str | None = None, city: str | None = None, origin: tuple[float, float] | None = None
              ) -> dict[str, list[Listed]]:
    """Showcase and incubator schools, filtered; nearest first when an origin
    (lat, lon) is given (haversine over the filtered rows, in Python),
    schools without coordinates after those with; else by name."""
    statement = select(School)
    if country:
        statement = statement.where(School.country == country.upper())
    if city:
        statement = statement.where(func.lower(School.city) == city.strip().lower())
    rows = list(db.session.scalars(statement.order_by(School.name)))
    listed = []
    for school in rows:
        distance = None
        if origin and school.latitude is not None and school.longitude is not None:
            distance = geo.haversine_km(origin[0], origin[1], school.latitude, school.longitude)
        listed.append(Listed(school, distance))
    if origin:
        listed.sort(key=lambda item: (item.distance_km is None, item.distance_km or 0.0, item.school.name))
    return {"showcase": [i for i in listed if i.school.is_showcase],
            "incubator": [i for i in listed if not i.school.is_showcase]}


def schools_led_by(user) -> list[School]:
    if not (user and user.is_authenticated):
        return []
    return list(db.session.scalars(select(School).join(SchoolLeader, SchoolLeader.school_id == School.id)
                                   .where(SchoolLeader.user_id == user.id).order_by(School.name)))
