"""Challenges: a goal an admin sets for the group between two dates
("100 km in November", "run 5 days this week"), everyone's progress, and
the badges of those who reach it.

A distance challenge adds up metres; a days challenge counts the distinct
days (each member's own calendar days) with at least one activity. Both
count what the group counts: public and group activities of its sports (or
of the challenge's one sport). Completions are kept in step whenever a
member's activities change, a member joins, or a challenge is set, so a
badge disappears again if the activity that earned it is deleted.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, case, delete, false, func, or_, select

from app.accounts.models import User
from app.db_types import utcnow
from app.exceptions import NotFound, ValidationFailed
from app.extensions import db
from app.groups.access import require_admin
from app.groups.models import (
    CHALLENGE_KINDS,
    FOCUS_SPORTS,
    SPORTS,
    Activity,
    Challenge,
    ChallengeCompletion,
    Group,
    Membership,
)
from app.groups.people import PersonRow
from app.groups.periods import days_bounds
from app.i18n import N_

COUNTED = ("public", "groups")
MAX_DAYS = 366


def _sport_counts():
    """SQL: the activity's sport counts for the challenge (its own sport, or its group's)."""
    by_focus = [and_(Group.focus == focus, Activity.sport.in_(sports))
                for focus, sports in FOCUS_SPORTS.items() if sports]
    return or_(Activity.sport == Challenge.sport, and_(Challenge.sport.is_(None), or_(*by_focus)))


def _value():
    """SQL: a member's progress, in metres or in active days, by kind."""
    return case((Challenge.kind == "days", func.count(func.distinct(Activity.started_on))),
                else_=func.coalesce(func.sum(Activity.distance_m), 0))


def _activity_join():
    return and_(Activity.user_id == Membership.user_id, Activity.started_at >= Challenge.starts_at,
                Activity.started_at < Challenge.ends_at, Activity.visibility.in_(COUNTED), _sport_counts())


# Setting challenges ------------------------------------------------------------------

def create_challenge(group: Group, by: User, *, title: str, kind: str, target: int, starts_on: date,
                     ends_on: date, sport: str | None = None) -> Challenge:
    require_admin(group, by)
    errors: dict[str, str] = {}
    title = " ".join((title or "").split())
    if not group.tracks_fitness:
        raise ValidationFailed({"kind": N_("Interest groups don't track activities, so they have no challenges.")})
    if len(title) < 3 or len(title) > 120:
        errors["title"] = N_("Give the challenge a title of 3 to 120 characters, e.g. “100 km in November”.")
    if kind not in CHALLENGE_KINDS:
        errors["kind"] = N_("A challenge is about distance or active days.")
    if sport is not None and (sport not in SPORTS or sport not in group.sports):
        errors["sport"] = N_("Pick one of the sports this group counts, or leave it empty for all of them.")
    if starts_on is None:
        errors["starts_on"] = N_("Give the first day.")
    if ends_on is None:
        errors["ends_on"] = N_("Give the last day.")
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = N_("The last day is on or after the first day.")
        elif (ends_on - starts_on).days + 1 > MAX_DAYS:
            errors["ends_on"] = N_("A challenge lasts at most a year.")
    if target is None or target <= 0:
        errors["target"] = N_("The target is more than zero.")
    elif kind == "days" and starts_on and ends_on and target > (ends_on - starts_on).days + 1:
        errors["target"] = N_("There are not that many days between the first and the last day.")
    elif kind == "distance" and target > 100_000_000:
        errors["target"] = N_("That is further than anyone goes in a year.")
    if errors:
        raise ValidationFailed(errors)
    starts_at, ends_at = days_bounds(starts_on, ends_on, group.timezone)
    challenge = Challenge(group_id=group.id, created_by_id=by.id, title=title, kind=kind, target=target,
                          sport=sport, starts_on=starts_on, ends_on=ends_on, starts_at=starts_at, ends_at=ends_at)
    db.session.add(challenge)
    db.session.flush()
    refresh_challenge(challenge)
    db.session.commit()
    return challenge


def delete_challenge(challenge: Challenge, by: User) -> None:
    require_admin(challenge.group, by)
    db.session.delete(challenge)
    db.session.commit()


def rezone(group: Group) -> None:
    """The group's time zone changed: its challenges keep their local days."""
    for challenge in db.session.scalars(select(Challenge).where(Challenge.group_id == group.id)):
        challenge.starts_at, challenge.ends_at = days_bounds(challenge.starts_on, challenge.ends_on, group.timezone)
        refresh_challenge(challenge)


def get_challenge(challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None:
        raise NotFound(N_("No such challenge."))
    return challenge


def for_group(group: Group) -> list[Challenge]:
    """Running and coming challenges first (soonest end first), then past ones."""
    now = utcnow()
    running = case((Challenge.ends_at > now, 0), else_=1)
    return list(db.session.scalars(select(Challenge).where(Challenge.group_id == group.id)
                                   .order_by(running, case((Challenge.ends_at > now, Challenge.ends_at)),
                                             Challenge.ends_at.desc(), Challenge.id)))


# Progress ----------------------------------------------------------------------------------

def progress(challenge: Challenge) -> list[dict]:
    """Every member's progress, furthest first (ties by username): one query."""
    value = _value().label("value")
    rows = db.session.execute(
        select(User.id, User.username, User.display_name, User.avatar_file, value)
        .select_from(Challenge)
        .join(Group, Group.id == Challenge.group_id)
        .join(Membership, Membership.group_id == Challenge.group_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Activity, _activity_join())
        .where(Challenge.id == challenge.id)
        .group_by(User.id, User.username, User.display_name, User.avatar_file, Challenge.kind)
        .order_by(value.desc(), User.username)
    ).all()
    return [{"user": PersonRow(*row[:4]), "value": int(row.value or 0),
             "completed": int(row.value or 0) >= challenge.target,
             "percent": min(100, int(100 * int(row.value or 0) / challenge.target))} for row in rows]


def values_for(user: User, challenge_ids: list[int]) -> dict[int, int]:
    """One member's progress in several challenges: one query."""
    if not challenge_ids:
        return {}
    rows = db.session.execute(
        select(Challenge.id, _value())
        .select_from(Challenge)
        .join(Group, Group.id == Challenge.group_id)
        .join(Membership, and_(Membership.group_id == Challenge.group_id, Membership.user_id == user.id))
        .outerjoin(Activity, _activity_join())
        .where(Challenge.id.in_(challenge_ids))
        .group_by(Challenge.id, Challenge.kind)
    ).all()
    return {challenge_id: int(amount or 0) for challenge_id, amount in rows}


def completion_counts(challenge_ids: list[int]) -> dict[int, int]:
    if not challenge_ids:
        return {}
    return dict(db.session.execute(select(ChallengeCompletion.challenge_id, func.count())
                                   .where(ChallengeCompletion.challenge_id.in_(challenge_ids))
                                   .group_by(ChallengeCompletion.challenge_id)).all())


# Keeping badges in step ----------------------------------------------------------------------

def _sync(challenge_id: int, target: int, reached: dict[int, int], user_ids) -> None:
    user_ids = set(user_ids)
    done = {uid for uid, value in reached.items() if value >= target and uid in user_ids}
    have = set(db.session.scalars(select(ChallengeCompletion.user_id).where(
        ChallengeCompletion.challenge_id == challenge_id, ChallengeCompletion.user_id.in_(user_ids or {-1}))))
    for uid in done - have:
        db.session.add(ChallengeCompletion(challenge_id=challenge_id, user_id=uid))
    lost = have - done
    if lost:
        db.session.execute(delete(ChallengeCompletion).where(ChallengeCompletion.challenge_id == challenge_id,
                                                             ChallengeCompletion.user_id.in_(lost)))


def refresh_challenge(challenge: Challenge) -> None:
    rows = progress(challenge)
    _sync(challenge.id, challenge.target, {row["user"].id: row["value"] for row in rows},
          [row["user"].id for row in rows])


def refresh_for_user(user: User, group_ids: list[int] | None = None) -> None:
    """Re-check one member's badges in the challenges of their groups (or of `group_ids`)."""
    statement = select(Challenge.id, Challenge.target).join(
        Membership, and_(Membership.group_id == Challenge.group_id, Membership.user_id == user.id))
    if group_ids is not None:
        statement = statement.where(Challenge.group_id.in_(group_ids) if group_ids else false())
    targets = dict(db.session.execute(statement).all())
    values = values_for(user, list(targets))
    for challenge_id, target in targets.items():
        _sync(challenge_id, target, {user.id: values.get(challenge_id, 0)}, [user.id])


# Badges on profiles -----------------------------------------------------------------------------

def badges(user: User, viewer) -> list[ChallengeCompletion]:
    """The member's completed challenges the viewer may know about: those of
    public groups, and of private groups the viewer belongs to."""
    statement = (select(ChallengeCompletion).join(Challenge, Challenge.id == ChallengeCompletion.challenge_id)
                 .join(Group, Group.id == Challenge.group_id)
                 .where(ChallengeCompletion.user_id == user.id)
                 .order_by(ChallengeCompletion.completed_at.desc(), Challenge.id.desc()))
    if not (viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.id == user.id):
        viewer_id = viewer.id if viewer is not None and getattr(viewer, "is_authenticated", False) else -1
        mine = select(Membership.group_id).where(Membership.user_id == viewer_id)
        statement = statement.where(or_(Group.visibility == "public", Group.id.in_(mine)))
    return list(db.session.scalars(statement))


def days_in(challenge: Challenge) -> int:
    return (challenge.ends_on - challenge.starts_on).days + 1


def last_day_end(challenge: Challenge) -> date:
    return challenge.ends_on + timedelta(days=1)
