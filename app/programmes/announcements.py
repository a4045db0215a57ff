"""Early access: news and product previews for the current cohort's experts.

Only the experts of the current cohort (the latest one announced) and
programme admins see the announcements area, in pages, the API and search.
In the index an announcement carries the label "cohort:<id>", which the
principal provider in `searchable.py` gives to that cohort's experts only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.exceptions import Forbidden, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.programmes import clock
from app.programmes import services as cohorts
from app.programmes.models import Announcement, Cohort
from app.text import render_markdown


def audience_cohort(user, now: datetime | None = None) -> Cohort | None:
    """The cohort whose announcements `user` may read, or None."""
    now = clock.now_or(now)
    if user and getattr(user, "is_authenticated", False) and user.is_admin:
        return cohorts.current_cohort(now)
    return cohorts.is_current_expert(user, now)


def require_access(user, now: datetime | None = None) -> Cohort:
    cohort = audience_cohort(user, now)
    if cohort is None:
        raise Forbidden(N_("The early access area is for the experts of the current cohort."))
    return cohort


def for_cohort(cohort: Cohort) -> list[Announcement]:
    return list(db.session.scalars(select(Announcement).where(Announcement.cohort_id == cohort.id)
                                   .order_by(Announcement.created_at.desc(), Announcement.id.desc())))


def post(by, *, title: str, body: str, now: datetime | None = None) -> Announcement:
    cohorts.require_admin(by)
    cohort = cohorts.current_cohort(clock.now_or(now))
    errors = {}
    title = " ".join((title or "").split())
    if not 3 <= len(title) <= 200:
        errors["title"] = N_("Give a title of 3 to 200 characters.")
    if len(body or "") > 20_000:
        errors["body"] = N_("Use at most 20,000 characters.")
    if cohort is None:
        errors["title"] = N_("No cohort has been announced yet: there are no experts to tell.")
    if errors:
        raise ValidationFailed(errors)
    item = Announcement(cohort_id=cohort.id, author_id=by.id, title=title, body_md=body or "",
                        body_html=render_markdown(body or ""))
    db.session.add(item)
    db.session.commit()
    return item
