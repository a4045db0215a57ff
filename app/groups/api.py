"""Groups in the JSON API under /api/v1 (activities are in
`activity_api.py`, on the same blueprint): thin over the same services as
the pages.

A private group does not exist (404) for anyone but its members, in every
endpoint that shows its content (detail, members, feed, leaderboard,
challenges); joining it (POST .../members) is how a non-member asks in.
"""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from app.accounts import services as accounts
from app.api_support import (
    PageArgs,
    api_login_required,
    exempt_from_form_csrf,
    paginate,
)
from app.exceptions import NotFound, ValidationFailed
from app.groups import access, activities, challenges, services, stats, units
from app.groups.schemas import (
    ActivityPageSchema,
    ChallengeCreateSchema,
    ChallengeDetailSchema,
    ChallengeSchema,
    GroupCreateSchema,
    GroupDetailSchema,
    GroupListArgs,
    GroupPageSchema,
    GroupUpdateSchema,
    JoinRequestSchema,
    JoinResultSchema,
    LeaderboardArgs,
    LeaderboardSchema,
    MemberSchema,
    RoleSchema,
    TransferSchema,
    WeeklyChartSchema,
)
from app.i18n import N_

blp = Blueprint("groups_api", __name__, url_prefix="/api/v1",
                description="Groups, activities, leaderboards and challenges")
exempt_from_form_csrf(blp)
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


class _Parser(FlaskParser):
    """Form fields and files read as one body, so one schema validates both."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


parser = _Parser()


def _metres(value) -> int | None:
    return units.to_metres(value, "km") if value is not None else None


def _user(username: str):
    user = accounts.get_by_username(username)
    if user is None:
        raise NotFound(N_("No educator with that username."))
    return user


# Groups ------------------------------------------------------------------------------------------

def _group_fields(data: dict) -> dict:
    fields = {}
    for key in ("name", "description", "visibility", "timezone"):
        if key in data:
            fields[key] = data[key]
    if "focus" in data or "sport" in data:
        fields["focus"] = data.get("focus") or data.get("sport")
    if "weekly_goal_km" in data:
        fields["weekly_goal_m"] = _metres(data["weekly_goal_km"])
    if "group_goal_km" in data:
        fields["group_goal_m"] = _metres(data["group_goal_km"])
    return fields


def _week(board) -> dict:
    """This week's figures, as the group page shows them to anyone who may see the group."""
    goal = board.group_goal
    mine = board.row_for(current_user.id) if current_user.is_authenticated else None
    return {"starts_at": board.period.start, "ends_at": board.period.end, "total_km": units.km(board.total_m),
            "group_goal_km": units.km(board.group.group_goal_m) if board.group.group_goal_m else None,
            "goal_km": units.km(goal.goal_m) if goal else None, "goal_basis": goal.basis if goal else None,
            "members": len(board.rows), "my_km": units.km(mine.distance_m) if mine else None}


def _detail(group, member) -> dict:
    week = _week(stats.leaderboard(group, "week")) if group.tracks_fitness else None
    group.members_only_activities = activities.members_only_count(group, member) if group.tracks_fitness else 0
    group.member_count = services.member_count(group)
    group.my_role = member.role if member else None
    group.pending_requests = services.pending_count(group) if member and member.is_admin else None
    group.week = week
    group.request_pending = access.has_requested(group, current_user) if member is None else False
    return group


@blp.post("/groups")
@api_login_required
@blp.arguments(GroupCreateSchema)
@blp.response(201, GroupDetailSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_group(data):
    """Create a group; you become its owner."""
    fields = _group_fields(data)
    if "focus" not in fields:
        raise ValidationFailed({"focus": N_("Pick running, cycling, walking, swimming, mixed or interest.")})
    group = services.create_group(current_user, **fields)
    return _detail(group, access.membership(group, current_user))


@blp.get("/groups")
@blp.arguments(GroupListArgs, location="query")
@blp.response(200, GroupPageSchema)
def list_groups(args):
    """Public groups and your own, most members first."""
    result = paginate(services.directory(current_user, focus=args.get("focus"), mine=args["mine"]),
                      args["page"], args["per_page"])
    groups = result["items"]
    counts = services.member_counts([group.id for group in groups])
    roles = services.roles_of(current_user, [group.id for group in groups])
    for group in groups:
        group.member_count = counts.get(group.id, 0)
        group.my_role = roles.get(group.id)
    return result


@blp.get("/groups/<int:group_id>")
@blp.response(200, GroupDetailSchema)
def get_group(group_id):
    """A group, with this week's totals (for anyone who may see the group, as on its page). Private groups:
    members only."""
    group, member = access.get_visible(group_id, current_user)
    return _detail(group, member)


@blp.patch("/groups/<int:group_id>")
@api_login_required
@blp.arguments(GroupUpdateSchema)
@blp.response(200, GroupDetailSchema)
@blp.alt_response(403, response="FORBIDDEN")
def update_group(data, group_id):
    """Change a group (owner and admins); omitted fields stay as they are."""
    group, member = access.get_visible(group_id, current_user)
    services.update_group(group, current_user, **_group_fields(data))
    return _detail(group, member)


@blp.delete("/groups/<int:group_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def delete_group(group_id):
    """Delete a group (owner only)."""
    group, _member = access.get_visible(group_id, current_user)
    services.delete_group(group, current_user)


@blp.get("/groups/<int:group_id>/members")
@blp.response(200, MemberSchema(many=True))
def list_members(group_id):
    """Members with their roles: owner, admins, then members by name."""
    group, _member = access.get_visible(group_id, current_user)
    return services.members(group)


@blp.post("/groups/<int:group_id>/members")
@api_login_required
@blp.response(201, JoinResultSchema)
def join_group(group_id):
    """Join a public group ("member"), or ask to join a private one ("pending")."""
    return {"status": services.join(access.get_group(group_id), current_user)}


@blp.delete("/groups/<int:group_id>/members")
@api_login_required
@blp.response(204)
@blp.alt_response(409, response="CONFLICT")
def leave_group(group_id):
    """Leave a group, or withdraw a request to join it. The owner hands over first."""
    services.leave(access.get_group(group_id), current_user)


@blp.delete("/groups/<int:group_id>/members/<string:username>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
def remove_member(group_id, username):
    """Remove a member (owner, or an admin removing a member)."""
    group, _member = access.get_visible(group_id, current_user)
    services.remove_member(group, current_user, _user(username))


@blp.patch("/groups/<int:group_id>/members/<string:username>")
@api_login_required
@blp.arguments(RoleSchema)
@blp.response(200, MemberSchema)
@blp.alt_response(403, response="FORBIDDEN")
def set_role(data, group_id, username):
    """Make a member an admin or a plain member again (owner only)."""
    group, _member = access.get_visible(group_id, current_user)
    return services.set_role(group, current_user, _user(username), data["role"])


@blp.post("/groups/<int:group_id>/owner")
@api_login_required
@blp.arguments(TransferSchema)
@blp.response(200, MemberSchema)
@blp.alt_response(403, response="FORBIDDEN")
def transfer_ownership(data, group_id):
    """Hand the group over to another member; you stay on as an admin."""
    group, _member = access.get_visible(group_id, current_user)
    return services.transfer_ownership(group, current_user, _user(data["username"]))


@blp.get("/groups/<int:group_id>/requests")
@api_login_required
@blp.response(200, JoinRequestSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN")
def list_requests(group_id):
    """Requests to join, oldest first (owner and admins)."""
    group, _member = access.get_visible(group_id, current_user)
    access.require_admin(group, current_user)
    return services.pending_requests(group)


@blp.post("/groups/<int:group_id>/requests/<string:username>/approve")
@api_login_required
@blp.response(200, MemberSchema)
@blp.alt_response(403, response="FORBIDDEN")
def approve_request(group_id, username):
    """Let someone in (owner and admins)."""
    group, _member = access.get_visible(group_id, current_user)
    return services.approve(group, current_user, _user(username))


@blp.delete("/groups/<int:group_id>/requests/<string:username>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def reject_request(group_id, username):
    """Decline a request to join (owner and admins)."""
    group, _member = access.get_visible(group_id, current_user)
    services.reject(group, current_user, _user(username))


@blp.get("/groups/<int:group_id>/leaderboard")
@blp.arguments(LeaderboardArgs, location="query")
@blp.response(200, LeaderboardSchema)
def leaderboard(args, group_id):
    """Every member's distance, activities and moving time this week, this
    month or all time, in the group's time zone. Order: the `by` measure,
    then distance, then username."""
    group, _member = access.get_visible(group_id, current_user)
    return stats.leaderboard(group, args["period"], args["by"])


@blp.get("/groups/<int:group_id>/weeks")
@blp.response(200, WeeklyChartSchema)
def group_weeks(group_id):
    """The group's last 12 weeks (what counts for it, in its time zone), against its whole weekly goal."""
    group, _member = access.get_visible(group_id, current_user)
    goal = stats.leaderboard(group, "week").group_goal
    return stats.chart_summary(stats.group_weekly_totals(group, 12), goal.goal_m if goal else None,
                               goal.basis if goal else None)


@blp.get("/groups/<int:group_id>/activities")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ActivityPageSchema)
def group_feed(args, group_id):
    """The group's feed: activities that count for it, newest first."""
    group, member = access.get_visible(group_id, current_user)
    return paginate(activities.feed_query(group, member), args["page"], args["per_page"])


# Challenges --------------------------------------------------------------------------------------

@blp.get("/groups/<int:group_id>/challenges")
@blp.response(200, ChallengeSchema(many=True))
def list_challenges(group_id):
    """Running and coming challenges, then past ones."""
    group, _member = access.get_visible(group_id, current_user)
    return challenges.for_group(group)


@blp.post("/groups/<int:group_id>/challenges")
@api_login_required
@blp.arguments(ChallengeCreateSchema)
@blp.response(201, ChallengeDetailSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_challenge(data, group_id):
    """Set a challenge (owner and admins): target_km for distance, target_days for days."""
    group, _member = access.get_visible(group_id, current_user)
    if data["kind"] == "distance":
        target = _metres(data.get("target_km"))
        missing = "target_km"
    else:
        target = data.get("target_days")
        missing = "target_days"
    if target is None:
        raise ValidationFailed({missing: N_("Give the target.")})
    challenge = challenges.create_challenge(group, current_user, title=data["title"], kind=data["kind"],
                                            target=target, sport=data.get("sport"), starts_on=data["starts_on"],
                                            ends_on=data["ends_on"])
    return _challenge_detail(challenge)


def _challenge_detail(challenge):
    rows = challenges.progress(challenge)
    challenge.progress = [{"user": row["user"], "completed": row["completed"],
                           "value": units.km(row["value"]) if challenge.kind == "distance" else row["value"]}
                          for row in rows]
    return challenge


@blp.get("/groups/<int:group_id>/challenges/<int:challenge_id>")
@blp.response(200, ChallengeDetailSchema)
def get_challenge(group_id, challenge_id):
    """A challenge with everyone's progress, furthest first."""
    group, _member = access.get_visible(group_id, current_user)
    challenge = challenges.get_challenge(challenge_id)
    if challenge.group_id != group.id:
        raise NotFound(N_("No such challenge."))
    return _challenge_detail(challenge)


@blp.delete("/groups/<int:group_id>/challenges/<int:challenge_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN")
def delete_challenge(group_id, challenge_id):
    """Delete a challenge and its badges (owner and admins)."""
    group, _member = access.get_visible(group_id, current_user)
    challenge = challenges.get_challenge(challenge_id)
    if challenge.group_id != group.id:
        raise NotFound(N_("No such challenge."))
    challenges.delete_challenge(challenge, current_user)
