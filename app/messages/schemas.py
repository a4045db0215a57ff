"""Private messages in the API: request and response shapes."""

from __future__ import annotations

import marshmallow as ma

from app.api_support import Id, PageArgs
from app.messages.services import MAX_BODY, MAX_PEOPLE


class PmPersonSchema(ma.Schema):
    username = ma.fields.String(allow_none=True)
    display_name = ma.fields.String()


class PmMessageSchema(ma.Schema):
    id = ma.fields.Integer()
    conversation_id = ma.fields.Integer()
    sender = ma.fields.Nested(PmPersonSchema)
    body = ma.fields.String()
    created_at = ma.fields.String(metadata={"format": "date-time"})


class PmConversationSchema(ma.Schema):
    id = ma.fields.Integer()
    is_group = ma.fields.Boolean()
    members = ma.fields.List(ma.fields.Nested(PmPersonSchema))
    unread = ma.fields.Integer()
    last_message = ma.fields.Nested(PmMessageSchema, allow_none=True)
    last_message_at = ma.fields.String(metadata={"format": "date-time"})


class PmConversationPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PmConversationSchema))
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer()


class PmConversationCreateSchema(ma.Schema):
    to = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=30)), required=True,
                        validate=ma.validate.Length(min=1, max=MAX_PEOPLE - 1),
                        metadata={"description": "usernames of the other members"})
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=MAX_BODY))


class PmConversationCreatedSchema(ma.Schema):
    conversation = ma.fields.Nested(PmConversationSchema)
    message = ma.fields.Nested(PmMessageSchema)


class PmMessageCreateSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=MAX_BODY))


class PmMessageListArgs(ma.Schema):
    before_id = Id()
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))


class PmMessageListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PmMessageSchema))


class PmUnreadSchema(ma.Schema):
    unread = ma.fields.Integer()


class PmBlockCreateSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=30))


class PmBlockSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()
    created_at = ma.fields.String(metadata={"format": "date-time"})


class PmBlockListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PmBlockSchema))


class PmReportCreateSchema(ma.Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))


class PmReportSchema(ma.Schema):
    id = ma.fields.Integer()
    message_id = ma.fields.Integer()
    reason = ma.fields.String()


PmConversationListArgs = PageArgs
