"""Private-message rules, for pages, the API and tests alike.

Only members of a conversation ever get its messages: every read goes
through `get_conversation()` / `messages_of()`, which answer NotFound (not
Forbidden) to anyone else, so an outsider cannot even learn that an id
exists. Messages are never put in the search index.
"""

from __future__ import annotations

from flask_babel import format_number, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from app import member_cache
from app.accounts.gate import require_verified
from app.accounts.models import DELETED_NAME, User
from app.db_types import utcnow
from app.exceptions import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.messages.models import Block, Conversation, ConversationMember, Message, MessageReport
from app.push import push_to_user
from app.rate_limits import allow

MAX_PEOPLE = 10  # in a conversation, the sender included
MAX_BODY = 5000
PAGE = 50
UNREAD_PANEL, UNREAD_SECONDS = "unread_messages", 30  # the header's count (app/member_cache.py)
SEND_LIMIT = "30/minute"  # per member, across conversations: stops floods, not chats


class TooManyMessages(ServiceError):
    status = 429
    code = "rate_limited"


# Blocks ------------------------------------------------------------------------

def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.get(Block, (blocker_id, blocked_id)) is not None


def block(user: User, other: User) -> bool:
    """`other` can no longer message `user`. Returns False if already blocked."""
    if other.id == user.id:
        raise ValidationFailed({"username": N_("You cannot block yourself.")})
    if has_blocked(user.id, other.id):
        return False
    db.session.add(Block(blocker_id=user.id, blocked_id=other.id))
    db.session.commit()
    return True


def unblock(user: User, other: User) -> bool:
    row = db.session.get(Block, (user.id, other.id))
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def blocked_among(user: User, ids: list[int]) -> set[int]:
    """Which of these members `user` has blocked (one query)."""
    return set(db.session.scalars(select(Block.blocked_id).where(
        Block.blocker_id == user.id, Block.blocked_id.in_(ids or [-1]))))


def blocked_by(user_id: int):
    """A subquery of the members `user_id` has blocked, for `.not_in(...)`."""
    return select(Block.blocked_id).where(Block.blocker_id == user_id)


def blockers_of(user_id: int):
    """A subquery of the members who have blocked `user_id`."""
    return select(Block.blocker_id).where(Block.blocked_id == user_id)


def blocked_users(user: User) -> list[Block]:
    return list(db.session.scalars(select(Block).where(Block.blocker_id == user.id)
                                   .order_by(Block.created_at.desc())))


def _check_can_message(sender: User, recipients: list[User]) -> None:
    """A suspended sender, a suspended recipient or a block stops the message."""
    if not sender.is_active:
        raise Forbidden(N_("Your account is suspended, so you cannot send messages."))
    ids = [user.id for user in recipients]
    blockers = set(db.session.scalars(select(Block.blocker_id).where(
        Block.blocked_id == sender.id, Block.blocker_id.in_(ids or [-1]))))
    for user in recipients:
        if user.id in blockers:
            raise Forbidden(_l("%(name)s does not accept messages from you.", name=user.display_name))
        if not user.is_active:
            raise Forbidden(_l("%(name)s's account is suspended: they cannot receive messages.",
                               name=user.display_name))


# Conversations ------------------------------------------------------------------

def _clean_body(body) -> str:
    body = (body or "").strip() if isinstance(body, str) else ""
    if not body:
        raise ValidationFailed({"body": N_("Write a message.")})
    if len(body) > MAX_BODY:
        raise ValidationFailed({"body": _l("Use at most %(num)s characters.", num=format_number(MAX_BODY))})
    return body


def _recipients(sender: User, usernames) -> list[User]:
    if isinstance(usernames, str):
        usernames = usernames.replace(",", " ").split()
    names = []
    for name in usernames or []:
        name = str(name).strip().lstrip("@").lower()
        if name and name not in names and name != sender.username:
            names.append(name)
    if not names:
        raise ValidationFailed({"to": N_("Name at least one other member.")})
    if len(names) > MAX_PEOPLE - 1:
        raise ValidationFailed({"to": _l("A conversation can have up to %(num)s people.", num=MAX_PEOPLE)})
    users = list(db.session.scalars(select(User).where(User.username.in_(names))))
    found = {user.username for user in users}
    missing = [name for name in names if name not in found]
    if missing:
        raise ValidationFailed({"to": _l("No member is called %(name)s.", name=missing[0])})
    return users


def _existing_pair(a: User, b: User) -> Conversation | None:
    mine = select(ConversationMember.conversation_id).where(ConversationMember.user_id == a.id)
    return db.session.scalar(
        select(Conversation).join(ConversationMember)
        .where(Conversation.is_group.is_(False), ConversationMember.user_id == b.id,
               Conversation.id.in_(mine)).limit(1))


def start_conversation(sender: User, to, body: str) -> tuple[Conversation, Message]:
    """Write to one member (reusing a pair's conversation) or a small group."""
    require_verified(sender)
    body = _clean_body(body)
    recipients = _recipients(sender, to)
    _check_can_message(sender, recipients)
    conversation = _existing_pair(sender, recipients[0]) if len(recipients) == 1 else None
    if conversation is None:
        conversation = Conversation(created_by_id=sender.id, is_group=len(recipients) > 1)
        conversation.members = [ConversationMember(user_id=user.id) for user in [sender, *recipients]]
        db.session.add(conversation)
        db.session.flush()
    return conversation, _add_message(conversation, sender, body)


def send(conversation: Conversation, sender: User, body: str) -> Message:
    """Add a message to a conversation `sender` belongs to."""
    require_verified(sender)
    body = _clean_body(body)
    if not is_member(conversation, sender):
        raise NotFound(N_("There is no such conversation."))
    others = [member.user for member in conversation.members if member.user_id != sender.id]
    _check_can_message(sender, others)
    return _add_message(conversation, sender, body)


def _add_message(conversation: Conversation, sender: User, body: str) -> Message:
    if not allow("pm-send", sender.id, SEND_LIMIT):
        raise TooManyMessages(N_("You are sending messages very fast. Please wait a moment."))
    message = Message(conversation_id=conversation.id, sender_id=sender.id, body=body)
    db.session.add(message)
    db.session.flush()
    conversation.last_message_at = message.created_at
    conversation.last_message_id = message.id
    # The sender has read their own message.
    db.session.execute(update(ConversationMember).where(
        ConversationMember.conversation_id == conversation.id, ConversationMember.user_id == sender.id)
        .values(last_read_id=message.id))
    member_ids = [member.user_id for member in conversation.members]
    member_cache.forget(member_ids, UNREAD_PANEL)
    db.session.commit()
    _push(message, member_ids)
    return message


def _push(message: Message, member_ids: list[int]) -> None:
    """Each member's open pages hear of the message, with their new unread total."""
    data = as_dict(message)
    for user_id in member_ids:
        push_to_user(user_id, "pm", {"message": data, "conversation_id": message.conversation_id,
                                     "unread": unread_total_for(user_id)})


def is_member(conversation: Conversation, user) -> bool:
    return bool(user and getattr(user, "id", None)) and any(
        member.user_id == user.id for member in conversation.members)


def get_conversation(conversation_id: int, user) -> Conversation:
    """The conversation if `user` is in it; NotFound for everyone else."""
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not is_member(conversation, user):
        raise NotFound(N_("There is no such conversation."))
    return conversation


def messages_of(conversation: Conversation, user, before_id: int | None = None,
                limit: int = PAGE) -> list[Message]:
    """The latest messages (or those before `before_id`), oldest first."""
    if not is_member(conversation, user):
        raise NotFound(N_("There is no such conversation."))
    statement = select(Message).where(Message.conversation_id == conversation.id)
    if before_id:
        statement = statement.where(Message.id < before_id)
    rows = list(db.session.scalars(statement.order_by(Message.id.desc()).limit(limit)))
    return rows[::-1]


def get_message(message_id: int, user) -> Message:
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound(N_("There is no such message."))
    get_conversation(message.conversation_id, user)
    return message


def mark_read(conversation: Conversation, user: User) -> int:
    """Everything in the conversation is read; tells the member's other tabs.
    Returns the member's unread total afterwards."""
    if not is_member(conversation, user):
        raise NotFound(N_("There is no such conversation."))
    newest = conversation.last_message_id or 0
    db.session.execute(update(ConversationMember).where(
        ConversationMember.conversation_id == conversation.id, ConversationMember.user_id == user.id,
        ConversationMember.last_read_id < newest).values(last_read_id=newest))
    member_cache.forget(user.id, UNREAD_PANEL)
    db.session.commit()
    total = unread_total_for(user.id)
    push_to_user(user.id, "pm", {"conversation_id": conversation.id, "read": True, "unread": total})
    return total


# Unread counts -------------------------------------------------------------------

def _unread_condition(user_id: int):
    return and_(Message.conversation_id == ConversationMember.conversation_id,
                Message.id > ConversationMember.last_read_id,
                or_(Message.sender_id.is_(None), Message.sender_id != user_id))


def unread_total_for(user_id: int) -> int:
    """One COUNT: messages from others after each of the member's read marks."""
    return db.session.scalar(
        select(func.count(Message.id)).select_from(ConversationMember)
        .join(Message, _unread_condition(user_id))
        .where(ConversationMember.user_id == user_id)) or 0


def unread_badge_count(user_id: int) -> int:
    """The header's count: kept UNREAD_SECONDS, dropped by a message in one
    of the member's conversations or by their reading one."""
    return member_cache.remember(UNREAD_PANEL, user_id, UNREAD_SECONDS, lambda: unread_total_for(user_id))


def unread_by_conversation(user_id: int, conversation_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(ConversationMember.conversation_id, func.count(Message.id)).select_from(ConversationMember)
        .join(Message, _unread_condition(user_id))
        .where(ConversationMember.user_id == user_id,
               ConversationMember.conversation_id.in_(conversation_ids or [-1]))
        .group_by(ConversationMember.conversation_id))
    return {conversation_id: count for conversation_id, count in rows}


def conversations_query(user: User):
    """The member's conversations, latest activity first, members loaded."""
    mine = select(ConversationMember.conversation_id).where(ConversationMember.user_id == user.id)
    return (select(Conversation).where(Conversation.id.in_(mine))
            .options(selectinload(Conversation.members))
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc()))


def last_messages(conversation_ids: list[int]) -> dict[int, Message]:
    ids = select(Conversation.last_message_id).where(Conversation.id.in_(conversation_ids or [-1]))
    return {m.conversation_id: m for m in db.session.scalars(select(Message).where(Message.id.in_(ids)))}


# Reports --------------------------------------------------------------------------

def report(message: Message, reporter: User, reason: str = "") -> MessageReport:
    """Show a message of one's own conversation to the moderators."""
    get_conversation(message.conversation_id, reporter)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationFailed({"reason": _l("Use at most %(num)s characters.", num=format_number(500))})
    if message.sender_id == reporter.id:
        raise ValidationFailed({"message": N_("You cannot report your own message.")})
    if db.session.scalar(select(MessageReport.id).where(MessageReport.message_id == message.id,
                                                        MessageReport.reporter_id == reporter.id)):
        raise Conflict(N_("You have already reported this message."))
    row = MessageReport(message_id=message.id, reporter_id=reporter.id, reason=reason)
    db.session.add(row)
    db.session.commit()
    return row


def open_reports(moderator: User) -> list[MessageReport]:
    """Moderators see the reported message only, never the rest of the conversation."""
    if not moderator.is_moderator:
        raise Forbidden(N_("Only moderators can see reported messages."))
    return list(db.session.scalars(select(MessageReport).where(MessageReport.resolved_at.is_(None))
                                   .order_by(MessageReport.created_at)))


def resolve_report(report_id: int, moderator: User) -> MessageReport:
    if not moderator.is_moderator:
        raise Forbidden(N_("Only moderators can resolve reports."))
    row = db.session.get(MessageReport, report_id)
    if row is None:
        raise NotFound(N_("There is no such report."))
    if row.resolved_at is None:
        row.resolved_at = utcnow()
        row.resolved_by_id = moderator.id
        db.session.commit()
    return row


def open_report_count() -> int:
    return db.session.scalar(select(func.count(MessageReport.id)).where(MessageReport.resolved_at.is_(None))) or 0


# Shapes ---------------------------------------------------------------------------

def person(user: User | None) -> dict:
    if user is None:
        return {"username": None, "display_name": gettext(DELETED_NAME)}
    return {"username": user.username, "display_name": user.display_name}


def as_dict(message: Message) -> dict:
    return {"id": message.id, "conversation_id": message.conversation_id, "sender": person(message.sender),
            "body": message.body, "created_at": message.created_at.isoformat()}


def title_for(conversation: Conversation, viewer: User) -> str:
    names = [m.user.display_name for m in conversation.members if m.user_id != viewer.id]
    return ", ".join(names) or gettext("Just you")


# Your data ------------------------------------------------------------------------

def sent_by(user: User) -> list[Message]:
    """Every message the member wrote (for their data export)."""
    return list(db.session.scalars(select(Message).where(Message.sender_id == user.id).order_by(Message.id)))


def forget_member(user: User) -> None:
    """Account deletion: remove their messages, blocks and memberships (the
    caller commits). Others' messages in shared conversations stay theirs."""
    db.session.execute(Message.__table__.delete().where(Message.sender_id == user.id))
    db.session.execute(Block.__table__.delete().where(or_(Block.blocker_id == user.id,
                                                          Block.blocked_id == user.id)))
    db.session.execute(ConversationMember.__table__.delete().where(ConversationMember.user_id == user.id))
