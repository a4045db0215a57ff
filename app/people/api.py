"""People in the JSON API under /api/v1: the @mention picker's look-up."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from app.api_support import api_login_required, exempt_from_form_csrf
from app.people import services

blp = Blueprint("people_api", __name__, url_prefix="/api/v1", description="People")
exempt_from_form_csrf(blp)


class SuggestArgs(ma.Schema):
    q = ma.fields.String(load_default="", metadata={
        "description": f"the start of a username or of a word of a display name (1-{services.SUGGEST_MAX_QUERY} "
                       "characters; a leading @ is ignored)"})


class SuggestedPersonSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()
    avatar_url = ma.fields.Function(lambda user: f"/u/{user.username}/avatar" if user.avatar_file else None,
                                    metadata={"type": "string", "format": "uri-reference", "nullable": True})
    profile_url = ma.fields.Function(lambda user: f"/u/{user.username}",
                                     metadata={"type": "string", "format": "uri-reference"})


class SuggestionsSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SuggestedPersonSchema), metadata={
        "description": f"at most {services.SUGGEST_RESULTS}, usernames that match first"})


@blp.get("/people/suggest")
@api_login_required
@blp.arguments(SuggestArgs, location="query")
@blp.response(200, SuggestionsSchema)
@blp.alt_response(400, response="BAD_REQUEST")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def suggest(args):
    """Members to @mention: listed in the directory and active, never one who
    blocked you; 60 look-ups a minute."""
    return {"items": services.suggest(current_user, args["q"])}
