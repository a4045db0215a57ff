"""Forum categories: the defaults, what a viewer may open, and the admins'
changes (name, description, order, who may read, start threads and reply)."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.forum import audit, rules
from app.forum.models import ACCESS_LEVELS, Category, Post, Thread
from app.i18n import N_
from app.notifications.models import Message
from app.search import jobs as search_jobs

DEFAULTS = [
    # slug, name, description, read, start, reply
    ("announcements", "Announcements", "News from the Staffroom team. Only moderators post here.",
     "everyone", "moderators", "moderators"),
    ("ask-the-community", "Ask the community",
     "Questions from your classroom and staffroom: someone has solved it before.",
     "everyone", "members", "members"),
    ("classroom-ideas", "Classroom ideas", "Lessons, activities and routines that worked (or did not).",
     "everyone", "members", "members"),
    ("tools-and-tips", "Tools and tips", "Class notebooks, meetings, accessibility tools and the rest of the kit.",
     "everyone", "members", "members"),
    ("professional-development", "Professional development",
     "Courses, coaching, certification and growing as an educator.", "everyone", "members", "members"),
    ("showcase-schools", "Showcase schools", "What showcase schools are trying, and how to join them.",
     "everyone", "members", "members"),
    ("wellbeing-and-fitness", "Wellbeing and fitness",
     "Looking after ourselves: workload, rest, running clubs. Visible to signed-in members only.",
     "members", "members", "members"),
]


def slugify(text: str, max_length: int = 60, fallback: str = "thread") -> str:
    """ASCII words joined by hyphens, for readable URLs."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback


def ensure_defaults() -> list[Category]:
    """Create the default categories that do not exist yet (by slug)."""
    existing = {c.slug for c in db.session.scalars(select(Category))}
    made = []
    for position, (slug, name, description, read, start, reply) in enumerate(DEFAULTS):
        if slug not in existing:
            category = Category(slug=slug, name=name, description=description, position=position * 10,
                                read_access=read, start_access=start, reply_access=reply)
            db.session.add(category)
            made.append(category)
    db.session.commit()
    return made


def ordered():
    return select(Category).order_by(Category.position, Category.name)


def readable(viewer) -> list[Category]:
    return [c for c in db.session.scalars(ordered()) if rules.can_read_category(c, viewer)]


def startable(viewer) -> list[Category]:
    return [c for c in readable(viewer) if rules.can_start(c, viewer)]


def by_slug(slug: str, viewer) -> Category:
    category = db.session.scalar(select(Category).where(Category.slug == (slug or "")[:60]))
    if category is None or not rules.can_read_category(category, viewer):
        raise NotFound(N_("There is no such category."))
    return category


def by_id(category_id: int, viewer) -> Category:
    category = db.session.get(Category, category_id)
    if category is None or not rules.can_read_category(category, viewer):
        raise NotFound(N_("There is no such category."))
    return category


def stats(category_ids: list[int]) -> dict[int, dict[str, int]]:
    """Published threads and posts per category, in one query."""
    if not category_ids:
        return {}
    rows = db.session.execute(
        select(Thread.category_id, func.count(Thread.id), func.coalesce(func.sum(Thread.post_count), 0))
        .where(Thread.category_id.in_(category_ids), Thread.status == "published")
        .group_by(Thread.category_id)
    ).all()
    found = {category_id: {"threads": threads, "posts": int(posts)} for category_id, threads, posts in rows}
    return {category_id: found.get(category_id, {"threads": 0, "posts": 0}) for category_id in category_ids}


# Admins -----------------------------------------------------------------------

FIELDS = ("name", "slug", "description", "position", "read_access", "start_access", "reply_access")


def _require_admin(user) -> None:
    if not (rules.signed_in(user) and user.is_admin):
        raise Forbidden(N_("Only admins manage categories."))


def _clean(fields: dict, errors: dict[str, str]) -> dict:
    clean: dict = {}
    if "name" in fields:
        name = " ".join((fields["name"] or "").split())
        if not 2 <= len(name) <= 80:
            errors["name"] = N_("Use 2 to 80 characters.")
        clean["name"] = name
    if fields.get("slug"):
        slug = slugify(fields["slug"], fallback="")
        if not slug:
            errors["slug"] = N_("Use letters, digits and hyphens.")
        clean["slug"] = slug
    if "description" in fields:
        description = (fields["description"] or "").strip()
        if len(description) > 500:
            errors["description"] = N_("Use at most 500 characters.")
        clean["description"] = description
    if "position" in fields:
        position = fields["position"]
        if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position <= 10_000:
            errors["position"] = N_("A whole number from 0 to 10000.")
        clean["position"] = position
    for name in ("read_access", "start_access", "reply_access"):
        if name in fields:
            if fields[name] not in ACCESS_LEVELS:
                errors[name] = _l("One of %(values)s.", values=", ".join(ACCESS_LEVELS))
            clean[name] = fields[name]
    return clean


def _check_slug(slug: str, category_id: int | None) -> None:
    taken = db.session.scalar(select(Category.id).where(Category.slug == slug))
    if taken is not None and taken != category_id:
        raise Conflict(N_("Another category has that address."), {"slug": N_("Another category uses this slug.")})


def create(by, **fields) -> Category:
    _require_admin(by)
    unknown = set(fields) - set(FIELDS)
    errors: dict[str, str] = {name: N_("Unknown field.") for name in unknown}
    fields.setdefault("position", 0)
    clean = _clean({"name": fields.get("name"), **fields}, errors)
    if errors:
        raise ValidationFailed(errors)
    clean.setdefault("slug", slugify(clean["name"], fallback="category"))
    _check_slug(clean["slug"], None)
    category = Category(**clean)
    db.session.add(category)
    db.session.flush()
    audit.record(by, "category.create", "category", category.id,
                 Message(N_("Created category “%(category)s”"), {"category": category.name}))
    db.session.commit()
    return category


def update(category: Category, by, **fields) -> Category:
    _require_admin(by)
    unknown = set(fields) - set(FIELDS)
    errors: dict[str, str] = {name: N_("Unknown field.") for name in unknown}
    clean = _clean(fields, errors)
    if errors:
        raise ValidationFailed(errors)
    if "slug" in clean:
        _check_slug(clean["slug"], category.id)
    read_changed = "read_access" in clean and clean["read_access"] != category.read_access
    for name, value in clean.items():
        setattr(category, name, value)
    audit.record(by, "category.update", "category", category.id,
                 Message(N_("Changed category “%(category)s”"), {"category": category.name}))
    if read_changed:
        reindex_category(category.id)
    db.session.commit()
    return category


def delete(category: Category, by) -> None:
    _require_admin(by)
    if db.session.scalar(select(func.count(Thread.id)).where(Thread.category_id == category.id)):
        raise Conflict(N_("Move or delete its threads first: only an empty category can be deleted."))
    audit.record(by, "category.delete", "category", category.id,
                 Message(N_("Deleted category “%(category)s”"), {"category": category.name}))
    db.session.delete(category)
    db.session.commit()


def reindex_category(category_id: int) -> None:
    """Who may read changed: every thread and post in it gets new access labels."""
    thread_ids = list(db.session.scalars(select(Thread.id).where(Thread.category_id == category_id)))
    post_ids = list(db.session.scalars(select(Post.id).where(Post.thread_id.in_(thread_ids or [-1]))))
    search_jobs.enqueue([f"thread:{i}" for i in thread_ids] + [f"post:{i}" for i in post_ids])
