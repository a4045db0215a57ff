"""Signed links for account mail: confirm an address, reset a password,
confirm a new address.

A token is signed with SECRET_KEY under a salt per purpose and names one
member and a fingerprint of the state it may change. The fingerprint is what
makes a link single use: a reset link carries a hash of the current password
hash, so it dies once the password changes (by this link or any other way);
a verification link carries the address it confirms and "not yet verified";
an email-change link carries the pending address. Nothing is stored.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User
from app.exceptions import ServiceError
from app.extensions import db
from app.i18n import N_

VERIFY, RESET, EMAIL_CHANGE = "verify-email", "password-reset", "email-change"
LIFETIMES = {VERIFY: timedelta(hours=48), RESET: timedelta(hours=1), EMAIL_CHANGE: timedelta(hours=48)}


INVALID = N_("This link is not valid. Check that you copied all of it, or ask for a new one.")
USED = N_("This link has already been used, or a newer one replaced it.")


class LinkProblem(ServiceError):
    status = 400

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"staffroom.{purpose}")


def _fingerprint(user: User, purpose: str) -> str:
    if purpose == RESET:
        state = f"password:{user.password_hash}"
    elif purpose == VERIFY:
        state = f"verify:{user.email}:{'done' if user.email_verified_at else 'pending'}"
    else:
        state = f"change:{user.pending_email or ''}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def make(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user, purpose)})


def make_for_nobody(purpose: str) -> str:
    """A token of the same size and cost as a real one, for no account (so
    a reset asked for an unknown address takes the same time)."""
    return _serializer(purpose).dumps({"u": 0, "f": hashlib.sha256(b"nobody").hexdigest()[:32]})


def check(token: str | None, purpose: str) -> User:
    """The member a token is for, or LinkProblem saying why not."""
    seconds = int(LIFETIMES[purpose].total_seconds())
    try:
        data = _serializer(purpose).loads(token or "", max_age=seconds)
    except SignatureExpired:
        raise LinkProblem(N_("This link has expired. Ask for a new one."), "token_expired") from None
    except BadSignature:
        raise LinkProblem(INVALID, "token_invalid") from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user.is_active:
        raise LinkProblem(INVALID, "token_invalid")
    if data.get("f") != _fingerprint(user, purpose):
        raise LinkProblem(USED, "token_used")
    return user
