"""Marshmallow schemas of the forum's JSON API: they validate requests and
generate the OpenAPI document. Shape and lengths here; rules in services."""

from __future__ import annotations

import marshmallow as ma

from app.api_support import FileUpload, Id, Page, PageArgs, page_schema
from app.forum.live import MAX_NEW
from app.forum.models import ACCESS_LEVELS, KINDS, LEVELS
from app.forum.reading import SORTS
from app.forum.services import MAX_BODY, MAX_TAGS, MAX_TITLE
from app.forum.similar import RESULTS as SIMILAR_RESULTS
from app.params import MAX_ID
from app.tags import MAX_TAG_LENGTH

_v = ma.validate
URL = {"type": "string", "format": "uri-reference"}


def thread_path(thread) -> str:
    return f"/t/{thread.id}-{thread.slug}"


# Requests ------------------------------------------------------------------------

class ThreadCreateSchema(ma.Schema):
    category_id = Id(required=True, strict=True)
    title = ma.fields.String(required=True, validate=_v.Length(min=1, max=200))
    body = ma.fields.String(
        required=True, validate=_v.Length(min=1, max=MAX_BODY), metadata={"description": "markdown"}
    )
    kind = ma.fields.String(load_default="discussion", validate=_v.OneOf(KINDS))
    tags = ma.fields.List(
        ma.fields.String(validate=_v.Length(min=1, max=MAX_TAG_LENGTH)), validate=_v.Length(max=MAX_TAGS)
    )


class ThreadUpdateSchema(ma.Schema):
    title = ma.fields.String(validate=_v.Length(min=1, max=200), metadata={"description": "author or moderator"})
    tags = ma.fields.List(
        ma.fields.String(validate=_v.Length(min=1, max=MAX_TAG_LENGTH)), validate=_v.Length(max=MAX_TAGS)
    )
    category_id = Id(strict=True, metadata={"description": "moderators: move"})
    pinned = ma.fields.Boolean(metadata={"description": "moderators"})
    locked = ma.fields.Boolean(metadata={"description": "moderators"})
    reason = ma.fields.String(validate=_v.Length(max=500), metadata={"description": "for the moderation log"})


class ThreadListArgs(PageArgs):
    category = ma.fields.String(validate=_v.Length(min=1, max=60), metadata={"description": "category slug"})
    category_id = Id()
    kind = ma.fields.String(validate=_v.OneOf(KINDS))
    tag = ma.fields.String(validate=_v.Length(min=1, max=MAX_TAG_LENGTH))
    sort = ma.fields.String(load_default="latest", validate=_v.OneOf(SORTS),
                            metadata={"description": "unanswered: questions without an accepted answer"})


class NewPostsArgs(ma.Schema):
    after = ma.fields.Integer(load_default=0, validate=_v.Range(min=0, max=MAX_ID),
                              metadata={"description": "the number of the last post you have"})


class NewThreadsArgs(ma.Schema):
    after = ma.fields.Integer(required=True, validate=_v.Range(min=0, max=MAX_ID),
                              metadata={"description": "the id of the newest thread you have"})
    kind = ma.fields.String(validate=_v.OneOf(KINDS))
    tag = ma.fields.String(validate=_v.Length(min=1, max=MAX_TAG_LENGTH))
    sort = ma.fields.String(load_default="latest", validate=_v.OneOf(SORTS),
                            metadata={"description": "unanswered: only questions without an accepted answer"})


class SimilarArgs(ma.Schema):
    title = ma.fields.String(required=True, validate=_v.Length(min=1, max=MAX_TITLE),
                             metadata={"description": "the title being typed"})


class ThreadPageArgs(ma.Schema):
    page = Page(metadata={"description": "20 posts a page, by post number"})


class PostCreateSchema(ma.Schema):
    body = ma.fields.String(
        required=True, validate=_v.Length(min=1, max=MAX_BODY), metadata={"description": "markdown"}
    )
    reply_to = Id(allow_none=True, strict=True, metadata={"description": "id of a post in the same thread"})


class PostUpdateSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=_v.Length(min=1, max=MAX_BODY))


class ReactionCreateSchema(ma.Schema):
    kind = ma.fields.String(load_default="helpful", validate=_v.OneOf(["helpful"]))


class SubscriptionSchema(ma.Schema):
    level = ma.fields.String(required=True, validate=_v.OneOf(LEVELS), metadata={
        "description": "watching: notified of everything; muted: never; normal: mentions and replies to you"})


class ReportCreateSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=_v.Length(min=1, max=500))


# Responses --------------------------------------------------------------------------

class CategorySchema(ma.Schema):
    id = ma.fields.Integer()
    slug = ma.fields.String()
    name = ma.fields.String()
    description = ma.fields.String()
    position = ma.fields.Integer()
    read_access = ma.fields.String(metadata={"enum": list(ACCESS_LEVELS)})
    start_access = ma.fields.String(metadata={"enum": list(ACCESS_LEVELS)})
    reply_access = ma.fields.String(metadata={"enum": list(ACCESS_LEVELS)})
    thread_count = ma.fields.Integer()
    post_count = ma.fields.Integer()
    html_url = ma.fields.String(metadata=URL)


CategoryPageSchema = page_schema(CategorySchema, "CategoryPage")


class AuthorSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()
    country = ma.fields.String(allow_none=True)
    profile_url = ma.fields.Function(lambda user: f"/u/{user.username}", metadata=URL)


class CategoryRefSchema(ma.Schema):
    id = ma.fields.Integer()
    slug = ma.fields.String()
    name = ma.fields.String()


class ThreadSchema(ma.Schema):
    id = ma.fields.Integer()
    category = ma.fields.Nested(CategoryRefSchema)
    kind = ma.fields.String(metadata={"enum": list(KINDS)})
    title = ma.fields.String()
    slug = ma.fields.String()
    tags = ma.fields.List(ma.fields.String())
    status = ma.fields.String(metadata={"enum": ["published", "pending", "hidden", "deleted"]})
    pinned = ma.fields.Boolean()
    locked = ma.fields.Boolean()
    answered = ma.fields.Boolean(attribute="is_answered")
    accepted_post_id = ma.fields.Integer(allow_none=True)
    reply_count = ma.fields.Integer()
    view_count = ma.fields.Integer()
    helpful_count = ma.fields.Integer()
    author = ma.fields.Nested(AuthorSchema)
    created_at = ma.fields.AwareDateTime()
    last_posted_at = ma.fields.AwareDateTime()
    html_url = ma.fields.Function(thread_path, metadata=URL)


ThreadListSchema = page_schema(ThreadSchema, "ThreadPage")


class AcceptedAnswerSchema(ma.Schema):
    """A question whose accepted answer is the member's."""

    thread_id = ma.fields.Integer(attribute="id")
    title = ma.fields.String()
    answer_id = ma.fields.Integer(attribute="accepted_post_id")
    thread_url = ma.fields.Function(thread_path, metadata=URL)
    answer_url = ma.fields.Function(lambda thread: f"/p/{thread.accepted_post_id}", metadata=URL)


class AcceptedAnswerPageSchema(page_schema(AcceptedAnswerSchema, "AcceptedAnswerList")):
    answers_given = ma.fields.Integer(metadata={
        "description": "all the member's answers to questions you may read; `total` counts the accepted ones",
    })


class PostSchema(ma.Schema):
    id = ma.fields.Integer()
    thread_id = ma.fields.Integer()
    number = ma.fields.Integer(metadata={"description": "1 is the thread's opening post"})
    author = ma.fields.Nested(AuthorSchema)
    body = ma.fields.String(attribute="body_md", metadata={"description": "markdown"})
    body_html = ma.fields.String(metadata={"description": "sanitized HTML rendered when the post was written"})
    status = ma.fields.String(metadata={"enum": ["published", "pending", "hidden", "deleted"]})
    reply_to = ma.fields.Integer(attribute="reply_to_id", allow_none=True)
    helpful_count = ma.fields.Integer()
    accepted = ma.fields.Function(lambda post: post.thread.accepted_post_id == post.id)
    created_at = ma.fields.AwareDateTime()
    edited_at = ma.fields.AwareDateTime(allow_none=True)
    edited_by = ma.fields.Function(lambda post: post.edited_by.username if post.edited_by else None,
                                   metadata={"type": "string", "nullable": True})
    html_url = ma.fields.Function(lambda post: f"/p/{post.id}", metadata=URL)


class PostPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PostSchema))
    page = ma.fields.Integer()
    pages = ma.fields.Integer()
    per_page = ma.fields.Integer()


class NewPostsSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PostSchema), metadata={
        "description": f"oldest first, at most {MAX_NEW}; none by members you blocked"})
    last_number = ma.fields.Integer(metadata={"description": "send it as `after` next time"})


class NewThreadsSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ThreadSchema), metadata={
        "description": f"newest first, at most {MAX_NEW}; none by members you blocked"})
    last_id = ma.fields.Integer(metadata={"description": "send it as `after` next time"})


class SimilarThreadSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(KINDS)})
    answered = ma.fields.Boolean(attribute="is_answered", metadata={"description": "has an accepted answer"})
    category = ma.fields.Nested(CategoryRefSchema)
    html_url = ma.fields.Function(thread_path, metadata=URL)


class SimilarSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SimilarThreadSchema), metadata={
        "description": f"at most {SIMILAR_RESULTS}, best first; only threads you may open"})
    available = ma.fields.Boolean(metadata={
        "description": "false while the search index is missing or being built (then no items)"})


class ThreadDetailSchema(ThreadSchema):
    posts = ma.fields.Nested(PostPageSchema)
    accepted_answer = ma.fields.Nested(PostSchema, allow_none=True)
    helpful_post_ids = ma.fields.List(
        ma.fields.Integer(), metadata={"description": "posts on this page you marked helpful"}
    )
    first_unread = ma.fields.Integer(allow_none=True, metadata={"description": "number of your first unread post"})
    subscription = ma.fields.String(metadata={"enum": list(LEVELS)})


class RevisionSchema(ma.Schema):
    body = ma.fields.String(attribute="body_md")
    body_html = ma.fields.String()
    written_by = ma.fields.Function(lambda rev: rev.written_by.username if rev.written_by else None,
                                    metadata={"type": "string", "nullable": True})
    written_at = ma.fields.AwareDateTime()
    replaced_at = ma.fields.AwareDateTime()


class ReactionStateSchema(ma.Schema):
    helpful = ma.fields.Boolean()
    helpful_count = ma.fields.Integer()


class ReportSchema(ma.Schema):
    id = ma.fields.Integer()
    post_id = ma.fields.Integer()
    reason = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


# The composer: preview and pictures ------------------------------------------------

class PreviewCreateSchema(ma.Schema):
    body = ma.fields.String(
        required=True, validate=_v.Length(min=1, max=MAX_BODY), metadata={"description": "markdown"}
    )


class PreviewSchema(ma.Schema):
    html = ma.fields.String(metadata={"description": "the cleaned HTML the post would show"})


class PostImageUploadSchema(ma.Schema):
    file = FileUpload(required=True, metadata={
        "description": "PNG, JPEG, GIF or WebP, checked by content; at most MAX_POST_IMAGE_MB (5) MB, 16 megapixels"})


class PostImageSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.Function(lambda image: f"/media/{image.file_name}", metadata={"description": "where it is served"})
    markdown = ma.fields.String(metadata={"description": "`![alt](url)`, to put in a post's body"})
    content_type = ma.fields.String(metadata={"description": "image/png, image/jpeg or image/webp (a GIF is stored "
                                                            "as PNG)"})
    width = ma.fields.Integer()
    height = ma.fields.Integer()
    size = ma.fields.Integer(metadata={"description": "bytes, as stored"})
    created_at = ma.fields.DateTime()
