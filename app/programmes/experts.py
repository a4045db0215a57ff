"""The public list of a cohort's experts, their years in the programme,
badges and self-reported certifications.

An expert of a cohort: a submitted application accepted for it. Nothing of
a cohort's list exists before its announcement time. An expert's years are
the announced cohorts they were accepted into, up to and including this
one: a returning expert in their seventh cohort is in their "7th year".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import User, with_topics
from app.exceptions import Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import LOCALES, N_
from app.programmes import clock
from app.programmes.models import Application, Certification, Cohort
from app.spreadsheet import safe_cell
from app.template_helpers import localtime
from app.vocabulary import country_name, fold, subject_names_everywhere


@dataclass
class Expert:
    user: User
    country: str
    school: str
    years: int

    @property
    def year_label(self) -> str:
        return year_label(self.years)


@dataclass
class CountrySection:
    code: str
    name: str
    experts: list[Expert]

    @property
    def anchor(self) -> str:
        return f"country-{self.code.lower()}"


# Only ever a year in the programme: each language writes the ordinal for
# its word for "year" (2.º año, 2e année, 2º ano).
_ORDINAL_TH = N_("%(num)sth")
_ORDINALS = {1: N_("%(num)sst"), 2: N_("%(num)snd"), 3: N_("%(num)srd")}


def ordinal(number: int) -> str:
    """2nd, 11th, 21st: in the request's language."""
    suffix = _ORDINAL_TH if 10 <= number % 100 <= 20 else _ORDINALS.get(number % 10, _ORDINAL_TH)
    return gettext(suffix, num=number)


def year_label(number: int) -> str:
    """An expert's year in the programme: "2nd year"."""
    return gettext("%(ordinal)s year", ordinal=ordinal(number))


def _accepted():
    return select(Application).where(Application.status == "submitted", Application.decision == "accepted")


def years_for(user_ids: list[int], cohort: Cohort, now: datetime) -> dict[int, int]:
    """user id -> announced cohorts up to `cohort` that accepted them."""
    rows = db.session.execute(
        select(Application.user_id, func.count(func.distinct(Application.cohort_id)))
        .join(Cohort, Cohort.id == Application.cohort_id)
        .where(Application.user_id.in_(user_ids or [-1]), Application.status == "submitted",
               Application.decision == "accepted", Cohort.announce_at <= now,
               Cohort.school_year <= cohort.school_year)
        .group_by(Application.user_id))
    return dict(rows.all())


def _matches(expert: Expert, query: str) -> bool:
    words = fold(query).split()
    names = (name for s in expert.user.subjects for name in subject_names_everywhere(s, LOCALES))
    haystack = fold(" ".join([expert.user.display_name, expert.user.username, expert.school or "",
                              *expert.user.subjects, *names]))
    return all(word in haystack for word in words)


def experts_of(cohort: Cohort, *, query: str = "", country: str | None = None,
               now: datetime | None = None) -> list[Expert]:
    """The cohort's experts (empty before the announcement), by country then name."""
    now = clock.now_or(now)
    if not cohort.is_announced(now):
        return []
    statement = _accepted().where(Application.cohort_id == cohort.id)
    if country:
        statement = statement.where(Application.country == country.upper())
    applications = list(db.session.scalars(statement.options(*with_topics(Application.user))))
    years = years_for([a.user_id for a in applications], cohort, now)
    experts = [Expert(a.user, a.country or "", a.school or "", years.get(a.user_id, 1)) for a in applications]
    if query.strip():
        experts = [e for e in experts if _matches(e, query)]
    return sorted(experts, key=lambda e: (country_name(e.country).casefold(), e.user.display_name.casefold()))


def by_country(experts: list[Expert]) -> list[CountrySection]:
    return [CountrySection(code, country_name(code) or gettext("Country not given"), list(group))
            for code, group in groupby(experts, key=lambda e: e.country)]


def public_list(cohort: Cohort, *, query: str = "", country: str | None = None,
                now: datetime | None = None) -> dict:
    """What the page and the API show of a cohort's list. Before the
    announcement time: `published` False, the time it will be published, and
    no experts (nothing about who applied or was accepted)."""
    now = clock.now_or(now)
    found = experts_of(cohort, query=query, country=country, now=now)
    return {"cohort": cohort, "school_year": cohort.school_year, "published": cohort.is_announced(now),
            "published_at": cohort.announce_at, "total": len(found), "countries": by_country(found)}


def require_announced(cohort: Cohort, now: datetime | None = None) -> None:
    if not cohort.is_announced(clock.now_or(now)):
        raise NotFound(_l("The %(year)s experts are announced on %(date)s at %(time)s.", year=cohort.school_year,
                          date=localtime(cohort.announce_at, "%d %B %Y", "UTC"),
                          time=localtime(cohort.announce_at, "%H:%M", "UTC")))


def csv_text(cohort: Cohort, experts: list[Expert], site_url: str = "") -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["school_year", "name", "username", "country", "country_name", "school", "subjects",
                     "years_in_programme", "profile"])
    for e in experts:
        writer.writerow([cohort.school_year, safe_cell(e.user.display_name), e.user.username, e.country,
                         country_name(e.country), safe_cell(e.school), ";".join(e.user.subjects), e.years,
                         f"{site_url.rstrip('/')}/u/{e.user.username}"])
    return out.getvalue()


# Badges ----------------------------------------------------------------------------------------

@dataclass
class Badge:
    cohort: Cohort
    years: int

    @property
    def label(self) -> str:
        return gettext("Expert %(year)s, %(nth_year)s", year=self.cohort.school_year, nth_year=year_label(self.years))


def badges_of(user, now: datetime | None = None) -> list[Badge]:
    """One badge per announced cohort that accepted the member, newest first."""
    now = clock.now_or(now)
    cohorts = list(db.session.scalars(
        select(Cohort).join(Application, Application.cohort_id == Cohort.id)
        .where(Application.user_id == user.id, Application.status == "submitted",
               Application.decision == "accepted", Cohort.announce_at <= now)
        .order_by(Cohort.school_year)))
    return [Badge(cohort, number) for number, cohort in enumerate(cohorts, start=1)][::-1]


def badge_for(username: str, school_year: str, now: datetime | None = None) -> tuple[User, Badge]:
    user = db.session.scalar(select(User).where(User.username == (username or "").lower()))
    badge = next((b for b in badges_of(user, now) if b.cohort.school_year == school_year), None) if user else None
    if badge is None:
        raise NotFound(N_("No such badge."))
    return user, badge


def badge_svg(user: User, badge: Badge) -> str:
    """A self-contained SVG: no scripts, no styles, no outside references."""
    title = escape(f"{user.display_name}: Staffroom {badge.label}")
    line1 = escape(gettext("Expert %(year)s", year=badge.cohort.school_year))
    line2 = escape(year_label(badge.years))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="64" viewBox="0 0 240 64" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        '<rect width="240" height="64" rx="10" fill="#1f5f8b"/>'
        '<circle cx="32" cy="32" r="20" fill="#f2c14e"/>'
        '<path d="M32 18l4 9 10 1-7.5 6.5 2.5 10-9-5.5-9 5.5 2.5-10L18 28l10-1z" fill="#1f5f8b"/>'
        '<text x="62" y="28" font-family="Helvetica, Arial, sans-serif" font-size="15" font-weight="bold" '
        f'fill="#ffffff">{line1}</text>'
        '<text x="62" y="47" font-family="Helvetica, Arial, sans-serif" font-size="13" '
        f'fill="#e8f1f8">Staffroom · {line2}</text></svg>'
    )


# Certifications (self-reported) -------------------------------------------------------------------

def certifications_of(user) -> list[Certification]:
    return list(db.session.scalars(select(Certification).where(Certification.user_id == user.id)
                                   .order_by(Certification.year.desc().nulls_last(), Certification.id)))


def add_certification(user, *, name: str, issuer: str = "", year: int | None = None,
                      url: str | None = None, now: datetime | None = None) -> Certification:
    now = clock.now_or(now)
    errors = {}
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 120:
        errors["name"] = N_("Name the certification (2 to 120 characters).")
    issuer = " ".join((issuer or "").split())
    if len(issuer) > 120:
        errors["issuer"] = N_("Use at most 120 characters.")
    if year is not None and not 1950 <= year <= now.year:
        errors["year"] = _l("A year between 1950 and %(year)s.", year=now.year)
    url = (url or "").strip() or None
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
            errors["url"] = N_("Links must start with http:// or https://.")
    if len(certifications_of(user)) >= 20:
        errors["name"] = N_("Add at most 20 certifications.")
    if errors:
        raise ValidationFailed(errors)
    item = Certification(user_id=user.id, name=name, issuer=issuer, year=year, url=url)
    db.session.add(item)
    db.session.commit()
    return item


def remove_certification(user, certification_id: int) -> None:
    item = db.session.get(Certification, certification_id)
    if item is None:
        raise NotFound(N_("No such certification."))
    if item.user_id != user.id:
        raise Forbidden(N_("Only its owner can remove a certification."))
    db.session.delete(item)
    db.session.commit()
