"""The notification settings a member chooses: how they hear of each kind
of notification, on the site and by email (the default), on the site only,
or not at all.

The choices are stored as `notifications.models.NotificationPreference`
rows: `notifications.services.notify()` asks `preference_for()` before it
stores a notification; `notifications.mail` mails only the kinds left at "email".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.exceptions import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.notifications.models import CHANNELS, DEFAULT_CHANNEL, NotificationPreference

DEFAULT = DEFAULT_CHANNEL

# The kinds the settings page offers, with what they mean to a member.
KINDS: dict[str, str] = {
    "forum.answer": _l("Answers to your questions"),
    "forum.mention": _l("Someone mentions you in a discussion"),
    "forum.reply": _l("Replies to your posts"),
    "forum.watching": _l("New posts in threads you watch"),
    "forum.category": _l("New threads in categories you watch"),
    "forum.accepted": _l("Your answer is accepted"),
    "event_reminder": _l("Reminders of events you are going to"),
    "event_mention": _l("Mentions in event rooms"),
    "event_waitlist_promoted": _l("You got a place from an event's waiting list"),
    "event_changed": _l("Changes to events you are going to"),
    "event_cancelled": _l("Events you are going to are cancelled"),
    "event_host": _l("You are made a host of an event"),
    "group_request": _l("Requests to join groups you run"),
    "group_approved": _l("Your request to join a group is approved"),
    "group_owner": _l("You become a group's owner"),
    "kudos": _l("Kudos on your activities"),
    "activity_comment": _l("Comments on your activities"),
    "follow": _l("Someone follows you"),
    "collection_editor": _l("You are invited to edit a collection"),
    "collab_offer": _l("Offers of help with your collaboration requests"),
    "programme_result": _l("Results of your programme applications"),
    # Never a notification on the site (messages have their own badge): the
    # choice is whether unread messages are mailed after ten minutes.
    "message": _l("Private messages you have not read for ten minutes"),
}
CHANNEL_LABELS = {"email": _l("On the site and by email"), "web": _l("On the site only"), "none": _l("Not at all")}


def preferences_of(user) -> dict[str, str]:
    rows = db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    chosen = {row.kind: row.channel for row in rows}
    return {kind: chosen.get(kind, DEFAULT) for kind in KINDS} | chosen


def problems(choices: dict[str, str]) -> dict[str, str]:
    """What is wrong with these choices, by kind (empty when they can be saved)."""
    errors = {}
    for kind, channel in choices.items():
        if kind not in KINDS:
            errors[kind] = N_("Unknown kind of notification.")
        elif channel not in CHANNELS:
            errors[kind] = N_("Choose web, email or none.")
    return errors


def stage(user, choices: dict[str, str]) -> None:
    """Write checked choices into the session; the caller commits (with its own changes)."""
    for kind, channel in choices.items():
        row = db.session.get(NotificationPreference, (user.id, kind))
        if channel == DEFAULT:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, channel=channel))
        else:
            row.channel = channel


def set_preferences(user, choices: dict[str, str]) -> dict[str, str]:
    """Save several kinds at once; unknown kinds or channels are refused."""
    errors = problems(choices)
    if errors:
        raise ValidationFailed(errors)
    stage(user, choices)
    db.session.commit()
    return preferences_of(user)
