"""People rules: the member directory, following, and directory settings."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select, true
from sqlalchemy.orm import load_only

from app import member_cache
from app.accounts.models import User, UserAgeRange, UserSubject, with_topics
from app.exceptions import ServiceError, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.messages.services import blockers_of
from app.notifications import services as notifications
from app.people import preferences
from app.people.models import DIGESTS, Follow, PeopleSettings
from app.programmes import services as programmes
from app.programmes.models import Application, School, SchoolLeader
from app.rate_limits import allow
from app.vocabulary import AGE_RANGES, SUBJECTS, is_country, language_name

_ENGLISH_LANGUAGES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese",
    "ar": "Arabic", "az": "Azerbaijani", "hi": "Hindi", "ja": "Japanese", "sw": "Swahili",
    "zh": "Chinese", "ru": "Russian", "it": "Italian", "tr": "Turkish", "nl": "Dutch", "pl": "Polish",
}
# The languages members say they speak, each named in the reader's language (Babel).
LANGUAGES = {code: LazyString(language_name, code, english) for code, english in _ENGLISH_LANGUAGES.items()}
SORTS = {"name": _l("Name"), "newest": _l("Newest members"), "active": _l("Recently active")}

PROGRAMME_STATUSES = {"expert": _l("Expert educator (current cohort)"),
                      "showcase_leader": _l("Showcase school leader")}


# Settings ---------------------------------------------------------------------------

def settings_of(user) -> PeopleSettings:
    """The member's settings row, or unsaved defaults."""
    row = db.session.get(PeopleSettings, user.id)
    return row if row is not None else PeopleSettings(user_id=user.id, directory_visible=True, languages="",
                                                      digest="none")


def update_settings(user, *, directory_visible: bool | None = None, languages=None,
                    digest: str | None = None, notifications: dict[str, str] | None = None) -> PeopleSettings:
    """Save the settings page in one go: everything given is checked first,
    then all of it is written in one commit (or, on an error, none of it).
    `notifications` maps kinds of notification to channels (see preferences)."""
    errors = {}
    codes = None
    if languages is not None:
        codes = [code.strip().lower() for code in languages if code and code.strip()]
        unknown = [code for code in codes if code not in LANGUAGES]
        if unknown:
            errors["languages"] = _l("Unknown language: %(code)s.", code=unknown[0])
    if digest is not None and digest not in DIGESTS:
        errors["digest"] = N_("Choose none, daily or weekly.")
    if notifications:
        errors |= preferences.problems(notifications)
    if errors:
        raise ValidationFailed(errors)
    row = db.session.get(PeopleSettings, user.id)
    if row is None:
        row = PeopleSettings(user_id=user.id, directory_visible=True, languages="", digest="none")
        db.session.add(row)
    if directory_visible is not None:
        row.directory_visible = bool(directory_visible)
    if codes is not None:
        row.languages = f",{','.join(dict.fromkeys(codes))}," if codes else ""
    if digest is not None:
        row.digest = digest
    if notifications:
        preferences.stage(user, notifications)
    db.session.commit()
    return row


# The directory ------------------------------------------------------------------------

def _listed():
    """Active members who have not hidden themselves from the directory."""
    return (select(User).outerjoin(PeopleSettings, PeopleSettings.user_id == User.id)
            .where(User.suspended_at.is_(None),
                   func.coalesce(PeopleSettings.directory_visible, true()).is_(True)))


def directory_query(*, q: str | None = None, country: str | None = None, school: str | None = None,
                    subject: str | None = None, age_range: str | None = None, language: str | None = None,
                    programme: str | None = None, sort: str = "name"):
    """Every filter given narrows the list (they combine with AND)."""
    errors = {}
    if country and not is_country(country.upper()):
        errors["country"] = N_("Pick a country.")
    if subject and subject not in SUBJECTS:
        errors["subject"] = N_("Unknown subject.")
    if age_range and age_range not in AGE_RANGES:
        errors["age_range"] = N_("Unknown age range.")
    if language and language not in LANGUAGES:
        errors["language"] = N_("Unknown language.")
    if programme and programme not in PROGRAMME_STATUSES:
        errors["programme"] = N_("Unknown programme status.")
    if sort not in SORTS:
        errors["sort"] = N_("Sort by name, newest or active.")
    if errors:
        raise ValidationFailed(errors)
    statement = _listed().options(*with_topics())  # the directory shows them
    if q and q.strip():
        pattern = f"%{_like(q.strip().lower())}%"
        statement = statement.where(or_(func.lower(User.display_name).like(pattern, escape="\\"),
                                        User.username.like(pattern, escape="\\")))
    if country:
        statement = statement.where(User.country == country.upper())
    if school and school.strip():
        statement = statement.where(func.lower(User.school).like(f"%{_like(school.strip().lower())}%",
                                                                 escape="\\"))
    if subject:
        statement = statement.where(User.subject_rows.any(UserSubject.subject == subject))
    if age_range:
        statement = statement.where(User.age_range_rows.any(UserAgeRange.age_range == age_range))
    if language:
        statement = statement.where(PeopleSettings.languages.like(f"%,{language},%"))
    if programme:
        statement = statement.where(User.id.in_(_programme_members(programme)))
    order = {
        "newest": (User.created_at.desc(), User.id.desc()),
        "active": (User.last_seen_at.desc().nulls_last(), func.lower(User.display_name), User.id),
    }.get(sort, (func.lower(User.display_name), User.id))
    return statement.order_by(*order)


def _programme_members(status: str):
    """User ids with a programme status: experts of the cohort whose results
    are out now (never an unannounced one), or leaders of showcase schools."""
    if status == "expert":
        cohort = programmes.current_cohort()
        return select(Application.user_id).where(
            Application.cohort_id == (cohort.id if cohort else -1), Application.status == "submitted",
            Application.decision == "accepted")
    return (select(SchoolLeader.user_id).join(School, School.id == SchoolLeader.school_id)
            .where(School.status == "showcase"))


class TooManySuggestions(ServiceError):
    status = 429
    code = "rate_limited"


SUGGEST_MAX_QUERY = 30  # a username's length
SUGGEST_RESULTS = 6
SUGGEST_LIMIT = "60 per minute"  # per member: a few an @mention, typed


def suggest(asker, q) -> list[User]:
    """Members whose username or display name (a word of it) starts with
    `q`, for @mention pickers: listed, active, not the asker, never anyone who
    blocked the asker; usernames that match first. A few at most."""
    q = str(q or "").strip().removeprefix("@").lower()
    if not q:
        message = N_("Type at least one letter of a name.")
        raise ServiceError(message, {"q": message})
    if len(q) > SUGGEST_MAX_QUERY:
        message = _l("Use at most %(count)d characters.", count=SUGGEST_MAX_QUERY)
        raise ServiceError(message, {"q": message})
    if not allow("people_suggest", asker.id, SUGGEST_LIMIT):
        raise TooManySuggestions(N_("You are looking people up very quickly. Wait a moment and try again."))
    start = f"{_like(q)}%"
    name = func.lower(User.display_name)
    username_first = case((User.username.like(start, escape="\\"), 0), else_=1)
    statement = (_listed().where(
        User.id != asker.id, User.id.not_in(blockers_of(asker.id)),
        or_(User.username.like(start, escape="\\"), name.like(start, escape="\\"),
            name.like(f"% {start}", escape="\\")))
        .order_by(username_first, name, User.id).limit(SUGGEST_RESULTS))
    return list(db.session.scalars(statement))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_listed(user) -> bool:
    return settings_of(user).directory_visible and user.is_active


# Following --------------------------------------------------------------------------

def follow(follower, followed) -> bool:
    """Returns False when already following."""
    if follower.id == followed.id:
        raise ValidationFailed({"username": N_("You cannot follow yourself.")})
    if db.session.get(Follow, (follower.id, followed.id)) is not None:
        return False
    db.session.add(Follow(follower_id=follower.id, followed_id=followed.id))
    member_cache.forget(follower.id, member_cache.HOME)
    text = notifications.Message(N_("%(name)s follows you"), {"name": follower.display_name})
    notifications.notify(followed, "follow", text, f"/u/{follower.username}",
                         actor=follower, dedupe_key=f"follow:{follower.id}")
    db.session.commit()
    return True


def unfollow(follower, followed) -> bool:
    row = db.session.get(Follow, (follower.id, followed.id))
    if row is None:
        return False
    db.session.delete(row)
    member_cache.forget(follower.id, member_cache.HOME)
    db.session.commit()
    return True


def is_following(follower, followed) -> bool:
    if not getattr(follower, "is_authenticated", False):
        return False
    return db.session.get(Follow, (follower.id, followed.id)) is not None


def follow_counts(user) -> dict[str, int]:
    """Followers and following in one query."""
    followers = select(func.count()).where(Follow.followed_id == user.id).scalar_subquery()
    following = select(func.count()).where(Follow.follower_id == user.id).scalar_subquery()
    row = db.session.execute(select(followers, following)).one()
    return {"followers": row[0] or 0, "following": row[1] or 0}


def followed_ids_query(user):
    return select(Follow.followed_id).where(Follow.follower_id == user.id)


def following_of(user) -> list[User]:
    return list(db.session.scalars(select(User).join(Follow, Follow.followed_id == User.id)
                                   .where(Follow.follower_id == user.id).order_by(User.display_name)))


_SUGGESTION_COLUMNS = (User.id, User.username, User.stored_display_name, User.country, User.school, User.avatar_file)


def listed_by_ids(ids: list[int]) -> list:
    """Members still listed among `ids` (a kept list of suggestions)."""
    return list(db.session.scalars(_listed().options(load_only(*_SUGGESTION_COLUMNS)).where(User.id.in_(ids or [-1]))))


def suggestions(user, limit: int = 5) -> list:
    """People you might connect with: listed members who teach one of your
    subjects (or live in your country), whom you do not follow yet. One query."""
    mine = select(UserSubject.subject).where(UserSubject.user_id == user.id)
    shares = User.subject_rows.any(UserSubject.subject.in_(mine))
    statement = (_listed().options(load_only(*_SUGGESTION_COLUMNS))
                 .where(User.id != user.id, User.id.not_in(followed_ids_query(user)),
                        or_(shares, User.country == user.country))
                 .order_by(shares.desc(), User.last_seen_at.desc().nulls_last(), User.id.desc())
                 .limit(limit))
    return list(db.session.scalars(statement))
