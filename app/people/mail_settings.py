"""What an unsubscribe link stops (app/mail/unsubscribe.py asks): one kind
of notification mail, all of it, or the email digest.

Unsubscribing moves a kind from "on the site and by email" to "on the site
only"; "not at all" stays as it is, so unsubscribing from mail never turns
the site's notice back on. The digest simply stops.
"""

from __future__ import annotations

from flask_babel import gettext

from app.accounts.models import User
from app.extensions import db
from app.i18n import N_, translate
from app.mail.unsubscribe import ALL, DIGEST, Choice, MailSettings
from app.people import preferences
from app.people import services as people

LABELS = {ALL: N_("all notification mail"), DIGEST: N_("the email digest")}


def offers(kind: str) -> bool:
    """The settings page lists this kind, so a link may stop it alone."""
    return kind in preferences.KINDS


def describe(user_id: int, kind: str) -> Choice | None:
    user = db.session.get(User, user_id)
    if user is None or (kind not in preferences.KINDS and kind not in LABELS):
        return None
    if kind in LABELS:
        return Choice(user, kind, translate(LABELS[kind]))
    return Choice(user, kind, gettext("mail for: %(what)s", what=translate(preferences.KINDS[kind]).lower()))


def stop(choice: Choice) -> None:
    if choice.kind == DIGEST:
        people.update_settings(choice.user, digest="none")
        return
    kinds = list(preferences.KINDS) if choice.kind == ALL else [choice.kind]
    current = preferences.preferences_of(choice.user)
    preferences.set_preferences(choice.user, {kind: "web" for kind in kinds if current.get(kind) == "email"})


SETTINGS = MailSettings(offers=offers, describe=describe, stop=stop)
