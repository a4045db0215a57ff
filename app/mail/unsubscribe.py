"""One-click unsubscribe (RFC 8058) from notification mail.

The link carries a signed token naming the member and the kind of
notification ("all" for every kind, "digest" for the digest). Opening it
only shows a confirmation (mail scanners follow links); a POST, from that
page or from the mail client's one-click button, stops that mail. The
signature is the proof, so that POST needs no session or CSRF token; a
token older than MAX_AGE is refused, as is any altered one.

What a link can stop, and stopping it, belong to the feature that keeps
members' mail settings (app/people/mail_settings.py), which registers them
here with `use_settings()`: mail sits below the features and imports none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.exceptions import ServiceError
from app.i18n import N_

SALT = "mail-unsubscribe"
MAX_AGE = timedelta(days=90)  # mail older than a term is not a reliable proof of anything
ALL, DIGEST = "all", "digest"
NOT_VALID = N_("This unsubscribe link is not valid. Change your notification settings instead.")
EXPIRED = N_("This unsubscribe link has expired. Change your notification settings instead.")


class BadToken(ServiceError):
    status = 400
    code = "bad_token"


@dataclass
class Request:
    user_id: int
    kind: str


@dataclass
class Choice:
    user: object
    kind: str
    label: str  # what the member stops getting by mail


@dataclass(frozen=True)
class MailSettings:
    """How the members' mail settings answer an unsubscribe link."""

    offers: Callable[[str], bool]  # may a link name this kind on its own (else it says ALL)
    describe: Callable[[int, str], Choice | None]  # (user id, kind) -> what it stops; None: no such member or kind
    stop: Callable[[Choice], None]


EXTENSION = "mail_settings"


def use_settings(app: Flask, settings: MailSettings) -> None:
    app.extensions[EXTENSION] = settings


def _settings() -> MailSettings | None:
    return current_app.extensions.get(EXTENSION)


def link_kind(kind: str | None) -> str:
    """The kind an unsubscribe link names: `kind` when it can be stopped on its own, else ALL."""
    settings = _settings()
    return kind if kind is not None and settings is not None and settings.offers(kind) else ALL


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind})


def read_token(token: str) -> Request:
    try:
        data = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except SignatureExpired as error:
        raise BadToken(EXPIRED) from error
    except BadSignature as error:
        raise BadToken(NOT_VALID) from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        raise BadToken(NOT_VALID)
    return Request(data["u"], data["k"])


def _choice(token: str) -> Choice:
    wanted = read_token(token)
    settings = _settings()
    choice = settings.describe(wanted.user_id, wanted.kind) if settings is not None else None
    if choice is None:
        raise BadToken(NOT_VALID)
    return choice


def describe(token: str) -> Choice:
    return _choice(token)


def apply(token: str) -> Choice:
    """Stop that mail (what that means is the settings' business)."""
    choice = _choice(token)
    _settings().stop(choice)
    return choice
