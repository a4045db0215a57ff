"""Early-access announcements in search, for the current cohort only.

Each announcement is indexed with the access label "cohort:<id>"; the
principal provider gives that label to the experts of the current cohort
(and to programme admins), so nobody else ever gets one as a result.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.i18n import N_
from app.programmes import announcements
from app.programmes.models import Announcement
from app.search.models import Document
from app.search.registry import SearchableType, register, register_principals


def _document(item: Announcement) -> Document:
    return Document(
        key=f"announcement:{item.id}",
        type="announcement",
        id=item.id,
        title=item.title,
        body=item.body_md,
        tags=[],
        subject=None,
        country=None,
        url=f"/programmes/early-access#announcement-{item.id}",
        access=[f"cohort:{item.cohort_id}"],
        created_at=item.created_at,
        extra="Expert early access",
    )


def load(ids: list[int]):
    return {
        item.id: _document(item) for item in db.session.scalars(select(Announcement).where(Announcement.id.in_(ids)))
    }


def all_ids():
    return db.session.scalars(select(Announcement.id).order_by(Announcement.id)).all()


def count() -> int:
    return db.session.scalar(select(func.count(Announcement.id))) or 0


def cohort_principals(user) -> list[str]:
    cohort = announcements.audience_cohort(user)
    return [f"cohort:{cohort.id}"] if cohort else []


def register_searchable() -> None:
    register(SearchableType(name="announcement", label=N_("Expert announcements"), load=load, all_ids=all_ids,
                            count=count))
    register_principals(cohort_principals)
