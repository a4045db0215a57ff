"""Activities in the JSON API: log (JSON, or GPX or FIT multipart), list mine,
show, edit, delete, photos, kudos, comments and the distance unit. Same blueprint
as the group endpoints (`groups_api`); imported by the app factory so the
routes exist."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from webargs import core as webargs_core

from app.api_support import BEARER, PageArgs, api_login_required, paginate
from app.exceptions import UnsupportedMedia, ValidationFailed
from app.groups import access, activities, photos, social, stats, units
from app.groups.api import FORM_TYPES, blp, parser
from app.groups.gpx import MAX_GPX_BYTES
from app.groups.schemas import (
    ActivityCreateSchema,
    ActivityPageSchema,
    ActivitySchema,
    ActivityUpdateSchema,
    ActivityUploadSchema,
    CommentCreateSchema,
    CommentSchema,
    FitnessSettingsSchema,
    KudosStateSchema,
    PhotoSchema,
    PhotoUploadSchema,
    WeeklyChartSchema,
)
from app.i18n import N_

# Activities --------------------------------------------------------------------------------------

def _activity_fields(data: dict) -> tuple[dict, str]:
    """Schema fields as service fields, and the unit the distance came in."""
    fields: dict = {}
    if "distance_km" in data and "distance_mi" in data:
        raise ValidationFailed({"distance_mi": N_("Send distance_km or distance_mi, not both.")})
    unit = "mi" if "distance_mi" in data else "km"
    if "distance_km" in data or "distance_mi" in data:
        fields["distance_m"] = units.to_metres(data.get("distance_km", data.get("distance_mi")), unit)
    if data.get("duration_min") is not None:
        fields["duration_s"] = units.parse_duration(str(data["duration_min"]))
    if "date" in data:
        fields["day"] = data["date"]
    for key in ("sport", "start_time", "started_at", "title", "notes", "visibility", "elevation_gain_m"):
        if key in data:
            fields[key] = data[key]
    if fields.get("started_at") is not None and ({"day", "start_time"} & fields.keys()):
        raise ValidationFailed({"started_at": N_("Send started_at, or date and start_time, not both.")})
    return fields, unit


@blp.post("/activities")
@api_login_required
@blp.doc(security=BEARER, requestBody={
    "required": True,
    "description": "An activity typed in, as JSON; or a GPX or FIT file as multipart/form-data.",
    "content": {"application/json": {"schema": ActivityCreateSchema},
                "multipart/form-data": {"schema": ActivityUploadSchema}},
})
@blp.response(201, ActivitySchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_activity():
    """Log an activity. It counts for each of your groups that shares its sport."""
    if webargs_core.is_json(request.mimetype):
        data = parser.parse(ActivityCreateSchema(), request, location="json")
        group_ids = data.pop("group_ids", None)
        fields, unit = _activity_fields(data)
        fields.setdefault("visibility", "groups")
        if group_ids:
            _check_groups(group_ids, fields.get("sport"))
        return activities.log_activity(current_user, unit=unit, **fields)
    if request.mimetype in FORM_TYPES:
        data = parser.parse(ActivityUploadSchema(), request, location="multipart")
        upload = data.pop("gpx")
        fields, unit = _activity_fields(data)
        fields.setdefault("visibility", "groups")
        return activities.log_activity(current_user, unit=activities.unit_of(current_user),
                                       gpx_data=upload.stream.read(MAX_GPX_BYTES + 1), **fields)
    raise UnsupportedMedia(N_("Send the activity as application/json, or a GPX or FIT file as multipart/form-data."))


def _check_groups(group_ids: list[int], sport: str | None) -> None:
    for group_id in group_ids:
        member = access.membership(group_id, current_user)
        group = access.get_group(group_id) if member is not None else None
        if group is None or sport not in group.sports:
            raise ValidationFailed({"group_ids": _l("It would not count in group %(id)s: an activity counts in "
                                                    "your groups whose focus is its sport (or mixed).", id=group_id)})


@blp.get("/activities")
@api_login_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, ActivityPageSchema)
def list_my_activities(args):
    """Your own activities, newest first."""
    return paginate(activities.mine_query(current_user), args["page"], args["per_page"])


@blp.get("/activities/<int:activity_id>")
@blp.response(200, ActivitySchema)
def get_activity(activity_id):
    """An activity you may see (public, shared with your groups, or yours)."""
    return activities.get_visible(activity_id, current_user)


@blp.patch("/activities/<int:activity_id>")
@api_login_required
@blp.arguments(ActivityUpdateSchema)
@blp.response(200, ActivitySchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def update_activity(data, activity_id):
    """Change your activity; omitted fields stay as they are."""
    item = activities.get_own(activity_id, current_user)
    fields, unit = _activity_fields(data)
    return activities.update_activity(item, current_user, unit=unit, **fields)


@blp.delete("/activities/<int:activity_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def delete_activity(activity_id):
    """Delete your activity."""
    activities.delete_activity(activities.get_own(activity_id, current_user), current_user)


@blp.get("/activities/<int:activity_id>/photos")
@blp.response(200, PhotoSchema(many=True))
def list_photos(activity_id):
    """An activity's photos, oldest first: for whoever may see the activity."""
    return photos.photos_of(activities.get_visible(activity_id, current_user))


@blp.post("/activities/<int:activity_id>/photos")
@api_login_required
@blp.doc(security=BEARER, requestBody={"required": True, "description": "The photo and its description.",
                                       "content": {"multipart/form-data": {"schema": PhotoUploadSchema}}})
@blp.response(201, PhotoSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def add_photo(activity_id):
    """Add a photo to your activity (up to six). It is checked by its content and stored re-encoded,
    without EXIF or location data."""
    item = activities.get_own(activity_id, current_user)
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMedia(N_("Send the photo as multipart/form-data, in the field `photo`."))
    data = parser.parse(PhotoUploadSchema(), request, location="multipart")
    limit = current_app.config["MAX_AVATAR_MB"] * 1024 * 1024
    return photos.add_photo(item, current_user, data["photo"].stream.read(limit + 1), data.get("alt_text", ""))


@blp.delete("/activities/<int:activity_id>/photos/<int:photo_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def delete_photo(activity_id, photo_id):
    """Delete a photo from your activity."""
    item = activities.get_own(activity_id, current_user)
    photos.delete_photo(photos.get_photo(item, photo_id), item, current_user)


@blp.post("/activities/<int:activity_id>/kudos")
@api_login_required
@blp.response(200, KudosStateSchema)
@blp.alt_response(409, response="CONFLICT")
def give_kudos(activity_id):
    """Give kudos (once; giving again changes nothing)."""
    item = activities.get_visible(activity_id, current_user)
    social.give_kudos(item, current_user)
    return {"kudos": True, "kudos_count": social.kudos_count(item)}


@blp.delete("/activities/<int:activity_id>/kudos")
@api_login_required
@blp.response(200, KudosStateSchema)
def take_back_kudos(activity_id):
    """Take your kudos back."""
    item = activities.get_visible(activity_id, current_user)
    social.take_back_kudos(item, current_user)
    return {"kudos": False, "kudos_count": social.kudos_count(item)}


@blp.get("/activities/<int:activity_id>/comments")
@blp.response(200, CommentSchema(many=True))
def list_comments(activity_id):
    """Comments, oldest first."""
    return social.comments_of(activities.get_visible(activity_id, current_user))


@blp.post("/activities/<int:activity_id>/comments")
@api_login_required
@blp.arguments(CommentCreateSchema)
@blp.response(201, CommentSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def add_comment(data, activity_id):
    """Comment on an activity you can see."""
    return social.add_comment(activities.get_visible(activity_id, current_user), current_user, data["body"])


@blp.delete("/activities/<int:activity_id>/comments/<int:comment_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def delete_comment(activity_id, comment_id):
    """Delete a comment (its author, or the activity's owner)."""
    item = activities.get_visible(activity_id, current_user)
    social.delete_comment(social.get_comment(item, comment_id), item, current_user)


def _settings_body(row) -> dict:
    return {"distance_unit": row.distance_unit, "weekly_goal_km": units.km(row.weekly_goal_m) if row.weekly_goal_m
            else None}


@blp.get("/me/fitness-settings")
@api_login_required
@blp.response(200, FitnessSettingsSchema)
def get_fitness_settings():
    """Your distance unit on pages and your own weekly goal."""
    return _settings_body(activities.settings_of(current_user))


@blp.put("/me/fitness-settings")
@api_login_required
@blp.arguments(FitnessSettingsSchema)
@blp.response(200, FitnessSettingsSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def set_fitness_settings(data):
    """Your distance unit on pages: km or mi (the API always speaks km, or mi where named); your own weekly
    goal in km (null: none). Fields left out stay as they are."""
    goal = {"weekly_goal_m": units.to_metres(data["weekly_goal_km"]) if data["weekly_goal_km"] is not None
            else None} if "weekly_goal_km" in data else {}
    return _settings_body(activities.set_settings(current_user, unit=data.get("distance_unit"), **goal))


@blp.get("/me/fitness-weeks")
@api_login_required
@blp.response(200, WeeklyChartSchema)
def my_weeks():
    """Your last 12 weeks (all your activities, your time zone), against your own weekly goal."""
    goal = activities.settings_of(current_user).weekly_goal_m
    return stats.chart_summary(stats.weekly_totals(current_user, 12), goal)
