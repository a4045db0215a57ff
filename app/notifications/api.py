"""Notifications in the JSON API."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from app.api_support import Id, PageArgs, api_login_required, exempt_from_form_csrf, page_schema, paginate
from app.notifications import services

blp = Blueprint("notifications_api", __name__, url_prefix="/api/v1", description="Notifications")
exempt_from_form_csrf(blp)


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    text = ma.fields.String()
    url = ma.fields.String()
    actor = ma.fields.Function(lambda item: item.actor.username if item.actor else None)
    created_at = ma.fields.AwareDateTime()
    read = ma.fields.Function(lambda item: item.read_at is not None)


class NotificationListArgs(PageArgs):
    unread = ma.fields.Boolean(load_default=False)


class MarkReadSchema(ma.Schema):
    ids = ma.fields.List(Id(), validate=ma.validate.Length(max=500),
                         metadata={"description": "omit to mark all read"})


class MarkReadResultSchema(ma.Schema):
    marked = ma.fields.Integer()
    unread = ma.fields.Integer()


@blp.get("/notifications")
@api_login_required
@blp.arguments(NotificationListArgs, location="query")
@blp.response(200, page_schema(NotificationSchema, "NotificationPage"))
def list_notifications(args):
    """My notifications, newest first."""
    return paginate(services.list_query(current_user, args["unread"]), args["page"], args["per_page"])


@blp.post("/notifications/read")
@api_login_required
@blp.arguments(MarkReadSchema)
@blp.response(200, MarkReadResultSchema)
def mark_read(data):
    """Mark the given notifications (or all) as read."""
    marked = services.mark_read(current_user, data.get("ids"))
    return {"marked": marked, "unread": services.unread_count(current_user)}
