"""Showcase schools, their checklist and applications, and the collaboration
board in the JSON API (on programmes_api's blueprint)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.api_support import api_login_required, page_schema, paginate
from app.exceptions import Forbidden, ValidationFailed
from app.i18n import N_
from app.programmes import collaborate, geo, schools
from app.programmes.api import blp
from app.programmes.schemas import (
    BoardArgs,
    ChecklistEntrySchema,
    ChecklistItemSchema,
    CollabDetailSchema,
    CollabMatchSchema,
    CollabOfferSchema,
    CollabRequestSchema,
    DirectoryArgs,
    DirectorySchema,
    SchoolSchema,
    SchoolUpdateSchema,
    ShowcaseApplicationSchema,
    ShowcaseWindowSchema,
)

CollabPageSchema = page_schema(CollabRequestSchema, "CollabRequestPage")


# Schools -------------------------------------------------------------------------------------------

@blp.get("/schools")
@blp.arguments(DirectoryArgs, location="query")
@blp.response(200, DirectorySchema)
def list_schools(args):
    """Showcase and incubator schools, filtered by country and city; nearest
    first from lat/lon or a city key (`near`), by great-circle distance."""
    origin = None
    if "lat" in args and "lon" in args:
        origin = (args["lat"], args["lon"])
    elif args.get("near"):
        origin = geo.city_point(args["near"])
        if origin is None:
            raise ValidationFailed({"near": _l("Known cities: %(cities)s.", cities=", ".join(sorted(geo.CITIES)))})
    return schools.directory(country=args.get("country"), city=args.get("city"), origin=origin)


@blp.post("/schools")
@api_login_required
@blp.arguments(SchoolSchema)
@blp.response(201, SchoolSchema)
def create_school(data):
    """Register a school; you become its first leader and it starts on the incubator path."""
    return schools.create_school(current_user, **data)


@blp.get("/schools/<int:school_id>")
@blp.response(200, SchoolSchema)
def get_school(school_id):
    return schools.get_school(school_id)


@blp.patch("/schools/<int:school_id>")
@api_login_required
@blp.arguments(SchoolUpdateSchema)
@blp.response(200, SchoolSchema)
@blp.alt_response(403, response="FORBIDDEN")
def update_school(data, school_id):
    return schools.update_school(schools.get_school(school_id), current_user, **data)


# The incubator checklist ----------------------------------------------------------------------------

@blp.get("/checklist-items")
@blp.response(200, ChecklistItemSchema(many=True))
def list_checklist_items():
    """The incubator path's criteria, in order."""
    return schools.checklist_items()


@blp.post("/checklist-items")
@api_login_required
@blp.arguments(ChecklistItemSchema)
@blp.response(201, ChecklistItemSchema)
@blp.alt_response(403, response="FORBIDDEN")
def create_checklist_item(data):
    return schools.save_checklist_item(current_user, **data)


@blp.patch("/checklist-items/<int:item_id>")
@api_login_required
@blp.arguments(ChecklistItemSchema)
@blp.response(200, ChecklistItemSchema)
@blp.alt_response(403, response="FORBIDDEN")
def update_checklist_item(data, item_id):
    return schools.save_checklist_item(current_user, item_id=item_id, **data)


@blp.get("/schools/<int:school_id>/checklist")
@blp.response(200, ChecklistEntrySchema(many=True))
def school_checklist(school_id):
    """The items this school has ticked, with their evidence."""
    return list(schools.entries(schools.get_school(school_id)).values())


@blp.put("/schools/<int:school_id>/checklist/<int:item_id>")
@api_login_required
@blp.arguments(ChecklistEntrySchema)
@blp.response(200, ChecklistEntrySchema)
@blp.alt_response(403, response="FORBIDDEN")
def tick_item(data, school_id, item_id):
    """Tick an item with its evidence (the school's leaders)."""
    return schools.tick(schools.get_school(school_id), current_user, item_id, **data)


@blp.delete("/schools/<int:school_id>/checklist/<int:item_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def untick_item(school_id, item_id):
    schools.untick(schools.get_school(school_id), current_user, item_id)


# Becoming a Showcase School ----------------------------------------------------------------------------

@blp.get("/showcase-windows")
@blp.response(200, ShowcaseWindowSchema(many=True))
def list_windows():
    """The application windows (two a year)."""
    return schools.windows()


@blp.post("/schools/<int:school_id>/showcase-applications")
@api_login_required
@blp.arguments(ShowcaseApplicationSchema)
@blp.response(201, ShowcaseApplicationSchema)
@blp.alt_response(409, response="CONFLICT")
def apply_showcase(data, school_id):
    """Apply in the open window once the checklist is complete; 409 outside a window."""
    return schools.apply(schools.get_school(school_id), current_user, data["statement"])


@blp.get("/schools/<int:school_id>/showcase-applications")
@blp.response(200, ShowcaseApplicationSchema(many=True))
def school_applications(school_id):
    return schools.applications_of(schools.get_school(school_id))


@blp.post("/showcase-applications/<int:application_id>/accept")
@api_login_required
@blp.response(200, ShowcaseApplicationSchema)
@blp.alt_response(403, response="FORBIDDEN")
def accept_showcase(application_id):
    return schools.decide(current_user, application_id, True)


@blp.post("/showcase-applications/<int:application_id>/decline")
@api_login_required
@blp.response(200, ShowcaseApplicationSchema)
@blp.alt_response(403, response="FORBIDDEN")
def decline_showcase(application_id):
    return schools.decide(current_user, application_id, False)


# The collaboration board -----------------------------------------------------------------------------------

@blp.get("/collaboration/requests")
@blp.arguments(BoardArgs, location="query")
@blp.response(200, CollabPageSchema)
def list_requests(args):
    statement = collaborate.open_requests(subject=args.get("subject"), language=args.get("language"))
    return paginate(statement, args["page"], args["per_page"])


@blp.post("/collaboration/requests")
@api_login_required
@blp.arguments(CollabRequestSchema)
@blp.response(201, CollabRequestSchema)
def create_request(data):
    """Post a request with a weekly time window in your time zone."""
    return collaborate.create_request(current_user, title=data["title"], body=data["body"],
                                      subject=data["subject"], age_range=data["age_range"],
                                      language=data["language"], timezone=data.get("timezone"),
                                      weekdays=data["weekday_numbers"], start_minute=data["start_minute"],
                                      end_minute=data["end_minute"])


@blp.get("/collaboration/requests/<int:request_id>")
@blp.response(200, CollabDetailSchema)
def get_request(request_id):
    return collaborate.get_request(request_id)


@blp.post("/collaboration/requests/<int:request_id>/offers")
@api_login_required
@blp.arguments(CollabOfferSchema)
@blp.response(201, CollabOfferSchema)
@blp.alt_response(409, response="CONFLICT")
def offer_help(data, request_id):
    return collaborate.offer_help(collaborate.get_request(request_id), current_user, data["message"])


@blp.get("/collaboration/requests/<int:request_id>/matches")
@api_login_required
@blp.response(200, CollabMatchSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN")
def request_matches(request_id):
    """Members who could help (the request's author only)."""
    item = collaborate.get_request(request_id)
    if item.author_id != current_user.id:
        raise Forbidden(N_("Only the request's author sees suggested helpers."))
    return collaborate.suggestions_for_request(item)


@blp.get("/collaboration/suggestions")
@api_login_required
@blp.response(200, CollabMatchSchema(many=True))
def my_suggestions():
    """Open requests that fit your languages, subjects and working hours."""
    return collaborate.suggestions_for_member(current_user)
