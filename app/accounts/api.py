"""Accounts in the JSON API: /api/v1/users, /tokens and /me."""

from __future__ import annotations

from flask import g, request
from flask_login import current_user
from flask_smorest import Blueprint

from app.accounts import services, sessions
from app.accounts.limits import register_limit
from app.accounts.schemas import (
    MeSchema,
    ProfileUpdateSchema,
    PublicUserSchema,
    SessionListSchema,
    TokenCreateSchema,
    TokenSchema,
    UserCreateSchema,
)
from app.api_support import BEARER, api_login_required, exempt_from_form_csrf
from app.exceptions import AuthenticationFailed, NotFound
from app.i18n import N_

blp = Blueprint("accounts_api", __name__, url_prefix="/api/v1", description="Accounts, profiles and tokens")
exempt_from_form_csrf(blp)


@blp.post("/users")
@register_limit
@blp.arguments(UserCreateSchema)
@blp.response(201, MeSchema)
@blp.alt_response(409, response="CONFLICT")
def create_user(data):
    """Register an educator."""
    return services.register(**data)


@blp.post("/tokens")
@blp.arguments(TokenCreateSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def create_token(data):
    """Exchange a login (username or email) and password for a bearer token.

    Failed attempts are limited per account (from any address) and per
    client address; a limited attempt gets 429 with Retry-After before the
    password is checked."""
    user = services.authenticate(data["login"], data["password"], address=request.remote_addr)
    token, _row = services.issue_token(user, data.get("name", "api"))
    return {"token": token, "user": user}


@blp.delete("/tokens/current")
@blp.response(204)
@blp.doc(security=BEARER)
def revoke_current_token():
    """Revoke the bearer token this request was made with."""
    row = g.get("api_token")
    if row is None:
        raise AuthenticationFailed(N_("Send the token to revoke as Authorization: Bearer <token>."))
    services.revoke_token(row)
    return None


@blp.get("/me")
@api_login_required
@blp.response(200, MeSchema)
def get_me():
    """The signed-in educator's own profile."""
    return current_user


@blp.patch("/me")
@api_login_required
@blp.arguments(ProfileUpdateSchema)
@blp.response(200, MeSchema)
def update_me(data):
    """Change profile fields; omitted fields stay as they are."""
    return services.update_profile(current_user, **data)


@blp.get("/me/sessions")
@api_login_required
@blp.response(200, SessionListSchema)
def list_my_sessions():
    """Where you are signed in on the site (browser sessions), newest use first."""
    user = current_user._get_current_object()
    current = sessions.current_id(user)
    return {"items": [
        {"id": row.id, "device": sessions.device(row.user_agent), "ip": row.ip, "created_at": row.created_at,
         "last_seen_at": row.last_seen_at, "current": row.id == current}
        for row in sessions.list_for(user)]}


@blp.delete("/me/sessions/<int:session_id>")
@api_login_required
@blp.response(204)
def end_my_session(session_id):
    """Sign out one of your sessions: its cookies stop working at once."""
    if not sessions.end(current_user._get_current_object(), session_id):
        raise NotFound(N_("You have no session with that id."))
    return None


@blp.get("/users/<string:username>")
@blp.response(200, PublicUserSchema)
def get_user(username):
    """An educator's public profile. Their resources and accepted answers:
    `/users/<username>/resources`, `/users/<username>/answers`."""
    return services.public_member(username)
