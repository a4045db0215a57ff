"""One-click unsubscribe (RFC 8058) from notification mail.

The link carries a signed token naming the member and the kind of
notification ("all" for every kind, "digest" for the digest). Opening it
only shows a confirmation (mail scanners follow links); a POST, from that
page or from the mail client's one-click button, moves the kind to "on the
site only". The signature is the proof, so that POST needs no session or
CSRF token; a token older than MAX_AGE is refused, as is any altered one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User
from app.exceptions import ServiceError
from app.extensions import db
from app.people import preferences
from app.people import services as people

SALT = "mail-unsubscribe"
MAX_AGE = timedelta(days=90)  # mail older than a term is not a reliable proof of anything
ALL, DIGEST = "all", "digest"


class BadToken(ServiceError):
    status = 400
    code = "bad_token"


@dataclass
class Request:
    user_id: int
    kind: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind})


def read_token(token: str) -> Request:
    try:
        data = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except SignatureExpired as error:
        raise BadToken("This unsubscribe link has expired. Change your notification settings instead.") from error
    except BadSignature as error:
        raise BadToken("This unsubscribe link is not valid. Change your notification settings instead.") from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        raise BadToken("This unsubscribe link is not valid. Change your notification settings instead.")
    return Request(data["u"], data["k"])


@dataclass
class Choice:
    user: object
    kind: str
    label: str  # what the member stops getting by mail


def _choice(token: str) -> Choice:
    wanted = read_token(token)
    user = db.session.get(User, wanted.user_id)
    if user is None or (wanted.kind not in preferences.KINDS and wanted.kind not in (ALL, DIGEST)):
        raise BadToken("This unsubscribe link is not valid. Change your notification settings instead.")
    labels = {ALL: "all notification mail", DIGEST: "the email digest"}
    return Choice(user, wanted.kind, labels.get(wanted.kind) or f"mail for: {preferences.KINDS[wanted.kind].lower()}")


def describe(token: str) -> Choice:
    return _choice(token)


def apply(token: str) -> Choice:
    """Stop that mail: the kind (or every kind) stays on the site only; the digest stops."""
    choice = _choice(token)
    if choice.kind == DIGEST:
        people.update_settings(choice.user, digest="none")
        return choice
    kinds = list(preferences.KINDS) if choice.kind == ALL else [choice.kind]
    current = preferences.preferences_of(choice.user)
    # "Not at all" stays as it is: unsubscribing from mail never turns the site's notice back on.
    preferences.set_preferences(choice.user, {kind: "web" for kind in kinds if current.get(kind) == "email"})
    return choice
