"""The collaboration board: requests across countries, offers to help, and
suggested matches.

A match needs working hours that overlap in both time zones (the request's
window in the poster's zone against the helper's availability in theirs,
compared in UTC over the coming week), and is ranked by shared language
and subject. A member who never set their availability is taken to work
weekdays 09:00-17:00 in their profile's time zone, in no stated language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pycountry
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.gate import require_verified
from app.accounts.models import User, with_topics
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.notifications import services as notifications
from app.programmes import clock, hours
from app.programmes.models import CollabAvailability, CollabOffer, CollabRequest
from app.text import render_markdown
from app.vocabulary import AGE_RANGES, SUBJECTS, is_timezone

DEFAULT_HOURS = (9 * 60, 17 * 60)
MAX_CANDIDATES = 500


@dataclass
class Match:
    request: CollabRequest | None
    user: User | None
    overlap_minutes: int
    same_language: bool
    same_subject: bool
    first_slot: tuple[datetime, datetime] | None

    @property
    def score(self) -> tuple:
        return (self.same_language, self.same_subject, self.overlap_minutes)


def _clean_window(fields: dict, errors: dict) -> tuple[str, int, int]:
    days = sorted({int(d) for d in fields.get("weekdays") or [] if str(d).isdigit() and 0 <= int(d) <= 6})
    if not days:
        errors["weekdays"] = N_("Pick at least one day.")
    start, end = fields.get("start_minute"), fields.get("end_minute")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= 1440:
        errors["start_minute"] = N_("Give a start time before the end time, e.g. 14:00 to 15:00.")
    return ",".join(map(str, days)), start, end


def _valid_language(code: str) -> bool:
    return len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None


# Requests and offers ---------------------------------------------------------------------------

def create_request(author, *, title: str, body: str = "", subject: str, age_range: str, language: str,
                   weekdays, start_minute: int, end_minute: int, timezone: str | None = None) -> CollabRequest:
    require_verified(author)
    errors: dict[str, str] = {}
    title = " ".join((title or "").split())
    if not 5 <= len(title) <= 200:
        errors["title"] = N_("Say what you are looking for (5 to 200 characters).")
    if len(body or "") > 5000:
        errors["body"] = N_("Use at most 5,000 characters.")
    if subject not in SUBJECTS:
        errors["subject"] = N_("Pick a subject from the list.")
    if age_range not in AGE_RANGES:
        errors["age_range"] = N_("Pick an age range from the list.")
    language = (language or "").strip().lower()
    if not _valid_language(language):
        errors["language"] = N_("Use a two-letter language code such as en, es or ar.")
    zone = timezone or author.timezone or "UTC"
    if not is_timezone(zone):
        errors["timezone"] = N_("Pick a time zone from the list.")
    days, start, end = _clean_window({"weekdays": weekdays, "start_minute": start_minute,
                                      "end_minute": end_minute}, errors)
    if errors:
        raise ValidationFailed(errors)
    request = CollabRequest(author_id=author.id, title=title, body_md=body or "", body_html=render_markdown(body or ""),
                            subject=subject, age_range=age_range, language=language, timezone=zone,
                            weekdays=days, start_minute=start, end_minute=end)
    db.session.add(request)
    db.session.commit()
    return request


def get_request(request_id: int) -> CollabRequest:
    request = db.session.get(CollabRequest, request_id)
    if request is None:
        raise NotFound(N_("No such request."))
    return request


def can_see_offers(request: CollabRequest, viewer) -> bool:
    """Offers are written to the poster: others see how many, not who or what."""
    return bool(viewer and getattr(viewer, "is_authenticated", False)
                and (viewer.id == request.author_id or viewer.is_moderator))


def visible_offers(request: CollabRequest, viewer) -> list[CollabOffer]:
    return list(request.offers) if can_see_offers(request, viewer) else []


def open_requests(*, subject: str | None = None, language: str | None = None):
    statement = select(CollabRequest).where(CollabRequest.status == "open")
    if subject:
        statement = statement.where(CollabRequest.subject == subject)
    if language:
        statement = statement.where(CollabRequest.language == language)
    return statement.order_by(CollabRequest.created_at.desc(), CollabRequest.id.desc())


def close_request(request: CollabRequest, by) -> CollabRequest:
    if by.id != request.author_id and not by.is_moderator:
        raise Forbidden(N_("Only the member who posted it can close this request."))
    request.status = "closed"
    db.session.commit()
    return request


def offer_help(request: CollabRequest, by, message: str) -> CollabOffer:
    require_verified(by)
    if request.status != "open":
        raise Conflict(N_("This request is closed."))
    if request.author_id == by.id:
        raise ValidationFailed({"message": N_("This is your own request.")})
    message = (message or "").strip()
    if not 5 <= len(message) <= 2000:
        raise ValidationFailed({"message": N_("Say how you can help (5 to 2,000 characters).")})
    offer = CollabOffer(request_id=request.id, user_id=by.id, message=message)
    db.session.add(offer)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(N_("You already offered to help with this request.")) from None
    notifications.notify(request.author, "collab_offer", notifications.Message(
        N_("%(name)s offered to help: %(title)s"), {"name": by.display_name, "title": request.title}),
                         f"/collaborate/{request.id}", actor=by, dedupe_key=f"collab-offer:{offer.id}")
    db.session.commit()
    return offer


# Availability ---------------------------------------------------------------------------------------

def availability_of(user) -> CollabAvailability | None:
    return db.session.get(CollabAvailability, user.id) if user and user.is_authenticated else None


def set_availability(user, *, languages, weekdays, start_minute: int, end_minute: int) -> CollabAvailability:
    errors: dict[str, str] = {}
    codes = list(dict.fromkeys(str(c).strip().lower() for c in (languages or []) if str(c).strip()))
    if not codes or len(codes) > 8 or not all(_valid_language(c) for c in codes):
        errors["languages"] = N_("Give one to eight two-letter language codes, e.g. en, fr.")
    days, start, end = _clean_window({"weekdays": weekdays, "start_minute": start_minute,
                                      "end_minute": end_minute}, errors)
    if errors:
        raise ValidationFailed(errors)
    row = availability_of(user) or CollabAvailability(user_id=user.id)
    row.languages, row.weekdays, row.start_minute, row.end_minute = ",".join(codes), days, start, end
    db.session.add(row)
    db.session.commit()
    return row


# Matching -------------------------------------------------------------------------------------------------

def _request_intervals(request: CollabRequest, monday):
    return hours.utc_intervals(request.timezone, request.weekday_numbers, request.start_minute,
                               request.end_minute, monday)


def _helper_intervals(user, availability: CollabAvailability | None, monday):
    if availability is None:
        return hours.utc_intervals(user.timezone or "UTC", [0, 1, 2, 3, 4], *DEFAULT_HOURS, monday)
    return hours.utc_intervals(user.timezone or "UTC", availability.weekday_numbers, availability.start_minute,
                               availability.end_minute, monday)


def match(request: CollabRequest, helper, availability: CollabAvailability | None, monday) -> Match:
    shared = hours.overlap(_request_intervals(request, monday), _helper_intervals(helper, availability, monday))
    languages = availability.language_codes if availability else []
    return Match(request=request, user=helper, overlap_minutes=hours.overlap_minutes(shared),
                 same_language=request.language in languages, same_subject=request.subject in helper.subjects,
                 first_slot=shared[0] if shared else None)


def match_for(request: CollabRequest, user, now: datetime | None = None) -> Match:
    """How a request fits one member, over the coming week."""
    monday = hours.reference_monday(clock.now_or(now).date())
    return match(request, user, availability_of(user), monday)


def _good(found: Match) -> bool:
    return found.overlap_minutes > 0 and (found.same_language or found.same_subject)


def suggestions_for_request(request: CollabRequest, now: datetime | None = None, limit: int = 5) -> list[Match]:
    """Members who could help: those who said when and in what languages."""
    monday = hours.reference_monday(clock.now_or(now).date())
    offered = {offer.user_id for offer in request.offers}
    rows = db.session.scalars(select(CollabAvailability).where(CollabAvailability.user_id != request.author_id)
                              .options(*with_topics(CollabAvailability.user)).limit(MAX_CANDIDATES))
    found = [match(request, row.user, row, monday) for row in rows
             if row.user_id not in offered and row.user.is_active]
    return sorted((m for m in found if _good(m)), key=lambda m: m.score, reverse=True)[:limit]


def suggestions_for_member(user, now: datetime | None = None, limit: int = 5) -> list[Match]:
    """Open requests by others that fit the member's languages, subjects and hours."""
    monday = hours.reference_monday(clock.now_or(now).date())
    availability = availability_of(user)
    rows = db.session.scalars(open_requests().where(CollabRequest.author_id != user.id).limit(MAX_CANDIDATES))
    found = [match(request, user, availability, monday) for request in rows
             if all(offer.user_id != user.id for offer in request.offers)]
    return sorted((m for m in found if _good(m)), key=lambda m: m.score, reverse=True)[:limit]
