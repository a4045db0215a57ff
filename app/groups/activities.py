"""Activity rules: logging by hand or from a GPX or FIT file, editing, deleting,
who may see an activity, and the member's distance unit.

Visibility: "public" for anyone with the link, "groups" for members of any
group the owner belongs to, "private" for the owner alone. Private
activities count only on the owner's own page: group totals and
leaderboards add up public and group activities, so nothing about a
private activity reaches anyone else. An activity counts for every group
its owner belongs to whose focus is its sport (all sports for mixed groups).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import defaultload

from app.accounts.models import User
from app.db_types import utcnow
from app.exceptions import Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.groups import challenges, fit, photos, totals, tracks, units
from app.groups.models import ACTIVITY_VISIBILITIES, SPORTS, UNITS, Activity, FitnessSettings, Group, Membership
from app.i18n import N_, for_member
from app.text import render_markdown

COUNTED_VISIBILITIES = ("public", "groups")
# Lists show the author's name, never their subjects or age ranges: don't load those.
AUTHOR_ONLY = defaultload(Activity.user).lazyload("*")
# What one activity can plausibly be: longest distance and fastest average speed.
MAX_KM = {"run": 250, "walk": 200, "ride": 1200, "swim": 50}
MAX_KMH = {"run": 45, "walk": 15, "ride": 120, "swim": 12}
SPORT_NOUNS = {"run": N_("run"), "walk": N_("walk"), "ride": N_("ride"), "swim": N_("swim")}
MAX_DURATION_S = 100 * 3600
MAX_WEEKLY_GOAL_M = 10_000_000  # 10,000 km, as for a group's goals
EARLIEST = date(1990, 1, 1)
FUTURE_SLACK = timedelta(minutes=5)  # clocks differ a little
EDITABLE = ("sport", "distance_m", "duration_s", "day", "start_time", "started_at", "title", "notes",
            "visibility", "elevation_gain_m")


# Settings --------------------------------------------------------------------------

def unit_of(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "km"
    row = db.session.get(FitnessSettings, user.id)
    return row.distance_unit if row else "km"


def set_unit(user: User, unit: str) -> str:
    return set_settings(user, unit=unit).distance_unit


def settings_of(user: User) -> FitnessSettings:
    """The member's settings; defaults (km, no goal) without a row."""
    return db.session.get(FitnessSettings, user.id) or FitnessSettings(user_id=user.id, distance_unit="km")


def set_settings(user: User, *, unit: str | None = None, weekly_goal_m: int | None | object = ...) -> FitnessSettings:
    """Change the distance unit and/or the member's own weekly goal (None: no goal);
    what is left out stays as it was."""
    if unit is not None and unit not in UNITS:
        raise ValidationFailed({"distance_unit": N_("Choose km or mi.")})
    if weekly_goal_m is not ... and weekly_goal_m is not None and not (0 < weekly_goal_m <= MAX_WEEKLY_GOAL_M):
        raise ValidationFailed({"weekly_goal": N_("A weekly goal is more than 0 and at most 10,000 km.")})
    row = settings_of(user)
    if unit is not None:
        row.distance_unit = unit
    if weekly_goal_m is not ...:
        row.weekly_goal_m = weekly_goal_m
    db.session.add(row)
    db.session.commit()
    return row


# Validation -------------------------------------------------------------------------

# An activity's title when its member gives none, one whole phrase per sport
# and part of the day, so each language can word it its own way.
_PARTS = ((5, "night"), (12, "morning"), (14, "lunch"), (18, "afternoon"), (22, "evening"), (24, "night"))
DEFAULT_TITLES = {
    ("run", "morning"): N_("Morning run"), ("run", "lunch"): N_("Lunch run"),
    ("run", "afternoon"): N_("Afternoon run"), ("run", "evening"): N_("Evening run"),
    ("run", "night"): N_("Night run"),
    ("ride", "morning"): N_("Morning ride"), ("ride", "lunch"): N_("Lunch ride"),
    ("ride", "afternoon"): N_("Afternoon ride"), ("ride", "evening"): N_("Evening ride"),
    ("ride", "night"): N_("Night ride"),
    ("walk", "morning"): N_("Morning walk"), ("walk", "lunch"): N_("Lunch walk"),
    ("walk", "afternoon"): N_("Afternoon walk"), ("walk", "evening"): N_("Evening walk"),
    ("walk", "night"): N_("Night walk"),
    ("swim", "morning"): N_("Morning swim"), ("swim", "lunch"): N_("Lunch swim"),
    ("swim", "afternoon"): N_("Afternoon swim"), ("swim", "evening"): N_("Evening swim"),
    ("swim", "night"): N_("Night swim"),
    (None, "morning"): N_("Morning activity"), (None, "lunch"): N_("Lunch activity"),
    (None, "afternoon"): N_("Afternoon activity"), (None, "evening"): N_("Evening activity"),
    (None, "night"): N_("Night activity"),
}


def _default_title(sport: str, local: datetime, owner: User) -> str:
    """The title is stored, so it is written once, in its member's language."""
    part = next(name for end, name in _PARTS if local.hour < end)
    title = DEFAULT_TITLES.get((sport, part)) or DEFAULT_TITLES[(None, part)]
    with for_member(owner):
        return gettext(title)


def _start(fields: dict, zone: str, errors: dict[str, str]) -> datetime | None:
    """The UTC start from `started_at` (aware), or from `day` and `start_time` in the member's zone."""
    if fields.get("started_at") is not None:
        started = fields["started_at"]
        if started.tzinfo is None:
            errors["started_at"] = N_("Give the time with its UTC offset, e.g. 2026-11-21T07:30:00+00:00.")
            return None
        return started.astimezone(timezone.utc)
    day = fields.get("day")
    if day is None:
        errors["date"] = N_("Give the date of the activity.")
        return None
    clock = fields.get("start_time")
    if clock is None:
        # Noon, or now if today and noon has not come yet.
        now_local = utcnow().astimezone(ZoneInfo(zone))
        clock = time(12, 0) if day != now_local.date() or now_local.hour >= 12 else now_local.time().replace(
            second=0, microsecond=0)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def _check(values: dict, zone: str, unit: str, errors: dict[str, str]) -> None:
    sport = values.get("sport")
    if sport not in SPORTS:
        errors["sport"] = N_("Pick run, ride, walk or swim.")
    distance = values.get("distance_m")
    if distance is None:
        errors["distance"] = N_("Give the distance.")
    elif distance < 0:
        errors["distance"] = N_("A distance can't be negative.")
    elif sport in MAX_KM and distance > MAX_KM[sport] * 1000:
        limit = units.format_distance(MAX_KM[sport] * 1000, unit, compact=True)
        typed = units.format_distance(distance, unit, compact=True)
        errors["distance"] = _l("A %(distance)s %(sport)s is not plausible: the most we accept for one %(sport)s "
                                "is %(limit)s. Check the distance and its unit.",
                                distance=typed, sport=_l(SPORT_NOUNS[sport]), limit=limit)
    duration = values.get("duration_s")
    if duration is None:
        errors["duration"] = N_("Give the duration, e.g. 45:00 or 1:02:30.")
    elif duration <= 0:
        errors["duration"] = N_("The duration must be more than zero.")
    elif duration > MAX_DURATION_S:
        errors["duration"] = N_("One activity can last at most 100 hours.")
    elif distance and sport in MAX_KMH and "distance" not in errors:
        if distance * 3.6 / duration > MAX_KMH[sport]:
            errors["duration"] = _l("That is faster than anyone can %(sport)s (%(speed)s). Check the distance, "
                                    "the unit and the duration.", sport=_l(SPORT_NOUNS[sport]),
                                    speed=units.format_pace("ride", distance, duration, unit))
    elevation = values.get("elevation_gain_m")
    if elevation is not None and not (0 <= elevation <= 20_000):
        errors["elevation_gain"] = N_("Elevation gain is between 0 and 20,000 m.")
    started = values.get("started_at")
    if started is not None:
        local = started.astimezone(ZoneInfo(zone))
        if started > utcnow() + FUTURE_SLACK:
            field = "start_time" if local.date() == units_today(zone) else "date"
            errors[field] = _l("That is in the future in your time zone (%(zone)s). Log activities once they are "
                               "done.", zone=zone)
        elif local.date() < EARLIEST:
            errors["date"] = N_("Give a date after 1 January 1990.")
    if values.get("visibility") not in ACTIVITY_VISIBILITIES:
        errors["visibility"] = N_("Visibility is public, groups or private.")
    if len(values.get("title") or "") > 120:
        errors["title"] = N_("Use at most 120 characters.")
    if len(values.get("notes") or "") > 5000:
        errors["notes"] = N_("Use at most 5,000 characters.")


def units_today(zone: str) -> date:
    return utcnow().astimezone(ZoneInfo(zone)).date()


def _apply(activity: Activity, values: dict, zone: str, owner: User) -> None:
    for key in ("sport", "distance_m", "duration_s", "elevation_gain_m", "visibility", "started_at"):
        if key in values:
            setattr(activity, key, values[key])
    activity.timezone = zone
    local = activity.started_at.astimezone(ZoneInfo(zone))
    activity.started_on = local.date()
    title = " ".join((values.get("title", activity.title) or "").split())
    activity.title = title or _default_title(activity.sport, local, owner)
    if "notes" in values:
        activity.notes_md = values["notes"] or ""
        activity.notes_html = render_markdown(activity.notes_md)


# Logging, editing, deleting ----------------------------------------------------------

def log_activity(user: User, *, sport: str, distance_m: int | None = None, duration_s: int | None = None,
                 day: date | None = None, start_time: time | None = None, started_at: datetime | None = None,
                 title: str = "", notes: str = "", visibility: str = "groups",
                 elevation_gain_m: int | None = None, gpx_data: bytes | None = None,
                 unit: str | None = None) -> Activity:
    """Log an activity by hand, or from a GPX or FIT file in `gpx_data`
    (whose distance, moving time, elevation gain and start time win over
    the typed values, and so does a FIT file's sport)."""
    zone = user.timezone or "UTC"
    unit = unit or unit_of(user)
    track = tracks.read(gpx_data) if gpx_data is not None else None
    if track is not None and track.sport:
        sport = track.sport
    errors: dict[str, str] = {}
    values = {"sport": sport, "distance_m": distance_m, "duration_s": duration_s, "title": title,
              "notes": notes, "visibility": visibility, "elevation_gain_m": elevation_gain_m}
    if track is not None:
        values["distance_m"] = track.distance_m
        values["duration_s"] = track.moving_s or duration_s
        values["elevation_gain_m"] = track.elevation_gain_m
    values["started_at"] = (track.started_at if track is not None and track.started_at else
                            _start({"started_at": started_at, "day": day, "start_time": start_time}, zone, errors))
    _check(values, zone, unit, errors)
    if track is not None and values["duration_s"] is None:  # says why, over _check's general message
        errors["duration"] = _l("This %(kind)s file has no times: give the duration.", kind=_source(gpx_data).upper())
    if errors:
        raise ValidationFailed(errors)
    activity = Activity(user_id=user.id, source=_source(gpx_data) if track else "manual",
                        route_points=track.route_points if track else None)
    _apply(activity, values, zone, user)
    db.session.add(activity)
    db.session.flush()
    totals.adjust(None, totals.snapshot(activity))
    challenges.refresh_for_user(user)
    db.session.commit()
    return activity


def _source(data: bytes) -> str:
    return "fit" if fit.looks_like_fit(data) else "gpx"


def update_activity(activity: Activity, by: User, *, unit: str | None = None, **fields) -> Activity:
    if activity.user_id != by.id:
        raise Forbidden(N_("Only the member who logged an activity can change it."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationFailed({name: N_("Unknown field.") for name in unknown})
    zone = by.timezone or "UTC"
    errors: dict[str, str] = {}
    values = {"sport": activity.sport, "distance_m": activity.distance_m, "duration_s": activity.duration_s,
              "elevation_gain_m": activity.elevation_gain_m, "title": activity.title,
              "notes": activity.notes_md, "visibility": activity.visibility, "started_at": activity.started_at}
    values.update({key: fields[key] for key in fields if key in values})
    if {"day", "start_time"} & fields.keys() and "started_at" not in fields:
        local = activity.started_at.astimezone(ZoneInfo(zone))
        values["started_at"] = _start({"day": fields.get("day") or local.date(),
                                       "start_time": fields.get("start_time") or local.time()}, zone, errors)
    _check(values, zone, unit or unit_of(by), errors)
    if errors:
        raise ValidationFailed(errors)
    before = totals.snapshot(activity)
    _apply(activity, values, zone, by)
    db.session.flush()
    totals.adjust(before, totals.snapshot(activity))
    challenges.refresh_for_user(by)
    db.session.commit()
    return activity


def delete_activity(activity: Activity, by: User) -> None:
    """Delete the activity, then its photos' files."""
    if activity.user_id != by.id:
        raise Forbidden(N_("Only the member who logged an activity can delete it."))
    photo_files = photos.files_of(Activity.id == activity.id)
    totals.adjust(totals.snapshot(activity), None)
    db.session.delete(activity)
    db.session.flush()
    challenges.refresh_for_user(by)
    db.session.commit()
    photos.delete_files(photo_files)


# Seeing activities --------------------------------------------------------------------

def shares_a_group(owner_id: int, viewer) -> bool:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    mine = select(Membership.group_id).where(Membership.user_id == viewer.id)
    return bool(db.session.scalar(select(exists().where(Membership.user_id == owner_id,
                                                        Membership.group_id.in_(mine)))))


def can_view(activity: Activity, viewer) -> bool:
    if viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.id == activity.user_id:
        return True
    if activity.visibility == "public":
        return True
    if activity.visibility == "groups":
        return shares_a_group(activity.user_id, viewer)
    return False


def get_visible(activity_id: int, viewer) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None or not can_view(activity, viewer):
        raise NotFound(N_("No such activity."))
    return activity


def get_own(activity_id: int, user) -> Activity:
    activity = get_visible(activity_id, user)
    if activity.user_id != user.id:
        raise Forbidden(N_("Only the member who logged an activity can change it."))
    return activity


def mine_query(user: User):
    return select(Activity).where(Activity.user_id == user.id).options(AUTHOR_ONLY).order_by(Activity.started_at.desc(),
                                                                         Activity.id.desc())


def counted(group: Group, visibilities) -> list:
    """Joins and conditions: the group's members' activities of its sports with these visibilities."""
    return [and_(Membership.user_id == Activity.user_id, Membership.group_id == group.id),
            Activity.sport.in_(group.sports or ("-",)), Activity.visibility.in_(visibilities)]


def feed_query(group: Group, member: Membership | None):
    """The group's feed: activities that count for it, newest first. Members
    see public and group activities; anyone else (a public group's visitors)
    the public ones, as each member chose when logging them. The group's
    totals and leaderboard count both kinds for everyone who may see the group."""
    shown = COUNTED_VISIBILITIES if member is not None else ("public",)
    joined, *conditions = counted(group, shown)
    return (select(Activity).join(Membership, joined).where(*conditions)
            .options(AUTHOR_ONLY)
            .order_by(Activity.started_at.desc(), Activity.id.desc()))


def members_only_count(group: Group, member: Membership | None) -> int:
    """How many activities that count for the group its feed keeps from a
    non-member (their owners shared them with "members of my groups")."""
    if member is not None:
        return 0
    joined, *conditions = counted(group, ("groups",))
    return db.session.scalar(select(func.count(Activity.id)).join(Membership, joined).where(*conditions)) or 0


def counting_groups(activity: Activity) -> list[Group]:
    """The groups an activity counts for (its owner's, sharing its sport)."""
    groups = db.session.scalars(select(Group).join(Membership, Membership.group_id == Group.id)
                                .where(Membership.user_id == activity.user_id).order_by(Group.name))
    return [group for group in groups if activity.sport in group.sports]


def local_start(activity: Activity) -> datetime:
    return activity.started_at.astimezone(ZoneInfo(activity.timezone or "UTC"))
