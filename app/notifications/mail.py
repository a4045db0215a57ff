"""Notification mail, batched: one mail per member per round, not one per
notification.

A notification a member takes by email is not mailed when it is made. Each
round of the sender loop looks for members whose unread, unmailed
notifications include one older than its kind's delay (NOTIFY_MAIL_DELAY_
SECONDS; event reminders at once) and queues ONE mail listing all of them,
then marks them emailed. So fifty replies in a busy thread within the delay
become one mail, and a notification read on the site in the meantime is
never mailed. Unread private messages are mailed the same way once the
oldest has waited MESSAGE_MAIL_DELAY_SECONDS unread.

Marking is a conditional UPDATE ("still unmailed"), committed with the
mail: two sender loops never both mail a member the same notifications.
`queue_due` runs at the start of each round of the mail sender
(app/notifications/__init__.py adds it there).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext, ngettext
from sqlalchemy import and_, exists, func, select, update

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.i18n import for_member
from app.mail import outbox, unsubscribe
from app.messages.models import Conversation, ConversationMember, Message
from app.notifications.models import MAILED_AT_ONCE, Notification, NotificationPreference

LOOKBACK = timedelta(days=1)  # older unmailed ones are the digest's business
LISTED = 30  # a mail lists this many; "and N more" links to the rest
MESSAGE_KIND = "message"
# "3 new replies on Staffroom": each kind's plural forms, chosen with ngettext in the reader's language.
NOUNS = {
    "forum.answer": lambda n: ngettext("%(num)s new answer", "%(num)s new answers", n),
    "forum.reply": lambda n: ngettext("%(num)s new reply", "%(num)s new replies", n),
    "forum.watching": lambda n: ngettext("%(num)s new reply", "%(num)s new replies", n),
    "forum.mention": lambda n: ngettext("%(num)s new mention", "%(num)s new mentions", n),
    "event_mention": lambda n: ngettext("%(num)s new mention", "%(num)s new mentions", n),
    "forum.category": lambda n: ngettext("%(num)s new thread", "%(num)s new threads", n),
    "forum.accepted": lambda n: ngettext("%(num)s new accepted answer", "%(num)s new accepted answers", n),
    "event_reminder": lambda n: ngettext("%(num)s new event reminder", "%(num)s new event reminders", n),
    "event_changed": lambda n: ngettext("%(num)s new event change", "%(num)s new event changes", n),
    "kudos": lambda n: ngettext("%(num)s new kudos", "%(num)s new kudos", n),
    "activity_comment": lambda n: ngettext("%(num)s new comment", "%(num)s new comments", n),
    "follow": lambda n: ngettext("%(num)s new follower", "%(num)s new followers", n),
    "collab_offer": lambda n: ngettext("%(num)s new offer of help", "%(num)s new offers of help", n),
    "group_request": lambda n: ngettext("%(num)s new request to join", "%(num)s new requests to join", n),
    "collection_editor": lambda n: ngettext("%(num)s new invitation to edit collections",
                                            "%(num)s new invitations to edit collections", n),
}
_QUOTED = re.compile(r"“([^”]+)”")


def queue_due(now: datetime | None = None) -> int:
    """Queue the mails that are due; returns how many members were mailed."""
    now = now or utcnow()
    return _notifications(now) + _messages(now)


def _wants_mail(user_id, kind):
    """No preference row means the default, which is email."""
    return ~exists().where(NotificationPreference.user_id == user_id, NotificationPreference.kind == kind,
                           NotificationPreference.channel != "email")


# Notifications ------------------------------------------------------------------

def _notifications(now: datetime) -> int:
    delay = timedelta(seconds=current_app.config["NOTIFY_MAIL_DELAY_SECONDS"])
    pending = db.session.execute(
        select(Notification.id, Notification.user_id, Notification.kind, Notification.created_at)
        .join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None), Notification.read_at.is_(None),
               Notification.created_at > now - LOOKBACK, User.suspended_at.is_(None),
               _wants_mail(Notification.user_id, Notification.kind))
        .order_by(Notification.user_id, Notification.created_at)).all()
    by_user = defaultdict(list)
    for row in pending:
        by_user[row.user_id].append(row)
    mailed = 0
    for user_id, rows in by_user.items():
        if any(row.kind in MAILED_AT_ONCE or row.created_at <= now - delay for row in rows):
            mailed += _mail_notifications(user_id, [row.id for row in rows], now)
    return mailed


def _mail_notifications(user_id: int, ids: list[int], now: datetime) -> int:
    claimed = db.session.execute(update(Notification).where(
        Notification.id.in_(ids), Notification.emailed_at.is_(None), Notification.read_at.is_(None))
        .values(emailed_at=now)).rowcount
    if claimed != len(ids):  # another sender, or the member reading: next round decides afresh
        db.session.rollback()
        return 0
    user = db.session.get(User, user_id)
    items = list(db.session.scalars(select(Notification).where(Notification.id.in_(ids))
                                    .order_by(Notification.created_at.desc())))
    kinds = {item.kind for item in items}
    kind = kinds.pop() if len(kinds) == 1 else None
    with for_member(user):  # the texts and the subject in the reader's language
        subject = subject_for(items)
        listed = [{"text": item.text, "link": outbox.link_to(item.url)} for item in items[:LISTED]]
    outbox.queue(user, "notifications", subject, {"items": listed, "more": max(0, len(items) - LISTED)},
                 kind="notification", unsubscribe_kind=unsubscribe.link_kind(kind))
    db.session.commit()
    return 1


def subject_for(items: list[Notification]) -> str:
    """"Amira replied ...", or "3 new replies in “Fractions with pizza” on
    Staffroom", in the current language (the caller sets the reader's)."""
    if len(items) == 1:
        return items[0].text
    kinds = {item.kind for item in items}
    count = len(items)
    plural = NOUNS.get(kinds.pop()) if len(kinds) == 1 else None
    what = plural(count) if plural else ngettext("%(num)s new notification", "%(num)s new notifications", count)
    titles = [_title_of(item) for item in items]
    if len(set(titles)) == 1 and titles[0]:
        return gettext("%(what)s in “%(title)s” on Staffroom", what=what, title=titles[0])
    return gettext("%(what)s on Staffroom", what=what)


def _title_of(item: Notification) -> str | None:
    """What the notification is about: its message's "title" value, or the
    “quoted” title of an English text."""
    message = item.message
    if message is not None:
        return message.params.get("title")
    match = _QUOTED.search(item.stored_text)
    return match.group(1) if match else None


# Private messages ----------------------------------------------------------------

def _messages(now: datetime) -> int:
    delay = timedelta(seconds=current_app.config["MESSAGE_MAIL_DELAY_SECONDS"])
    seen = func.max(ConversationMember.last_read_id, ConversationMember.mailed_id) \
        if db.engine.dialect.name == "sqlite" else func.greatest(ConversationMember.last_read_id,
                                                                 ConversationMember.mailed_id)
    # The oldest message the member has neither read nor been mailed about, per conversation.
    oldest = (select(func.min(Message.created_at)).where(
        Message.conversation_id == ConversationMember.conversation_id, Message.id > seen,
        Message.sender_id != ConversationMember.user_id, Message.deleted_at.is_(None))
        .correlate(ConversationMember).scalar_subquery())
    due = db.session.execute(
        select(ConversationMember.user_id, ConversationMember.conversation_id, Conversation.last_message_id,
               ConversationMember.mailed_id)
        .join(Conversation, Conversation.id == ConversationMember.conversation_id)
        .join(User, User.id == ConversationMember.user_id)
        .where(Conversation.last_message_id > ConversationMember.last_read_id,
               Conversation.last_message_id > ConversationMember.mailed_id,
               Conversation.last_message_at > now - LOOKBACK, User.suspended_at.is_(None),
               _wants_mail(ConversationMember.user_id, MESSAGE_KIND),
               and_(oldest.is_not(None), oldest <= now - delay))).all()
    by_user = defaultdict(list)
    for row in due:
        by_user[row.user_id].append(row)
    return sum(_mail_messages(user_id, rows) for user_id, rows in by_user.items())


def _mail_messages(user_id: int, rows) -> int:
    items = []
    for row in rows:
        claimed = db.session.execute(update(ConversationMember).where(
            ConversationMember.conversation_id == row.conversation_id, ConversationMember.user_id == user_id,
            ConversationMember.mailed_id == row.mailed_id).values(mailed_id=row.last_message_id)).rowcount
        if not claimed:
            continue
        member = db.session.get(ConversationMember, (row.conversation_id, user_id))
        unread = list(db.session.scalars(select(Message).where(
            Message.conversation_id == row.conversation_id,
            Message.id > max(member.last_read_id, row.mailed_id), Message.id <= row.last_message_id,
            Message.sender_id != user_id, Message.deleted_at.is_(None)).order_by(Message.id)))
        if not unread:
            continue
        names = sorted({message.sender.display_name for message in unread if message.sender})
        items.append({"unread": len(unread), "names": names, "preview": unread[-1].body[:140],
                      "link": outbox.absolute_url("messages.conversation", conversation_id=row.conversation_id)})
    if not items:
        db.session.commit()
        return 0
    user = db.session.get(User, user_id)
    total = sum(item["unread"] for item in items)
    with for_member(user):
        subject = ngettext("%(num)s unread private message on Staffroom",
                           "%(num)s unread private messages on Staffroom", total)
        for item in items:
            item["summary"] = _summary(item)
    outbox.queue(user, "messages", subject, {"items": items}, kind="notification", unsubscribe_kind=MESSAGE_KIND)
    db.session.commit()
    return 1


def _summary(item: dict) -> str:
    """"2 messages from Amira, Ben" in the current language."""
    names = ", ".join(item["names"]) or gettext("a former member")
    return ngettext("%(num)s message from %(names)s", "%(num)s messages from %(names)s", item["unread"], names=names)
