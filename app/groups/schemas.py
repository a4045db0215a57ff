"""Marshmallow schemas of the groups and activities API: they validate the
requests (shape, types, lengths) and generate the OpenAPI document; the
services check the rules, so pages and API refuse the same things.

Distances go in and out as kilometres (`distance_km`, `weekly_goal_km`);
`distance_mi` is accepted instead on activities. They are stored as whole
metres (see `app/groups/models.py`).
"""

from __future__ import annotations

import marshmallow as ma
from flask import url_for

from app.api_support import FileUpload, Id, PageArgs, page_schema
from app.groups import units
from app.groups.models import (
    ACTIVITY_VISIBILITIES,
    CHALLENGE_KINDS,
    FOCUSES,
    GROUP_VISIBILITIES,
    SPORTS,
    UNITS,
)
from app.groups.periods import PERIODS
from app.groups.stats import SORTS

_v = ma.validate
URL_PROPERTY = {"type": "string", "format": "uri-reference"}


class _Number(ma.fields.Decimal):
    """Loads an exact Decimal (distances become whole metres) but writes a
    JSON number. apispec writes a Range's bounds through `_serialize`: as a
    Decimal they came out as the string "100000.000", and a string `maximum`
    made the OpenAPI document invalid for every client that checks it."""

    def _serialize(self, value, attr, obj, **kwargs):
        value = super()._serialize(value, attr, obj, **kwargs)
        return None if value is None else float(value)


def _km(**kwargs):
    return _Number(as_string=False, places=3, allow_nan=False, validate=_v.Range(min=0, max=100_000), **kwargs)


class UserBriefSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()


# Groups ------------------------------------------------------------------------------------------

class GroupCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=_v.Length(min=1, max=80))
    description = ma.fields.String(validate=_v.Length(max=5000), metadata={"description": "markdown"})
    focus = ma.fields.String(validate=_v.OneOf(list(FOCUSES)),
                             metadata={"description": "which activities count; `sport` is accepted as its alias"})
    sport = ma.fields.String(validate=_v.OneOf(list(FOCUSES)), metadata={"description": "alias of focus"})
    visibility = ma.fields.String(validate=_v.OneOf(list(GROUP_VISIBILITIES)))
    weekly_goal_km = _km(allow_none=True, metadata={"description": "each member's weekly distance goal"})
    group_goal_km = _km(allow_none=True, metadata={"description": "optional goal for the whole group a week"})
    timezone = ma.fields.String(validate=_v.Length(min=1, max=64),
                                metadata={"description": "IANA name; weeks run Monday to Sunday there"})


class GroupUpdateSchema(GroupCreateSchema):
    name = ma.fields.String(validate=_v.Length(min=1, max=80))


class GroupListArgs(PageArgs):
    focus = ma.fields.String(validate=_v.OneOf(list(FOCUSES)))
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "only groups you belong to"})


class GroupSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    description = ma.fields.String(attribute="description_md")
    description_html = ma.fields.String()
    focus = ma.fields.String(metadata={"enum": list(FOCUSES)})
    sports = ma.fields.List(ma.fields.String(), metadata={"description": "activity sports that count here"})
    visibility = ma.fields.String(metadata={"enum": list(GROUP_VISIBILITIES)})
    weekly_goal_km = ma.fields.Function(lambda g: units.km(g.weekly_goal_m) if g.weekly_goal_m else None,
                                        metadata={"type": "number", "nullable": True})
    group_goal_km = ma.fields.Function(lambda g: units.km(g.group_goal_m) if g.group_goal_m else None,
                                       metadata={"type": "number", "nullable": True})
    timezone = ma.fields.String()
    cover_url = ma.fields.Function(
        lambda g: url_for("groups.cover", group_id=g.id) if g.cover_file else None,
        metadata={**URL_PROPERTY, "nullable": True})
    html_url = ma.fields.Function(lambda g: url_for("groups.show", group_id=g.id), metadata=URL_PROPERTY)
    created_at = ma.fields.AwareDateTime()


class GroupListItemSchema(GroupSchema):
    member_count = ma.fields.Integer()
    my_role = ma.fields.String(allow_none=True)


GroupPageSchema = page_schema(GroupListItemSchema, "GroupPage")


class WeekSchema(ma.Schema):
    starts_at = ma.fields.AwareDateTime()
    ends_at = ma.fields.AwareDateTime()
    total_km = ma.fields.Float(metadata={"description": "every member's distance that counts, this week"})
    group_goal_km = ma.fields.Float(allow_none=True, metadata={"description": "the group's own weekly goal, if set"})
    goal_km = ma.fields.Float(allow_none=True, metadata={
        "description": "the whole group's goal this week, to set against total_km: the group's own weekly goal, "
                       "else the members' weekly goals added up"})
    goal_basis = ma.fields.String(allow_none=True, metadata={
        "enum": ["group", "members", None], "description": "where goal_km comes from"})
    members = ma.fields.Integer(metadata={"description": "members counted in total_km"})
    my_km = ma.fields.Float(allow_none=True, metadata={"description": "members only"})


class GroupDetailSchema(GroupListItemSchema):
    pending_requests = ma.fields.Integer(allow_none=True, metadata={"description": "owners and admins only"})
    week = ma.fields.Nested(WeekSchema, allow_none=True, metadata={"description": "groups that track fitness"})
    members_only_activities = ma.fields.Integer(metadata={
        "description": "activities that count here but are shared with members only: not in your feed"})
    request_pending = ma.fields.Boolean(metadata={"description": "you asked to join and wait for approval"})


class JoinResultSchema(ma.Schema):
    status = ma.fields.String(metadata={"enum": ["member", "pending"]})


class MemberSchema(ma.Schema):
    user = ma.fields.Nested(UserBriefSchema)
    role = ma.fields.String(metadata={"enum": ["owner", "admin", "member"]})
    joined_at = ma.fields.AwareDateTime()


class JoinRequestSchema(ma.Schema):
    user = ma.fields.Nested(UserBriefSchema)
    created_at = ma.fields.AwareDateTime()


class RoleSchema(ma.Schema):
    role = ma.fields.String(required=True, validate=_v.OneOf(["admin", "member"]))


class TransferSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=_v.Length(min=1, max=30))


class LeaderboardArgs(ma.Schema):
    period = ma.fields.String(load_default="week", validate=_v.OneOf(list(PERIODS)))
    by = ma.fields.String(load_default="distance", validate=_v.OneOf(list(SORTS)),
                          metadata={"description": "the measure to rank by; ties: distance, then username"})


class LeaderboardRowSchema(ma.Schema):
    rank = ma.fields.Integer()
    user = ma.fields.Nested(UserBriefSchema)
    distance_km = ma.fields.Float()
    activities = ma.fields.Integer()
    moving_time_s = ma.fields.Integer(attribute="duration_s")
    goal_met = ma.fields.Boolean(allow_none=True, metadata={"description": "week only: reached the weekly goal"})


class LeaderboardSchema(ma.Schema):
    period = ma.fields.String(attribute="period.name")
    starts_at = ma.fields.AwareDateTime(attribute="period.start", allow_none=True)
    ends_at = ma.fields.AwareDateTime(attribute="period.end", allow_none=True)
    timezone = ma.fields.String(attribute="group.timezone")
    by = ma.fields.String(attribute="sort")
    total_km = ma.fields.Function(lambda board: units.km(board.total_m))
    goal_km = ma.fields.Function(lambda board: units.km(board.group_goal.goal_m) if board.group_goal else None,
                                 metadata={"type": "number", "nullable": True,
                                           "description": "week only: the whole group's goal (see the group's week)"})
    goal_basis = ma.fields.Function(lambda board: board.group_goal.basis if board.group_goal else None,
                                    metadata={"type": "string", "nullable": True, "enum": ["group", "members", None]})
    rows = ma.fields.List(ma.fields.Nested(LeaderboardRowSchema))


# Activities --------------------------------------------------------------------------------------

class _ActivityFields(ma.Schema):
    sport = ma.fields.String(validate=_v.OneOf(list(SPORTS)))
    distance_km = _km()
    distance_mi = _km(metadata={"description": "instead of distance_km"})
    duration_min = _Number(as_string=False, allow_nan=False, validate=_v.Range(min=0, max=100_000))
    date = ma.fields.Date(metadata={"description": "the day, in your time zone"})
    start_time = ma.fields.Time(metadata={"description": "HH:MM in your time zone; default noon (or now)"})
    started_at = ma.fields.AwareDateTime(metadata={"description": "instead of date and start_time"})
    title = ma.fields.String(validate=_v.Length(max=120))
    notes = ma.fields.String(validate=_v.Length(max=5000), metadata={"description": "markdown"})
    visibility = ma.fields.String(validate=_v.OneOf(list(ACTIVITY_VISIBILITIES)))
    elevation_gain_m = ma.fields.Integer(allow_none=True, validate=_v.Range(min=0, max=20_000))


class ActivityCreateSchema(_ActivityFields):
    sport = ma.fields.String(required=True, validate=_v.OneOf(list(SPORTS)))
    group_ids = ma.fields.List(Id(), validate=_v.Length(max=50), metadata={
        "description": "optional check: groups you expect it to count in; refused if it would not"})


class ActivityUploadSchema(ma.Schema):
    """A GPX or FIT file as multipart/form-data, with optional form fields."""

    gpx = FileUpload(required=True, metadata={
        "description": "a GPX 1.0 or 1.1 file or a FIT activity file (told apart by content), up to 5 MB"})
    sport = ma.fields.String(load_default="run", validate=_v.OneOf(list(SPORTS)),
                             metadata={"description": "a FIT file's own sport (run, ride, walk, swim) wins"})
    title = ma.fields.String(validate=_v.Length(max=120))
    notes = ma.fields.String(validate=_v.Length(max=5000))
    visibility = ma.fields.String(validate=_v.OneOf(list(ACTIVITY_VISIBILITIES)))
    duration_min = _Number(as_string=False, allow_nan=False, validate=_v.Range(min=0, max=100_000),
                           metadata={"description": "only for files without times"})
    date = ma.fields.Date(metadata={"description": "only for files without times"})
    start_time = ma.fields.Time(metadata={"description": "only for files without times"})


class ActivityUpdateSchema(_ActivityFields):
    pass


class ActivitySchema(ma.Schema):
    id = ma.fields.Integer()
    user = ma.fields.Nested(UserBriefSchema)
    sport = ma.fields.String(metadata={"enum": list(SPORTS)})
    title = ma.fields.String()
    notes = ma.fields.String(attribute="notes_md")
    notes_html = ma.fields.String()
    distance_km = ma.fields.Function(lambda a: units.km(a.distance_m), metadata={"type": "number"})
    distance_mi = ma.fields.Function(lambda a: float(units.from_metres(a.distance_m, "mi")),
                                     metadata={"type": "number"})
    duration_s = ma.fields.Integer(metadata={"description": "moving time for GPX uploads"})
    elevation_gain_m = ma.fields.Integer(allow_none=True)
    started_at = ma.fields.AwareDateTime()
    date = ma.fields.Date(attribute="started_on", metadata={"description": "in the member's time zone"})
    timezone = ma.fields.String()
    visibility = ma.fields.String(metadata={"enum": list(ACTIVITY_VISIBILITIES)})
    source = ma.fields.String(metadata={"enum": ["manual", "gpx", "fit"]})
    has_route = ma.fields.Function(lambda a: bool(a.route_points), metadata={"type": "boolean"})
    html_url = ma.fields.Function(lambda a: url_for("groups.activity", activity_id=a.id), metadata=URL_PROPERTY)
    created_at = ma.fields.AwareDateTime()


ActivityPageSchema = page_schema(ActivitySchema, "ActivityPage")


class PhotoUploadSchema(ma.Schema):
    """A photo as multipart/form-data."""

    photo = FileUpload(required=True, metadata={
        "description": "PNG, JPEG, GIF or WebP (by content), up to MAX_AVATAR_MB (5 MB) and 16 megapixels; "
                       "stored re-encoded as JPEG, at most 1600 px a side, without EXIF or GPS data"})
    alt_text = ma.fields.String(validate=_v.Length(max=200), metadata={
        "description": "what the photo shows, for people who cannot see it; default “Photo N from <title>”"})


class PhotoSchema(ma.Schema):
    id = ma.fields.Integer()
    alt_text = ma.fields.String()
    width = ma.fields.Integer()
    height = ma.fields.Integer()
    url = ma.fields.Function(lambda p: url_for("groups.photo", activity_id=p.activity_id, photo_id=p.id),
                             metadata={**URL_PROPERTY, "description": "the JPEG, for whoever may see the activity"})
    created_at = ma.fields.AwareDateTime()


class KudosStateSchema(ma.Schema):
    kudos = ma.fields.Boolean()
    kudos_count = ma.fields.Integer()


class CommentCreateSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=_v.Length(min=1, max=1000), metadata={"description": "markdown"})


class CommentSchema(ma.Schema):
    id = ma.fields.Integer()
    user = ma.fields.Nested(UserBriefSchema)
    body = ma.fields.String(attribute="body_md")
    body_html = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class FitnessSettingsSchema(ma.Schema):
    distance_unit = ma.fields.String(validate=_v.OneOf(list(UNITS)),
                                     metadata={"description": "your distance unit on pages"})
    weekly_goal_km = _km(allow_none=True, metadata={
        "description": "your own weekly goal, the dashed line on your weekly chart; null for none"})


class WeekTotalSchema(ma.Schema):
    first_day = ma.fields.Date(metadata={"description": "the Monday, in the member's (or group's) time zone"})
    distance_km = ma.fields.Float()
    activities = ma.fields.Integer()
    duration_s = ma.fields.Integer()
    goal_met = ma.fields.Boolean(allow_none=True, metadata={"description": "null without a goal"})


class WeeklyChartSchema(ma.Schema):
    goal_km = ma.fields.Float(allow_none=True, metadata={
        "description": "the goal line: your own weekly goal, or the group's whole goal (as `week.goal_km`)"})
    goal_basis = ma.fields.String(allow_none=True, metadata={
        "enum": ["group", "members", None], "description": "groups only: where goal_km comes from"})
    weeks = ma.fields.List(ma.fields.Nested(WeekTotalSchema), metadata={"description": "the last 12, oldest first"})


# Challenges --------------------------------------------------------------------------------------

class ChallengeCreateSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=_v.Length(min=1, max=120))
    kind = ma.fields.String(required=True, validate=_v.OneOf(list(CHALLENGE_KINDS)))
    target_km = _km(allow_none=True, metadata={"description": "distance challenges"})
    target_days = ma.fields.Integer(validate=_v.Range(min=1, max=366), metadata={"description": "days challenges"})
    sport = ma.fields.String(allow_none=True, validate=_v.OneOf(list(SPORTS)))
    starts_on = ma.fields.Date(required=True, metadata={"description": "first day, in the group's time zone"})
    ends_on = ma.fields.Date(required=True, metadata={"description": "last day (inclusive)"})


class ChallengeSchema(ma.Schema):
    id = ma.fields.Integer()
    group_id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(CHALLENGE_KINDS)})
    target = ma.fields.Function(lambda c: units.km(c.target) if c.kind == "distance" else c.target,
                                metadata={"type": "number", "description": "km, or days"})
    sport = ma.fields.String(allow_none=True)
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    starts_at = ma.fields.AwareDateTime()
    ends_at = ma.fields.AwareDateTime()


class ChallengeProgressSchema(ma.Schema):
    user = ma.fields.Nested(UserBriefSchema)
    value = ma.fields.Function(lambda row: row["value"], metadata={"type": "number", "description": "km or days"})
    completed = ma.fields.Boolean()


class ChallengeDetailSchema(ChallengeSchema):
    progress = ma.fields.List(ma.fields.Nested(ChallengeProgressSchema))
