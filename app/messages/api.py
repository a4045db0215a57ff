"""Private messages in the JSON API. Every route answers only a member of
the conversation; anyone else gets 404, as if it did not exist."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint

from app.accounts import services as accounts
from app.api_support import api_login_required, exempt_from_form_csrf, paginate
from app.exceptions import NotFound
from app.i18n import N_
from app.messages import services
from app.messages.schemas import (
    PmBlockCreateSchema,
    PmBlockListSchema,
    PmBlockSchema,
    PmConversationCreatedSchema,
    PmConversationCreateSchema,
    PmConversationListArgs,
    PmConversationPageSchema,
    PmConversationSchema,
    PmMessageCreateSchema,
    PmMessageListArgs,
    PmMessageListSchema,
    PmMessageSchema,
    PmReportCreateSchema,
    PmReportSchema,
    PmUnreadSchema,
)

blp = Blueprint("messages_api", __name__, url_prefix="/api/v1", description="Private messages")
exempt_from_form_csrf(blp)


def _conversation_dict(conversation, user, unread: int, last) -> dict:
    return {
        "id": conversation.id, "is_group": conversation.is_group,
        "members": [services.person(m.user) for m in conversation.members],
        "unread": unread, "last_message": services.as_dict(last) if last else None,
        "last_message_at": conversation.last_message_at.isoformat(),
    }


def _user(username: str):
    user = accounts.get_by_username(username)
    if user is None:
        raise NotFound(N_("There is no such member."))
    return user


@blp.get("/conversations")
@api_login_required
@blp.arguments(PmConversationListArgs, location="query")
@blp.response(200, PmConversationPageSchema)
def list_conversations(args):
    """My conversations, latest activity first, with unread counts."""
    result = paginate(services.conversations_query(current_user), args["page"], args["per_page"])
    ids = [c.id for c in result["items"]]
    unread = services.unread_by_conversation(current_user.id, ids)
    last = services.last_messages(ids)
    result["items"] = [_conversation_dict(c, current_user, unread.get(c.id, 0), last.get(c.id))
                       for c in result["items"]]
    return result


@blp.post("/conversations")
@api_login_required
@blp.arguments(PmConversationCreateSchema)
@blp.response(201, PmConversationCreatedSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_conversation(data):
    """Write to one member (their existing conversation with you is reused) or up to nine."""
    conversation, message = services.start_conversation(current_user, data["to"], data["body"])
    return {"conversation": _conversation_dict(conversation, current_user, 0, message),
            "message": services.as_dict(message)}


@blp.get("/conversations/<int:conversation_id>")
@api_login_required
@blp.response(200, PmConversationSchema)
def get_conversation(conversation_id):
    conversation = services.get_conversation(conversation_id, current_user)
    unread = services.unread_by_conversation(current_user.id, [conversation.id]).get(conversation.id, 0)
    last = services.last_messages([conversation.id]).get(conversation.id)
    return _conversation_dict(conversation, current_user, unread, last)


@blp.get("/conversations/<int:conversation_id>/messages")
@api_login_required
@blp.arguments(PmMessageListArgs, location="query")
@blp.response(200, PmMessageListSchema)
def list_messages(args, conversation_id):
    """The latest messages (or those before `before_id`), oldest first."""
    conversation = services.get_conversation(conversation_id, current_user)
    rows = services.messages_of(conversation, current_user, args.get("before_id"), args["limit"])
    return {"items": [services.as_dict(m) for m in rows]}


@blp.post("/conversations/<int:conversation_id>/messages")
@api_login_required
@blp.arguments(PmMessageCreateSchema)
@blp.response(201, PmMessageSchema)
@blp.alt_response(403, response="FORBIDDEN")
def send_message(data, conversation_id):
    conversation = services.get_conversation(conversation_id, current_user)
    return services.as_dict(services.send(conversation, current_user, data["body"]))


@blp.post("/conversations/<int:conversation_id>/read")
@api_login_required
@blp.response(200, PmUnreadSchema)
def mark_read(conversation_id):
    """Mark the conversation read; returns my unread total (other tabs hear it live)."""
    conversation = services.get_conversation(conversation_id, current_user)
    return {"unread": services.mark_read(conversation, current_user)}


@blp.get("/messages/unread")
@api_login_required
@blp.response(200, PmUnreadSchema)
def unread_total():
    return {"unread": services.unread_total_for(current_user.id)}


@blp.post("/messages/<int:message_id>/report")
@api_login_required
@blp.arguments(PmReportCreateSchema)
@blp.response(201, PmReportSchema)
@blp.alt_response(409, response="CONFLICT")
def report_message(data, message_id):
    """Show a message of one of my conversations to the moderators."""
    message = services.get_message(message_id, current_user)
    row = services.report(message, current_user, data["reason"])
    return {"id": row.id, "message_id": row.message_id, "reason": row.reason}


@blp.get("/blocks")
@api_login_required
@blp.response(200, PmBlockListSchema)
def list_blocks():
    return {"items": [{"username": b.blocked.username, "display_name": b.blocked.display_name,
                       "created_at": b.created_at.isoformat()} for b in services.blocked_users(current_user)]}


@blp.post("/blocks")
@api_login_required
@blp.arguments(PmBlockCreateSchema)
@blp.response(201, PmBlockSchema)
@blp.alt_response(404, response="NOT_FOUND")
def block(data):
    """Stop a member from messaging me."""
    other = _user(data["username"])
    services.block(current_user, other)
    return {"username": other.username, "display_name": other.display_name}


@blp.delete("/blocks/<username>")
@api_login_required
@blp.response(204)
def unblock(username):
    services.unblock(current_user, _user(username))
    return ""
