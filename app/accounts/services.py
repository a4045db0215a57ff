"""Account rules: registration, sign-in, profiles, roles, suspension, tokens.

Used by the HTML views, the JSON API and the CLI alike; never touches the
request.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from collections.abc import Iterable
from functools import lru_cache

import argon2.profiles
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps
from sqlalchemy import func, or_, select

from app import i18n, images, member_cache, push, storage
from app.accounts import limits, recovery, sessions
from app.accounts.models import ROLES, ApiToken, User, UserAgeRange, UserSubject
from app.db_types import utcnow
from app.exceptions import AuthenticationFailed, Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.mail import outbox
from app.text import render_markdown
from app.vocabulary import AGE_RANGES, SUBJECTS, is_country, is_timezone

USERNAME_RE = re.compile(r"^[a-z0-9_]{3,30}$")
RESERVED_USERNAMES = {"admin", "api", "me", "new", "edit", "settings", "login", "logout", "staffroom", "root"}
MIN_PASSWORD = 10
MAX_PASSWORD = 128
COMMON_PASSWORDS = {
    "password123", "1234567890", "qwertyuiop", "password1234", "letmein123", "iloveyou12",
    "123456789a", "teacher123", "welcome123", "abcdefghij", "0987654321", "passw0rd12",
}
AVATAR_SIZE = 256



@lru_cache(maxsize=4)
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(argon2.profiles, profile))


def _hasher() -> PasswordHasher:
    """argon2id with the configured cost profile (tests use a cheap one)."""
    return _hasher_for(current_app.config["PASSWORD_HASH_PROFILE"])


# Passwords -------------------------------------------------------------------

def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_problem(password: str | None, username: str = "", email: str = "") -> str | None:
    """Why a password is too weak, or None."""
    if not password:
        return N_("Choose a password.")
    if len(password) < MIN_PASSWORD:
        return _l("Use at least %(count)d characters.", count=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _l("Use at most %(count)d characters.", count=MAX_PASSWORD)
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        return N_("This password is too easy to guess.")
    for part in (username, email.split("@")[0] if email else ""):
        if part and len(part) >= 3 and part.lower() in lowered:
            return N_("Don't put your username or email in your password.")
    return None


def _verify(user: User, password: str) -> bool:
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


# Registration and sign-in ----------------------------------------------------

def _clean_profile(fields: dict, errors: dict[str, str]) -> dict:
    """Validate the profile fields present in `fields`; collect problems."""
    clean: dict = {}
    if "display_name" in fields:
        name = (fields["display_name"] or "").strip()
        if not name:
            errors["display_name"] = N_("Tell us the name to show.")
        elif len(name) > 80:
            errors["display_name"] = N_("Use at most 80 characters.")
        clean["display_name"] = name
    if "country" in fields:
        code = (fields["country"] or "").strip().upper()
        if not is_country(code):
            errors["country"] = N_("Pick a country (ISO 3166 code such as GB or SA).")
        clean["country"] = code
    if "school" in fields:
        school = (fields["school"] or "").strip()
        if len(school) > 120:
            errors["school"] = N_("Use at most 120 characters.")
        clean["school"] = school or None
    if "timezone" in fields:
        zone = (fields["timezone"] or "UTC").strip()
        if not is_timezone(zone):
            errors["timezone"] = N_("Pick a time zone such as Europe/London.")
        clean["timezone"] = zone
    if "locale" in fields:
        clean["locale"] = _clean_locale(fields["locale"], errors)
    if "subjects" in fields:
        subjects = _unique(fields["subjects"] or [])
        unknown = [s for s in subjects if s not in SUBJECTS]
        if unknown:
            errors["subjects"] = _l("Unknown subject: %(code)s.", code=unknown[0])
        clean["subjects"] = subjects
    if "age_ranges" in fields:
        ranges = _unique(fields["age_ranges"] or [])
        unknown = [r for r in ranges if r not in AGE_RANGES]
        if unknown:
            errors["age_ranges"] = _l("Unknown age range: %(code)s.", code=unknown[0])
        clean["age_ranges"] = ranges
    if "bio" in fields:
        bio = fields["bio"] or ""
        if len(bio) > 2000:
            errors["bio"] = N_("Use at most 2,000 characters.")
        clean["bio"] = bio
    return clean


def _clean_locale(value: str | None, errors: dict[str, str]) -> str | None:
    """One of the site's languages, or None (follow the browser)."""
    if value is None or not str(value).strip():
        return None
    locale = i18n.normalize(value)
    if locale is None:
        errors["locale"] = _l("Choose one of these languages: %(codes)s.", codes=", ".join(i18n.LOCALES))
    return locale


def set_locale(user: User, locale: str) -> User:
    """The language the member chose in the switcher (one of LOCALES)."""
    return update_profile(user, locale=locale)


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = (value or "").strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def _apply_profile(user: User, clean: dict) -> None:
    for key in ("display_name", "country", "school", "timezone", "locale"):
        if key in clean:
            setattr(user, key, clean[key])
    if "subjects" in clean:
        user.subject_rows = [UserSubject(subject=s) for s in clean["subjects"]]
    if "age_ranges" in clean:
        user.age_range_rows = [UserAgeRange(age_range=r) for r in clean["age_ranges"]]
    if "bio" in clean:
        user.bio_md = clean["bio"]
        user.bio_html = render_markdown(clean["bio"])


def normalize_email(email: str) -> str | None:
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def register(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str,
    country: str,
    school: str | None = None,
    subjects: Iterable[str] = (),
    age_ranges: Iterable[str] = (),
    timezone: str = "UTC",
    bio: str = "",
    role: str = "member",
    email_verified: bool = False,
) -> User:
    """Create an educator's account. Raises ValidationFailed or Conflict.

    The address is to be confirmed by the mailed link, unless
    `email_verified` (accounts made by the server's operator, demo data)."""
    errors: dict[str, str] = {}
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        errors["username"] = N_("Use 3-30 letters, digits or underscores.")
    elif username in RESERVED_USERNAMES:
        errors["username"] = N_("That username is reserved.")
    normalized = normalize_email((email or "").strip())
    if normalized is None:
        errors["email"] = N_("Enter a valid email address.")
    problem = password_problem(password, username, normalized or "")
    if problem:
        errors["password"] = problem
    if role not in ROLES:
        errors["role"] = N_("Unknown role.")
    clean = _clean_profile(
        {
            "display_name": display_name, "country": country, "school": school,
            "subjects": list(subjects), "age_ranges": list(age_ranges),
            "timezone": timezone, "bio": bio,
        },
        errors,
    )
    if errors:
        raise ValidationFailed(errors)
    taken = {}
    if db.session.scalar(select(User.id).where(User.username == username)):
        taken["username"] = N_("That username is taken.")
    if db.session.scalar(select(User.id).where(User.email == normalized)):
        taken["email"] = N_("An account with this email already exists.")
    if taken:
        raise Conflict(N_("That account already exists."), taken)
    user = User(username=username, email=normalized, password_hash=hash_password(password), role=role,
                email_verified_at=utcnow() if email_verified else None)
    _apply_profile(user, clean)
    db.session.add(user)
    if not email_verified and recovery.gate_on():
        db.session.flush()  # the link names the new id
        recovery.queue_verification(user)
    db.session.commit()
    return user


def authenticate(login: str, password: str, address: str | None = None) -> User:
    """The user for a username or email and password, or AuthenticationFailed.

    Failed attempts are counted per account and per client `address`; once
    either is full the attempt is refused (TooManyAttempts) before the
    password is checked."""
    login = (login or "").strip().lower()
    user = db.session.scalar(select(User).where(or_(User.username == login, User.email == login)))
    # Username and email count as one account; an unknown login counts on
    # its own, and is refused the same way, so the limit reveals nothing.
    account_key = f"user:{user.id}" if user is not None else f"login:{login[:254]}"
    limits.check_sign_in(account_key, address)
    if user is None or not password or not _verify(user, password):
        if user is None:
            # Spend the same time as a real check so timing does not reveal accounts.
            _hasher().hash(password or "x")
        limits.record_sign_in_failure(account_key, address)
        raise AuthenticationFailed(N_("That username or password is not right."))
    if not user.is_active:
        raise Forbidden(N_("This account is suspended. Contact the moderators."))
    db.session.commit()  # keeps a rehashed password, if any
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one. Every other
    session ends and every API token is revoked: whoever else knew the old
    password is out. The session `user` was loaded with stays."""
    if not _verify(user, current or ""):
        raise ValidationFailed({"current_password": N_("That is not your current password.")})
    problem = password_problem(new, user.username, user.email)
    if problem:
        raise ValidationFailed({"new_password": problem})
    user.password_hash = hash_password(new)
    user.auth_version += 1
    sessions.end_others(user, commit=False)
    sessions.revoke_tokens(user.id)
    recovery.queue_password_changed(user)
    db.session.commit()


def get_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == (username or "").lower()))


def public_member(username: str) -> User:
    """The member whose public profile the API shows (not a suspended one)."""
    user = get_by_username(username)
    if user is None or not user.is_active:
        raise NotFound(N_("No educator with that username."))
    return user


# Profiles --------------------------------------------------------------------

PROFILE_FIELDS = ("display_name", "country", "school", "timezone", "locale", "subjects", "age_ranges", "bio")


def update_profile(user: User, **fields) -> User:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed({name: N_("Unknown field.") for name in unknown})
    errors: dict[str, str] = {}
    clean = _clean_profile(fields, errors)
    if errors:
        raise ValidationFailed(errors)
    _apply_profile(user, clean)
    member_cache.forget(user.id, member_cache.HOME)  # subjects, age ranges, country choose home panels
    db.session.commit()
    return user


def set_avatar(user: User, data: bytes) -> User:
    """Store a square, re-encoded copy of an uploaded image as the avatar."""
    image = images.open_upload(data, "avatar", current_app.config["MAX_AVATAR_MB"], (AVATAR_SIZE, AVATAR_SIZE))
    image = ImageOps.fit(image.convert("RGBA"), (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    old = user.avatar_file
    user.avatar_file = storage.save("avatars", out.getvalue(), "png")
    db.session.commit()
    storage.delete("avatars", old)
    return user


def remove_avatar(user: User) -> None:
    old = user.avatar_file
    user.avatar_file = None
    db.session.commit()
    storage.delete("avatars", old)


# Roles and suspension --------------------------------------------------------

def set_role(user: User, role: str) -> User:
    if role not in ROLES:
        raise ValidationFailed({"role": _l("Role must be one of %(roles)s.", roles=", ".join(ROLES))})
    user.role = role
    db.session.commit()
    return user


def suspend(user: User, by: User, reason: str) -> User:
    if not by.is_moderator:
        raise Forbidden(N_("Only moderators can suspend members."))
    if user.is_admin and not by.is_admin:
        raise Forbidden(N_("Only an admin can suspend an admin."))
    user.suspended_at = utcnow()
    user.suspended_reason = (reason or "").strip()[:500] or None
    user.auth_version += 1
    sessions.end_all(user.id)
    sessions.revoke_tokens(user.id)
    db.session.commit()
    # Open sockets too, in every process; each live event re-checks anyway.
    push.disconnect_user(user.id)
    return user


def unsuspend(user: User, by: User) -> User:
    if not by.is_moderator:
        raise Forbidden(N_("Only moderators can lift a suspension."))
    user.suspended_at = None
    user.suspended_reason = None
    db.session.commit()
    return user


# API tokens ------------------------------------------------------------------

def cannot_be_mailed(user_ids: set[int]) -> set[int]:
    """Those of these members mail may no longer reach: suspended or deleted
    since it was queued (the mail sender asks just before sending)."""
    users = db.session.scalars(select(User).where(User.id.in_(user_ids)))
    return {user.id for user in users if not outbox.can_receive(user)}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "api") -> tuple[str, ApiToken]:
    """A new bearer token: the secret is returned once and stored hashed."""
    token = "sr_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_digest(token), name=(name or "api")[:80])
    db.session.add(row)
    db.session.commit()
    return token, row


def token_row(token: str | None) -> ApiToken | None:
    """The live token row for a presented bearer token, or None."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    return row


def touch_token(row: ApiToken) -> None:
    """Record use at most once a minute, so reads stay reads."""
    now = utcnow()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        row.last_used_at = now
        db.session.commit()


def revoke_token(row: ApiToken) -> None:
    row.revoked_at = utcnow()
    db.session.commit()


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def list_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ))


def own_token(user: User, token_id: int) -> ApiToken | None:
    row = db.session.get(ApiToken, token_id)
    return row if row is not None and row.user_id == user.id else None
